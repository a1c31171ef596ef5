import { useMutation } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call, client } from '../../api/client';
import type { AttendanceCheckin } from '../../api/schema';
import { Alert, Field, PageTitle } from '../../components/ui';
import { formatDateTime } from '../../i18n';

/** A scanner (keyboard wedge) or the keyboard types the registration code or the resident's card code. */
export function ActivityCheckinPage() {
  const { t } = useTranslation();
  const [token, setToken] = useState('');
  const input = useRef<HTMLInputElement>(null);
  const checkin = useMutation({
    // The answer names the activity, the session and the resident (masked): nothing else to look up.
    mutationFn: (value: string) => call<AttendanceCheckin>(client.POST('/api/checkins', { body: { token: value } })),
    onSettled: () => {
      setToken('');
      input.current?.focus();
    },
  });
  const r = checkin.data;
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
      {r && (
        <div
          className={`routing ${r.already ? 'hold-shelf' : 'shelve'}`}
          role={r.already ? 'alert' : 'status'}
          data-testid="checkin-result"
          data-already={r.already}
        >
          <p className="routing-headline">
            {r.already ? '⚠ ' : '✓ '}
            {t(r.already ? 'desk.alreadyCheckedIn' : 'desk.checkedIn', { title: r.title })}
          </p>
          <p data-testid="checkin-reader">{t('desk.checkinReader', { name: r.patronName })}</p>
          <p data-testid="checkin-session">{t('desk.sessionTime', { from: formatDateTime(r.startsAt), to: formatDateTime(r.endsAt).split(' ').pop() })}</p>
          {r.already && <p>{t('desk.alreadyHelp')}</p>}
          <p className="mono">
            {t('desk.registrationNo')} {r.registrationId.slice(0, 8)}
          </p>
        </div>
      )}
    </section>
  );
}
