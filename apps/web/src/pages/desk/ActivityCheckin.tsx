import { useMutation, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call, client } from '../../api/client';
import type { Activity, Page, Session } from '../../api/views';
import { Alert, Field, PageTitle } from '../../components/ui';
import { formatDateTime } from '../../i18n';

interface Checkin {
  registrationId: string;
  sessionId: string;
  status: string;
  /** The code was scanned before: the person already came in (a second entry on one registration). */
  already: boolean;
}

type Scanned = Checkin & { activity?: { title: string; session: Session } };

const shanghaiDate = (offsetDays: number) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(Date.now() + offsetDays * 86_400_000));

/**
 * Sessions one can check in to now start between yesterday and tomorrow (the window opens an hour
 * before the start and closes at the end); the check-in answer names the session only, so the page
 * finds its activity among those, read once and again only when a session is not among them.
 */
async function activityOf(queryClient: QueryClient, sessionId: string): Promise<Scanned['activity']> {
  const from = shanghaiDate(-1);
  const to = shanghaiDate(1);
  const find = (activities: Activity[]) => {
    for (const a of activities) {
      const session = a.sessions.find((s) => s.id === sessionId);
      if (session) return { title: a.title, session };
    }
    return undefined;
  };
  const load = async () => {
    const all: Activity[] = [];
    for (let page = 1; page <= 20; page++) {
      const got = await call<Page<Activity>>(client.GET('/api/activities', { params: { query: { from, to, page, pageSize: 200 } } }));
      all.push(...got.items);
      if (all.length >= got.total || got.items.length === 0) break;
    }
    return all;
  };
  const key = ['checkin-activities', from, to];
  const cached = find(await queryClient.fetchQuery({ queryKey: key, queryFn: load, staleTime: 5 * 60_000 }));
  if (cached) return cached;
  await queryClient.invalidateQueries({ queryKey: key });
  return find(await queryClient.fetchQuery({ queryKey: key, queryFn: load }));
}

/** A scanner (keyboard wedge) or the keyboard types the registration code or the resident's card code. */
export function ActivityCheckinPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [token, setToken] = useState('');
  const input = useRef<HTMLInputElement>(null);
  const checkin = useMutation({
    mutationFn: async (value: string): Promise<Scanned> => {
      const done = await call<Checkin>(client.POST('/api/checkins', { body: { token: value } }));
      // What the session is only labels the answer: if it cannot be read, the check-in still stands.
      const activity = await activityOf(queryClient, done.sessionId).catch(() => undefined);
      return { ...done, activity };
    },
    onSettled: () => {
      setToken('');
      input.current?.focus();
    },
  });
  const r = checkin.data;
  const title = r?.activity?.title;
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
            {t(r.already ? (title ? 'desk.alreadyCheckedIn' : 'desk.alreadyCheckedInPlain') : title ? 'desk.checkedIn' : 'desk.checkedInPlain', { title })}
          </p>
          {r.activity && (
            <p data-testid="checkin-session">
              {t('desk.sessionTime', { from: formatDateTime(r.activity.session.startsAt), to: formatDateTime(r.activity.session.endsAt).split(' ').pop() })}
            </p>
          )}
          {r.already && <p>{t('desk.alreadyHelp')}</p>}
          <p className="mono">
            {t('desk.registrationNo')} {r.registrationId.slice(0, 8)}
          </p>
        </div>
      )}
    </section>
  );
}
