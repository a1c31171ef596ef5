import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call, client } from '../../api/client';
import type { Page } from '../../api/client';
import type { Staff } from '../../api/schema';
import { Alert, Field, Loading, Options, PageTitle } from '../../components/ui';
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
  const [editing, setEditing] = useState('');
  const edited = staff.data?.items.find((s) => s.id === editing);
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
      <h2>{t('admin.edit')}</h2>
      <Field label={t('admin.staffToEdit')}>
        {(id) => (
          <select id={id} value={editing} onChange={(e) => setEditing(e.target.value)}>
            <Options items={staff.data?.items} label={(s) => s.username} blank="—" />
          </select>
        )}
      </Field>
      {edited && <StaffEditor key={edited.id} account={edited} branches={branches.data?.items ?? []} />}
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
              <Options items={branches.data?.items} label={(b) => b.name} blank="—" />
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

/** Rename, reset the password, or change the branches an account acts at (role and username stay, as the API allows). */
function StaffEditor({ account, branches }: { account: Staff; branches: Array<{ id: string; name: string }> }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [name, setName] = useState(account.name);
  const [branchIds, setBranchIds] = useState(account.branchIds);
  const [password, setPassword] = useState('');
  const save = useMutation({
    mutationFn: () => call<Staff>(client.PATCH('/api/staff/{id}', { params: { path: { id: account.id } }, body: { name, branchIds, ...(password ? { password } : {}) } })),
    onSuccess: () => {
      setPassword('');
      void queryClient.invalidateQueries({ queryKey: ['staff'] });
    },
  });
  return (
    <form
      aria-label={t('admin.editStaff', { name: account.username })}
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <p className="muted">{t(`admin.roles.${account.role}`)}</p>
      <Field label={t('admin.personName')}>{(id) => <input id={id} required value={name} onChange={(e) => setName(e.target.value)} />}</Field>
      <fieldset className="field">
        <legend>{t('admin.branches_')}</legend>
        {branches.map((b) => (
          <label key={b.id} className="check">
            <input
              type="checkbox"
              checked={branchIds.includes(b.id)}
              onChange={(e) => setBranchIds(e.target.checked ? [...branchIds, b.id] : branchIds.filter((x) => x !== b.id))}
            />{' '}
            {b.name}
          </label>
        ))}
      </fieldset>
      <Field label={t('admin.newPassword')} hint={t('auth.passwordRule')}>
        {(id, hint) => <input id={id} aria-describedby={hint} type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />}
      </Field>
      <button type="submit" className="primary" disabled={save.isPending}>
        {t('app.save')}
      </button>
      <Alert error={save.error} success={save.data && t('admin.saved')} />
    </form>
  );
}
