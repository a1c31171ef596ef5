import { useQueries, useQuery } from '@tanstack/react-query';
import { type ReactNode, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { call, client } from '../api/client';
import type { Page } from '../api/client';
import type { Activity, Branch, FreeToday, WeekHours } from '../api/schema';
import { Alert, Empty, Field, Loading, Options, PageTitle } from '../components/ui';
import { useBranches, useBranchName } from '../hooks';
import { formatDateTime } from '../i18n';
import {
  currentOrNextOpening,
  type Day,
  daysFrom,
  defaultBranch,
  isoWeekOf,
  localNow,
  newerSeats,
  shiftDate,
  upcomingWithSeats,
  nearbyInNetwork,
  venuesForResidents,
} from '../lib/landing';
import { useLiveSessionSeats, useLiveVenues } from '../live';
import { setMyBranch, useMyBranch } from '../prefs';
import { useSession } from '../session';
import { UpcomingVisits } from '../mobile-stops';

// The public landing page at `/`: what a resident can do today, without an account. Everything on it
// comes from public reads; seats and venue times stay live over the public socket namespace.

const DISTRICT_ZONE = 'Asia/Shanghai';
const SHOWN = 6;
const MINUTE = 60_000;

/** The current instant, renewed every minute, so "open now" and "upcoming" follow the clock. */
function useNow(): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), MINUTE);
    return () => clearInterval(timer);
  }, []);
  return now;
}

export function LandingPage() {
  const { t } = useTranslation();
  const now = useNow();
  return (
    <section className="landing">
      <div className="hero">
        <PageTitle>{t('home.welcome')}</PageTitle>
        <p>{t('home.intro')}</p>
        <CatalogueSearch />
      </div>
      <div className="columns">
        <NearestBranch now={now} />
        <GetACard />
      </div>
      <UpcomingActivities now={now} />
      <UpcomingVisits />
      <VenuesFreeToday />
    </section>
  );
}

/** A search box that opens the catalogue page with the query (the catalogue page reads `?q=`). */
function CatalogueSearch() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [text, setText] = useState('');
  return (
    <form
      role="search"
      aria-label={t('landing.searchLabel')}
      className="search"
      onSubmit={(e) => {
        e.preventDefault();
        const q = text.trim();
        navigate(q ? `/catalogue?${new URLSearchParams({ q })}` : '/catalogue');
      }}
    >
      <Field label={t('landing.searchLabel')} hint={t('catalogue.query')}>
        {(id, hint) => (
          <div className="search-row">
            <input id={id} type="search" aria-describedby={hint} value={text} onChange={(e) => setText(e.target.value)} />
            <button type="submit" className="primary">
              {t('app.search')}
            </button>
          </div>
        )}
      </Field>
    </form>
  );
}

