import { useMutation } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call, client } from '../../api/client';
import { Alert, Field, PageTitle } from '../../components/ui';

/** A scanner (keyboard wedge) or the keyboard types the registration code or the resident's card code. */
export function ActivityCheckinPage() {
  const { t } = useTranslation();
  const [token, setToken] = useState('');
  const input = useRef<HTMLInputElement>(null);
  const checkin = useMutation({
    mutationFn: (value: string) => call<{ registrationId: string; status: string; already: boolean }>(client.POST('/api/checkins', { body: { token: value } })),
    onSettled: () => {
      setToken('');
      input.current?.focus();
    },
  });
  return (
    <section>
      <PageTitle>{t('desk.checkinTitle')}</PageTitle>
      <form
        className="inline"
        onSubmit={(e) => {
          e.preventDefault();
          if (token.trim()) checkin.mutate(token.trim());
        }}
      >
        <Field label={t('desk.token')} hint={t('desk.cardHint')}>
          {(id, hint) => <input id={id} ref={input} aria-describedby={hint} autoFocus autoComplete="off" value={token} onChange={(e) => setToken(e.target.value)} />}
        </Field>
        <button type="submit" className="primary" disabled={!token || checkin.isPending}>
          {t('app.submit')}
        </button>
      </form>
      <Alert error={checkin.error} />
      {checkin.data && (
        <div className="routing shelve" role="status">
          <p className="routing-headline">✓ {t('mine.status.checked_in')}</p>
          <p className="mono">{checkin.data.registrationId.slice(0, 8)}</p>
        </div>
      )}
    </section>
  );
}
