import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { call, client } from '../api/client';
import { Alert, Field, PageTitle } from '../components/ui';
import { HOME, roleOf, useSession } from '../session';

export function LoginPage() {
  const { t } = useTranslation();
  const { login } = useSession();
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const submit = useMutation({
    mutationFn: () => login(name.trim(), password),
    onSuccess: (me) => navigate(HOME[roleOf(me)!]),
  });
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    submit.mutate();
  };
  return (
    <section className="narrow">
      <PageTitle>{t('auth.loginTitle')}</PageTitle>
      <p className="muted">{t('home.intro')}</p>
      <form onSubmit={onSubmit}>
        <Field label={t('auth.login')} hint={t('auth.loginHint')}>
          {(id, hint) => <input id={id} aria-describedby={hint} name="login" autoComplete="username" required value={name} onChange={(e) => setName(e.target.value)} />}
        </Field>
        <Field label={t('auth.password')}>
          {(id) => <input id={id} name="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />}
        </Field>
        <Alert error={submit.error} />
        <button type="submit" className="primary" disabled={submit.isPending}>
          {t('app.login')}
        </button>
      </form>
      <p>
        {t('auth.noAccount')} <Link to="/register">{t('auth.registerTitle')}</Link>
      </p>
    </section>
  );
}

export function RegisterPage() {
  const { t } = useTranslation();
  const { login } = useSession();
  const navigate = useNavigate();
  const [form, setForm] = useState({ name: '', phone: '', password: '', idNumber: '' });
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });
  const submit = useMutation({
    mutationFn: async () => {
      const body = { name: form.name.trim(), phone: form.phone.trim(), password: form.password, ...(form.idNumber.trim() ? { idNumber: form.idNumber.trim() } : {}) };
      const created = await call<{ id: string; cardNumber: string }>(client.POST('/api/auth/register', { body }));
      await login(body.phone, body.password);
      return created;
    },
    onSuccess: () => navigate('/card'),
  });
  return (
    <section className="narrow">
      <PageTitle>{t('auth.registerTitle')}</PageTitle>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          submit.mutate();
        }}
      >
        <Field label={t('auth.name')}>{(id) => <input id={id} name="name" autoComplete="name" required value={form.name} onChange={set('name')} />}</Field>
        <Field label={t('auth.phone')}>
          {(id) => <input id={id} name="phone" type="tel" inputMode="tel" autoComplete="tel" required value={form.phone} onChange={set('phone')} />}
        </Field>
        <Field label={t('auth.password')} hint={t('auth.passwordRule')}>
          {(id, hint) => <input id={id} aria-describedby={hint} name="password" type="password" autoComplete="new-password" required value={form.password} onChange={set('password')} />}
        </Field>
        <Field label={t('auth.idNumber')}>{(id) => <input id={id} name="idNumber" value={form.idNumber} onChange={set('idNumber')} />}</Field>
        <Alert error={submit.error} />
        <button type="submit" className="primary" disabled={submit.isPending}>
          {t('app.register')}
        </button>
      </form>
      <p>
        {t('auth.haveAccount')} <Link to="/login">{t('app.login')}</Link>
      </p>
    </section>
  );
}