/** A section with its heading as its accessible name (a region landmark). */
function Part({ title, className, children }: { title: string; className?: string; children: ReactNode }) {
  const id = useId();
  return (
    <section aria-labelledby={id} className={`part${className ? ` ${className}` : ''}`}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

function UpcomingActivities({ now }: { now: Date }) {
  const { t } = useTranslation();
  const branchName = useBranchName();
  const branches = useBranches();
  // From yesterday in the district's calendar: the list filters by the district's day; what has begun is
  // dropped here by the instant, so no zone can make a started session look upcoming.
  const from = shiftDate(localNow(DISTRICT_ZONE, now).date, -1);
  const list = useQuery({
    queryKey: ['activities', 'landing', from],
    queryFn: () => call<Page<Activity>>(client.GET('/api/activities', { params: { query: { from, pageSize: 100 } } })),
    refetchInterval: 5 * MINUTE,
  });
  const upcoming = upcomingWithSeats(list.data?.items ?? [], now, SHOWN);
  const live = useLiveSessionSeats(upcoming.map((u) => u.session.id));
  const zoneOf = (branchId: string) => branches.data?.items.find((b) => b.id === branchId)?.timeZone ?? DISTRICT_ZONE;
  return (
    <Part title={t('landing.activities')}>
      <p className="muted">{t('landing.activitiesHelp')}</p>
      <Alert error={list.error} />
      {list.isPending ? (
        <Loading />
      ) : upcoming.length ? (
        <ul className="cards" data-testid="landing-activities">
          {upcoming.map(({ activity: a, session, startsAt }) => {
            const seats = newerSeats(session, live.get(session.id));
            const opensLater = a.registrationOpensAt && Date.parse(a.registrationOpensAt) > now.getTime();
            return (
              <li key={a.id} className="card">
                <h3>
                  <Link to={`/activities/${a.id}`}>{a.title}</Link>
                </h3>
                <p className="muted">
                  {t(`activities.categories.${a.category}`, { defaultValue: a.category })} · {branchName(a.branchId)}
                </p>
                <p>{formatDateTime(startsAt, true, zoneOf(a.branchId))}</p>
                <p className="seats">{seats.seatsLeft > 0 ? t('activities.seatsLeft', { n: seats.seatsLeft }) : t('activities.full')}</p>
                {opensLater && <p className="small">{t('landing.registrationOpens', { time: formatDateTime(a.registrationOpensAt!, true, zoneOf(a.branchId)) })}</p>}
              </li>
            );
          })}
        </ul>
      ) : (
        <p>{t('landing.noActivities')}</p>
      )}
      <p>
        <Link to="/activities">{t('landing.allActivities')}</Link>
      </p>
    </Part>
  );
}

function VenuesFreeToday() {
  const { t } = useTranslation();
  const branchName = useBranchName();
  const branches = useBranches();
  const mine = useMyBranch();
  const free = useQuery({
    queryKey: ['venues-free-today'],
    queryFn: () => call<FreeToday>(client.GET('/api/venues/free-today')),
    // Time passing shortens what is left today, without any push.
    refetchInterval: MINUTE,
  });
  const chosen = branches.data?.items.find((b) => b.id === mine) ?? defaultBranch(branches.data?.items ?? []);
  const shown = venuesForResidents(free.data?.items ?? [], chosen?.id, SHOWN);
  useLiveVenues(
    shown.map((v) => v.id),
    ['venues-free-today'],
  );
  const spans = (v: FreeToday['items'][number]) => v.free.map((s) => `${s.from}–${s.to}`).join(t('app.listSep'));
  return (
    <Part title={t('landing.venues')}>
      <p className="muted">{t('landing.venuesHelp')}</p>
      <Alert error={free.error} />
      {free.isPending ? (
        <Loading />
      ) : shown.length ? (
        <ul className="cards" data-testid="landing-venues">
          {shown.map((v) => (
            <li key={v.id} className="card">
              <h3>
                <Link to={`/venues/${v.id}`}>{v.name}</Link>
              </h3>
              <p className="muted">
                {t(`venues.kinds.${v.kind}`, { defaultValue: v.kind })} · {branchName(v.branchId)}
                {v.capacity ? ` · ${t('venues.capacity', { n: v.capacity })}` : ''}
              </p>
              <p>{t('landing.freeToday', { spans: spans(v) })}</p>
              {v.requiresApproval && <p className="badge">{t('landing.needsApproval')}</p>}
            </li>
          ))}
        </ul>
      ) : (
        <p>{t('landing.noVenues')}</p>
      )}
      <p>
        <Link to="/venues">{t('landing.allVenues')}</Link>
      </p>
    </Part>
  );
}

/** Whether a branch is open now (the API decides, calendar exceptions included) and its next days' hours. */
function useBranchNow(branch: Branch | undefined, now: Date) {
  const today = branch ? localNow(branch.timeZone, now) : null;
  const weeks = today ? [isoWeekOf(today.date), isoWeekOf(shiftDate(today.date, 7))] : [];
  const open = useQuery({
    queryKey: ['branch-open', branch?.id],
    enabled: !!branch,
    queryFn: () => call<{ at: string; open: boolean }>(client.GET('/api/branches/{id}/open', { params: { path: { id: branch!.id } } })),
    refetchInterval: MINUTE,
  });
  const hours = useQueries({
    queries: weeks.map((week) => ({
      queryKey: ['branch-hours', branch?.id, week],
      queryFn: () => call<WeekHours>(client.GET('/api/branches/{id}/hours', { params: { path: { id: branch!.id }, query: { week } } })),
      staleTime: 10 * MINUTE,
    })),
  });
  const days = today ? daysFrom(hours.map((h) => h.data), today.date, 7) : [];
  return {
    open: open.data?.open,
    days,
    today: today?.date,
    next: today ? currentOrNextOpening(days, today.date, today.clock) : null,
    pending: open.isPending || hours.some((h) => h.isPending),
    error: open.error ?? hours.find((h) => h.error)?.error,
  };
}

function NearestBranch({ now }: { now: Date }) {
  const { t } = useTranslation();
  const branches = useBranches();
  const mine = useMyBranch();
  const items = branches.data?.items ?? [];
  const picked = items.find((b) => b.id === mine);
  const branch = picked ?? defaultBranch(items);
  return (
    <Part title={t('landing.branch')} className="card">
      <Alert error={branches.error} />
      {branches.isPending ? (
        <Loading />
      ) : !branch ? (
        <Empty />
      ) : (
        <>
          <Field label={t('landing.branchPick')} hint={picked ? t('landing.branchPickHint') : t('landing.branchDefault')}>
            {(id, hint) => (
              <select id={id} aria-describedby={hint} value={branch.id} onChange={(e) => setMyBranch(e.target.value)}>
                <Options items={items} label={(b) => b.name} />
              </select>
            )}
          </Field>
          <BranchNow branch={branch} now={now} />
          <NearbyOpen branches={items} from={branch} now={now} />
        </>
      )}
    </Part>
  );
}

function useWhen() {
  const { t, i18n } = useTranslation();
  const weekday = new Intl.DateTimeFormat(i18n.language === 'en' ? 'en-GB' : 'zh-CN', { weekday: 'short', month: 'short', day: 'numeric', timeZone: 'UTC' });
  const dayName = (date: string, today: string | undefined) =>
    date === today ? t('landing.today') : today && date === shiftDate(today, 1) ? t('landing.tomorrow') : weekday.format(new Date(`${date}T00:00:00Z`));
  const hoursOf = (day: Day | undefined) => {
    if (!day?.intervals.length) return t('landing.closedAllDay');
    if (day.intervals.length === 1 && day.intervals[0].opens === '00:00' && day.intervals[0].closes === '24:00') return t('landing.allDay');
    return day.intervals.map((i) => `${i.opens}–${i.closes}`).join(t('app.listSep'));
  };
  const when = (date: string, time: string, today: string | undefined) =>
    date === today
      ? t('landing.whenToday', { time })
      : today && date === shiftDate(today, 1)
        ? t('landing.whenTomorrow', { time })
        : t('landing.whenDay', { day: weekday.format(new Date(`${date}T00:00:00Z`)), time });
  return { dayName, hoursOf, when };
}

function BranchNow({ branch, now }: { branch: Branch; now: Date }) {
  const { t } = useTranslation();
  const { dayName, hoursOf, when } = useWhen();
  const state = useBranchNow(branch, now);
  if (state.pending) return <Loading />;
  if (state.error) return <Alert error={state.error} />;
  const next = state.next;
  return (
    <div data-testid="branch-now">
      <h3>{branch.name}</h3>
      {branch.address && <p className="muted">{branch.address}</p>}
      <p className={`status ${state.open ? 'open' : 'closed'}`} data-testid="branch-status">
        {state.open
          ? next?.inProgress
            ? next.closes === '24:00'
              ? t('landing.openUntilMidnight')
              : t('landing.openUntil', { time: next.closes })
            : t('landing.openNow')
          : next
            ? t('landing.closedOpens', { when: when(next.date, next.opens, state.today) })
            : t('landing.closedNow')}
      </p>
      <table className="table hours" data-testid="branch-hours">
        <caption>{t('landing.nextDays')}</caption>
        <tbody>
          {state.days.map((day) => (
            <tr key={day.date} className={day.date === state.today ? 'today' : undefined}>
              <th scope="row">{dayName(day.date, state.today)}</th>
              <td>
                {hoursOf(day)}
                {day.exception?.reason && <span className="muted small"> · {day.exception.reason}</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * When the branch is closed: the nearest branch in the network that is open now (see `nearbyInNetwork`:
 * up the network, then beside, then the central library's branches), with its hours today.
 */
function NearbyOpen({ branches, from, now }: { branches: Branch[]; from: Branch; now: Date }) {
  const { t } = useTranslation();
  const fromOpen = useQuery({
    queryKey: ['branch-open', from.id],
    queryFn: () => call<{ at: string; open: boolean }>(client.GET('/api/branches/{id}/open', { params: { path: { id: from.id } } })),
    refetchInterval: MINUTE,
  });
  const chain = fromOpen.data?.open === false ? nearbyInNetwork(branches, from.id) : [];
  const open = useQueries({
    queries: chain.map((b) => ({
      queryKey: ['branch-open', b.id],
      queryFn: () => call<{ at: string; open: boolean }>(client.GET('/api/branches/{id}/open', { params: { path: { id: b.id } } })),
      refetchInterval: MINUTE,
    })),
  });
  // The first open one in order, once all nearer ones are known to be closed (no jumping about while loading).
  const first = open.findIndex((q) => !q.isError && q.data?.open !== false);
  const nearest = first >= 0 && open[first].data?.open ? chain[first] : undefined;
  if (!nearest) return null;
  return (
    <div className="nearby">
      <p>
        <strong>{t('landing.openNearby')}</strong>
      </p>
      <NearbyBranch branch={nearest} now={now} />
    </div>
  );
}

function NearbyBranch({ branch, now }: { branch: Branch; now: Date }) {
  const { t } = useTranslation();
  const { hoursOf } = useWhen();
  const state = useBranchNow(branch, now);
  const today = state.days.find((d) => d.date === state.today);
  const allDay = today?.intervals.length === 1 && today.intervals[0].opens === '00:00' && today.intervals[0].closes === '24:00';
  return (
    <p data-testid="nearby-open">
      {branch.name}
      {t('app.colon')}
      {state.pending ? t('app.loading') : allDay ? t('landing.todayAllDay') : t('landing.todayHours', { hours: hoursOf(today) })}{' '}
      <button type="button" className="link" onClick={() => setMyBranch(branch.id)}>
        {t('landing.makeMine', { name: branch.name })}
      </button>
    </p>
  );
}

function GetACard() {
  const { t } = useTranslation();
  const { role } = useSession();
  return (
    <Part title={t('landing.cardTitle')} className="card">
      <ol className="steps">
        <li>
          {t('landing.cardOnline')} <Link to="/register">{t('landing.registerOnline')}</Link>
        </li>
        <li>{t('landing.cardDesk')}</li>
      </ol>
      <p className="callout">{t('landing.cardEverywhere')}</p>
      {role === 'resident' ? (
        <p>
          <Link to="/card">{t('landing.myCard')}</Link>
        </p>
      ) : (
        <p>
          {t('auth.haveAccount')} <Link to="/login">{t('app.login')}</Link>
        </p>
      )}
    </Part>
  );
}
