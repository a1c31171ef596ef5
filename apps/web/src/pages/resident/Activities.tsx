import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { call, client, serverNow } from '../../api/client';
import type { Page } from '../../api/client';
import type { Activity, Session } from '../../api/schema';
import { Alert, Empty, Field, Loading, Options, PageTitle } from '../../components/ui';
import { useBranches, useBranchName, useLiveActivity } from '../../hooks';
import { formatDateTime } from '../../i18n';
import { useSession } from '../../session';

const CATEGORIES = ['class', 'lecture', 'performance', 'exhibition', 'film_screening', 'training', 'reading_event'] as const;

export function ActivitiesPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const branches = useBranches();
  const branchName = useBranchName();
  const filter = { branchId: params.get('branchId') ?? '', category: params.get('category') ?? '', from: params.get('from') ?? '', to: params.get('to') ?? '' };
  const query = Object.fromEntries(Object.entries(filter).filter(([, v]) => v)) as Partial<typeof filter>;
  const list = useQuery({
    queryKey: ['activities', query],
    queryFn: () =>
      call<Page<Activity>>(client.GET('/api/activities', { params: { query: query as { branchId?: string; category?: (typeof CATEGORIES)[number] } } })),
  });
  const set = (k: keyof typeof filter) => (e: { target: { value: string } }) => {
    const next = new URLSearchParams(params);
    if (e.target.value) next.set(k, e.target.value);
    else next.delete(k);
    setParams(next, { replace: true });
  };
  return (
    <section>
      <PageTitle>{t('activities.title')}</PageTitle>
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        <Field label={t('activities.branch')}>
          {(id) => (
            <select id={id} value={filter.branchId} onChange={set('branchId')}>
              <Options items={branches.data?.items} label={(b) => b.name} blank={t('app.all')} />
            </select>
          )}
        </Field>
        <Field label={t('activities.category')}>
          {(id) => (
            <select id={id} value={filter.category} onChange={set('category')}>
              <option value="">{t('app.all')}</option>
              {CATEGORIES.map((c) => (
                <option key={c} value={c}>
                  {t(`activities.categories.${c}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('activities.from')}>{(id) => <input id={id} type="date" value={filter.from} onChange={set('from')} />}</Field>
        <Field label={t('activities.to')}>{(id) => <input id={id} type="date" value={filter.to} onChange={set('to')} />}</Field>
      </form>
      <Alert error={list.error} />
      {list.isPending ? (
        <Loading />
      ) : list.data?.items.length ? (
        <ul className="cards">
          {list.data.items.map((a) => {
            const next = a.sessions[0];
            const left = a.sessions.reduce((n, s) => n + s.seatsLeft, 0);
            return (
              <li key={a.id} className="card">
                <h2>
                  <Link to={`/activities/${a.id}`}>{a.title}</Link>
                </h2>
                <p className="muted">
                  {t(`activities.categories.${a.category}`, { defaultValue: a.category })} · {branchName(a.branchId)}
                </p>
                {next && <p>{formatDateTime(next.startsAt)}</p>}
                <p>{left > 0 ? t('activities.seatsLeft', { n: left }) : t('activities.full')}</p>
              </li>
            );
          })}
        </ul>
      ) : (
        <Empty />
      )}
    </section>
  );
}

export function ActivityPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const branchName = useBranchName();
  const activity = useLiveActivity(id);
  if (activity.isPending) return <Loading />;
  if (!activity.data) return <Alert error={activity.error} />;
  const a = activity.data;
  return (
    <section>
      <PageTitle>{a.title}</PageTitle>
      <p className="muted">
        {t(`activities.categories.${a.category}`, { defaultValue: a.category })} · {branchName(a.branchId)}
      </p>
      {a.description && <p>{a.description}</p>}
      <RegistrationWindow activity={a} />
      <p className="muted small">{t('activities.live')}</p>
      <ul className="cards">
        {a.sessions.map((s) => (
          <SessionRow key={s.id} activity={a} session={s} />
        ))}
      </ul>
    </section>
  );
}

/**
 * Now by the server's clock, ticking while it is before `until` (a countdown on screen) and still after.
 * The tick stops only once the stored `now` has passed `until`, so a render in the last second cannot
 * leave the page waiting for a moment that has come.
 */
function useNow(until: number | null): number {
  const [now, setNow] = useState(() => serverNow());
  const waiting = until !== null && now < until;
  useEffect(() => {
    if (!waiting) return;
    const timer = setInterval(() => setNow(serverNow()), 250);
    return () => clearInterval(timer);
  }, [waiting]);
  return now;
}

/** 'h:mm:ss' or 'm:ss' until a moment, never negative. */
function countdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const [h, m, s] = [Math.floor(total / 3600), Math.floor((total % 3600) / 60), total % 60];
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
}

/** Where registration stands: opening at a set time (with a countdown, for a popular class), or closed. */
function registrationState(activity: Activity, now: number): 'not-open' | 'open' | 'closed' {
  if (activity.registrationOpensAt && now < Date.parse(activity.registrationOpensAt)) return 'not-open';
  if (activity.registrationClosesAt && now >= Date.parse(activity.registrationClosesAt)) return 'closed';
  return 'open';
}

function RegistrationWindow({ activity }: { activity: Activity }) {
  const { t } = useTranslation();
  const opensAt = activity.registrationOpensAt;
  const now = useNow(opensAt ? Date.parse(opensAt) : null);
  const state = registrationState(activity, now);
  if (state === 'closed') return <p className="registration-window" data-testid="registration-window">{t('activities.closed')}</p>;
  if (!opensAt) return null;
  return (
    <p className="registration-window" data-testid="registration-window" data-state={state}>
      {state === 'not-open'
        ? t('activities.opensIn', { time: formatDateTime(opensAt), countdown: countdown(Date.parse(opensAt) - now) })
        : t('activities.openedAt', { time: formatDateTime(opensAt) })}
    </p>
  );
}

function SessionRow({ activity, session }: { activity: Activity; session: Session }) {
  const { t } = useTranslation();
  const { role } = useSession();
  const now = useNow(activity.registrationOpensAt ? Date.parse(activity.registrationOpensAt) : null);
  const state = registrationState(activity, now);
  const queryClient = useQueryClient();
  const [done, setDone] = useState<string | null>(null);
  const register = useMutation({
    mutationFn: () =>
      call<{ id: string; status: string; position?: number }>(
        client.POST('/api/activities/{id}/registrations', {
          params: { path: { id: activity.id }, header: { 'Idempotency-Key': crypto.randomUUID() } },
          body: { sessionId: session.id },
        }),
      ),
    onSuccess: (r) => {
      setDone(r.status === 'waitlisted' ? t('activities.waitlisted', { n: r.position }) : r.status === 'pending' ? t('activities.pending') : t('activities.registered'));
      void queryClient.invalidateQueries({ queryKey: ['activity', activity.id] });
      void queryClient.invalidateQueries({ queryKey: ['my-registrations'] });
    },
  });
  return (
    <li className="card">
      <h2>{formatDateTime(session.startsAt)}</h2>
      <p className="muted">{t('activities.capacity', { n: session.capacity })}</p>
      <p className="seats" aria-live="polite" data-testid="seats-left">
        {session.seatsLeft > 0 ? t('activities.seatsLeft', { n: session.seatsLeft }) : t('activities.full')}
      </p>
      {role === 'resident' && (
        <button type="button" className="primary" disabled={register.isPending || done !== null || state !== 'open'} onClick={() => register.mutate()}>
          {t('activities.register')}
        </button>
      )}
      {role === null && <Link to="/login">{t('app.login')}</Link>}
      <Alert error={register.error} success={done} />
    </li>
  );
}
