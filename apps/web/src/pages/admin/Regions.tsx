import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call, client } from '../../api/client';
import { Alert, Field, Loading, Options, PageTitle } from '../../components/ui';
import type { Region } from '../../api/schema';
import { useRegions } from './Branches';

const KINDS = ['district', 'subdistrict', 'community', 'village'] as const;

export function RegionsPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const regions = useRegions();
  const items = regions.data?.items ?? [];
  const nameOf = (id: string | null) => items.find((r) => r.id === id)?.name ?? '—';
  const empty = { name: '', kind: 'community' as (typeof KINDS)[number], parentId: '', population: '' };
  const [form, setForm] = useState(empty);
  const create = useMutation({
    mutationFn: () =>
      call(
        client.POST('/api/regions', {
          body: {
            name: form.name,
            kind: form.kind,
            parentId: form.parentId || undefined,
            ...(form.population ? { population: Number(form.population), populationYear: new Date().getFullYear() } : {}),
          },
        }),
      ),
    onSuccess: () => {
      setForm(empty);
      void queryClient.invalidateQueries({ queryKey: ['regions'] });
    },
  });
  const order = { district: 0, subdistrict: 1, community: 2, village: 2 };
  return (
    <section>
      <PageTitle>{t('admin.regions')}</PageTitle>
      <Alert error={regions.error} />
      {regions.isPending ? (
        <Loading />
      ) : (
        <div className="grid-scroll">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('admin.name')}</th>
                <th scope="col">{t('admin.kind')}</th>
                <th scope="col">{t('admin.parent')}</th>
                <th scope="col">{t('admin.population')}</th>
              </tr>
            </thead>
            <tbody>
              {[...items]
                .sort((a, b) => order[a.kind] - order[b.kind] || a.name.localeCompare(b.name, 'zh'))
                .map((r) => (
                  <tr key={r.id}>
                    <td>
                      {r.name} <span className="muted mono small">{r.code}</span>
                    </td>
                    <td>{t(`admin.regionKinds.${r.kind}`)}</td>
                    <td>{nameOf(r.parentId)}</td>
                    <td>
                      <PopulationCell region={r} />
                    </td>
                  </tr>
                ))}
            </tbody>
          </table>
        </div>
      )}
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
                  {t(`admin.regionKinds.${k}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('admin.parent')}>
          {(id) => (
            <select id={id} value={form.parentId} onChange={(e) => setForm({ ...form, parentId: e.target.value })}>
              <Options items={items.filter((r) => r.kind === 'district' || r.kind === 'subdistrict')} label={(r) => r.name} blank="—" />
            </select>
          )}
        </Field>
        <Field label={t('admin.population')}>{(id) => <input id={id} type="number" min={0} value={form.population} onChange={(e) => setForm({ ...form, population: e.target.value })} />}</Field>
        <button type="submit" className="primary" disabled={create.isPending}>
          {t('admin.add')}
        </button>
      </form>
      <Alert error={create.error} success={create.data ? t('admin.created') : undefined} />
    </section>
  );
}

/** The population of the current year, edited in place (the per-head indicators divide by it). */
function PopulationCell({ region }: { region: Region }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [value, setValue] = useState(region.population === null ? '' : String(region.population));
  const year = new Date().getFullYear();
  const save = useMutation({
    mutationFn: () => call(client.PATCH('/api/regions/{id}', { params: { path: { id: region.id } }, body: { population: Number(value), populationYear: year } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['regions'] }),
  });
  return (
    <form
      className="inline"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <input type="number" min={0} className="num" aria-label={`${region.name} ${t('admin.population')} ${year}`} value={value} onChange={(e) => setValue(e.target.value)} />
      <button type="submit" disabled={save.isPending || value === String(region.population ?? '')}>
        {t('app.save')}
      </button>
      <Alert error={save.error} success={save.isSuccess ? t('admin.saved') : undefined} />
    </form>
  );
}
