import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call, client } from '../../api/client';
import type { Page, Staff } from '../../api/views';
import { Alert, Field, Loading, PageTitle } from '../../components/ui';
import { useBranches, useBranchName } from '../../hooks';

const ROLES = ['librarian', 'operator', 'organizer', 'admin', 'kiosk'] as const;

export function StaffPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const branches = useBranches();
  const branchName = useBranchName();
  const staff = useQuery({ queryKey: ['staff'], queryFn: () => call<Page<Staff>>(client.GET('/api/staff', { params: { query: { pageSize: 200 } } })) });
  const empty = { username: '', name: '', password: '', role: 'librarian' as (typeof ROLES)[number], branchId: '' };
  const [form, setForm] = useState(empty);
  const create = useMutation({
    mutationFn: () =>
      call(
        client.POST('/api/staff', {
          body: { username: form.username, name: form.name, password: form.password, role: form.role, branchIds: form.branchId ? [form.branchId] : [] },
        }),
      ),
    onSuccess: () => {
      setForm(empty);
      void queryClient.invalidateQueries({ queryKey: ['staff'] });
    },
  });
  const toggle = useMutation({
    mutationFn: (s: Staff) => call(client.PATCH('/api/staff/{id}', { params: { path: { id: s.id } }, body: { active: !s.active } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['staff'] }),
  });
  return (
    <section>
      <PageTitle>{t('admin.staff')}</PageTitle>
      <Alert error={staff.error ?? toggle.error} />
      {staff.isPending ? (
        <Loading />
      ) : (
        <div className="grid-scroll">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('admin.username')}</th>
                <th scope="col">{t('admin.personName')}</th>
                <th scope="col">{t('admin.role')}</th>
                <th scope="col">{t('admin.branches_')}</th>
                <th scope="col">{t('admin.active')}</th>
              </tr>
            </thead>
            <tbody>
              {staff.data?.items.map((s) => (
                <tr key={s.id}>
                  <td className="mono">{s.username}</td>
                  <td>{s.name}</td>
                  <td>{t(`admin.roles.${s.role}`)}</td>
                  <td>{s.branchIds.map(branchName).join(t('app.listSep')) || '—'}</td>
                  <td>
                    <input type="checkbox" checked={s.active} aria-label={`${t('admin.active')} ${s.username}`} onChange={() => toggle.mutate(s)} />
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
        <Field label={t('admin.username')}>{(id) => <input id={id} required autoComplete="off" value={form.username} onChange={(e) => setForm({ ...form, username: e.target.value })} />}</Field>
        <Field label={t('admin.personName')}>{(id) => <input id={id} required value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />}</Field>
        <Field label={t('admin.password')} hint={t('auth.passwordRule')}>
          {(id, hint) => <input id={id} aria-describedby={hint} required type="password" autoComplete="new-password" value={form.password} onChange={(e) => setForm({ ...form, password: e.target.value })} />}
        </Field>
        <Field label={t('admin.role')}>
          {(id) => (
            <select id={id} value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as typeof form.role })}>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {t(`admin.roles.${r}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('admin.branches_')}>
          {(id) => (
            <select id={id} value={form.branchId} onChange={(e) => setForm({ ...form, branchId: e.target.value })}>
              <option value="">—</option>
              {branches.data?.items.map((b) => (
                <option key={b.id} value={b.id}>
                  {b.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <button type="submit" className="primary" disabled={create.isPending}>
          {t('admin.add')}
        </button>
      </form>
      <Alert error={create.error} success={create.data ? t('admin.created') : undefined} />
    </section>
  );
}
