import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call, client } from '../../api/client';
import type { Page } from '../../api/client';
import type { Branch, Region } from '../../api/schema';
import { Alert, Field, Loading, Options, PageTitle } from '../../components/ui';
import { useBranches, useBranchName } from '../../hooks';
import { weeklyHours } from '../../lib/opening-hours';
import { BranchEditor } from './BranchEditor';

const KINDS = ['library', 'cultural_centre', 'integrated_centre', 'service_point', 'mobile'] as const;
const LEVELS = ['central', 'branch', 'service_point'] as const;

export function useRegions() {
  return useQuery({ queryKey: ['regions'], queryFn: () => call<Page<Region>>(client.GET('/api/regions', { params: { query: { pageSize: 200 } } })) });
}

export function BranchesPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const branches = useBranches();
  const regions = useRegions();
  const branchName = useBranchName();
  const regionName = (id: string) => regions.data?.items.find((r) => r.id === id)?.name ?? '';
  const empty = { name: '', kind: 'library' as (typeof KINDS)[number], level: 'branch' as (typeof LEVELS)[number], regionId: '', parentId: '', sharedCirculation: true, floorArea: '' };
  const [form, setForm] = useState(empty);
  const [editing, setEditing] = useState('');
  const edited = branches.data?.items.find((b) => b.id === editing);
  const create = useMutation({
    mutationFn: () =>
      call<Branch>(
        client.POST('/api/branches', {
          body: {
            name: form.name,
            kind: form.kind,
            level: form.level,
            regionId: form.regionId,
            parentId: form.parentId || undefined,
            sharedCirculation: form.sharedCirculation,
            floorArea: form.floorArea ? Number(form.floorArea) : undefined,
          },
        }),
      ),
    onSuccess: () => {
      setForm(empty);
      void queryClient.invalidateQueries({ queryKey: ['branches'] });
    },
  });
  const toggleShared = useMutation({
    mutationFn: (b: Branch) => call(client.PATCH('/api/branches/{id}', { params: { path: { id: b.id } }, body: { sharedCirculation: !b.sharedCirculation } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['branches'] }),
  });
  return (
    <section>
      <PageTitle>{t('admin.branches')}</PageTitle>
      <Alert error={branches.error ?? toggleShared.error} />
      {branches.isPending ? (
        <Loading />
      ) : (
        <div className="grid-scroll">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('admin.name')}</th>
                <th scope="col">{t('admin.kind')}</th>
                <th scope="col">{t('admin.level')}</th>
                <th scope="col">{t('admin.region')}</th>
                <th scope="col">{t('admin.parent')}</th>
                <th scope="col">{t('admin.floorArea')}</th>
                <th scope="col">{t('admin.weeklyHours')}</th>
                <th scope="col">{t('admin.sharedCirculation')}</th>
              </tr>
            </thead>
            <tbody>
              {branches.data?.items.map((b) => (
                <tr key={b.id}>
                  <td>
                    {b.name} <span className="muted mono small">{b.code}</span>
                  </td>
                  <td>{t(`admin.kinds.${b.kind}`, { defaultValue: b.kind })}</td>
                  <td>{t(`admin.levels.${b.level}`)}</td>
                  <td>{regionName(b.regionId)}</td>
                  <td>{b.parentId ? branchName(b.parentId) : '—'}</td>
                  <td>{b.floorArea ?? '—'}</td>
                  <td className="num">{weeklyHours(b.openingHours)}</td>
                  <td>
                    <input type="checkbox" checked={b.sharedCirculation} aria-label={`${t('admin.sharedCirculation')} ${b.name}`} onChange={() => toggleShared.mutate(b)} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2>{t('admin.edit')}</h2>
      <Field label={t('admin.branchToEdit')}>
        {(id) => (
          <select id={id} value={editing} onChange={(e) => setEditing(e.target.value)}>
            <Options items={branches.data?.items} label={(b) => b.name} blank="—" />
          </select>
        )}
      </Field>
      {edited && <BranchEditor key={edited.id} branch={edited} />}
      <h2>{t('admin.add')}</h2>
      <form
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
      >
        <Field label={t('admin.name')}>{(id) => <input id={id} required value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />}</Field>
        <Field label={t('admin.kind')}>
          {(id) => (
            <select id={id} value={form.kind} onChange={(e) => setForm({ ...form, kind: e.target.value as typeof form.kind })}>
              {KINDS.map((k) => (
                <option key={k} value={k}>
                  {t(`admin.kinds.${k}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('admin.level')}>
          {(id) => (
            <select id={id} value={form.level} onChange={(e) => setForm({ ...form, level: e.target.value as typeof form.level })}>
              {LEVELS.map((k) => (
                <option key={k} value={k}>
                  {t(`admin.levels.${k}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('admin.region')}>
          {(id) => (
            <select id={id} required value={form.regionId} onChange={(e) => setForm({ ...form, regionId: e.target.value })}>
              <Options items={regions.data?.items} label={(r) => r.name} blank="—" />
            </select>
          )}
        </Field>
        <Field label={t('admin.parent')}>
          {(id) => (
            <select id={id} value={form.parentId} onChange={(e) => setForm({ ...form, parentId: e.target.value })}>
              <Options items={branches.data?.items} label={(b) => b.name} blank="—" />
            </select>
          )}
        </Field>
        <Field label={t('admin.floorArea')}>{(id) => <input id={id} type="number" min={0} value={form.floorArea} onChange={(e) => setForm({ ...form, floorArea: e.target.value })} />}</Field>
        <label className="check">
          <input type="checkbox" checked={form.sharedCirculation} onChange={(e) => setForm({ ...form, sharedCirculation: e.target.checked })} /> {t('admin.sharedCirculation')}
        </label>
        <button type="submit" className="primary" disabled={create.isPending}>
          {t('admin.add')}
        </button>
      </form>
      <Alert error={create.error} success={create.data && t('admin.created')} />
    </section>
  );
}
