import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { call, client, languageHeader } from '../../api/client';
import { Alert, Field } from '../../components/ui';
import { useSession } from '../../session';

/** PIPL on the resident's card page: download everything kept about me, and close my account. */
export function PersonalDataSection() {
  const { t } = useTranslation();
  const { logout } = useSession();
  const navigate = useNavigate();
  const [password, setPassword] = useState('');
  const [confirming, setConfirming] = useState(false);
  const download = useMutation({
    mutationFn: async () => {
      const data = await call<unknown>(client.GET('/api/me/export'));
      const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = 'my-personal-data.json';
      a.click();
      URL.revokeObjectURL(url);
    },
  });
  const close = useMutation({
    mutationFn: () => call(client.POST('/api/me/close', { body: { password }, headers: languageHeader() })),
    onSuccess: async () => {
      await logout();
      navigate('/', { replace: true });
    },
  });
  return (
    <section aria-labelledby="personal-data-title" className="personal-data">
      <h2 id="personal-data-title">{t('privacy.title')}</h2>
      <p>{t('privacy.exportHelp')}</p>
      <button type="button" onClick={() => download.mutate()} disabled={download.isPending}>
        {t('privacy.export')}
      </button>
      <Alert error={download.error} success={download.isSuccess ? t('privacy.exported') : undefined} />
      <h3>{t('privacy.close')}</h3>
      <p>{t('privacy.closeHelp')}</p>
      {!confirming ? (
        <button type="button" className="danger" onClick={() => setConfirming(true)}>
          {t('privacy.close')}
        </button>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            close.mutate();
          }}
        >
          <Field label={t('privacy.password')}>
            {(id) => <input id={id} type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />}
          </Field>
          <button type="submit" className="danger" disabled={close.isPending || !password}>
            {t('privacy.confirmClose')}
          </button>{' '}
          <button type="button" onClick={() => setConfirming(false)}>
            {t('privacy.cancel')}
          </button>
          <Alert error={close.error} />
        </form>
      )}
    </section>
  );
}
