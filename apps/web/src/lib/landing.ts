// What the public landing page picks to show. Pure functions over API answers, unit-tested.
import type { Activity, Branch, FreeToday, Session, WeekHours } from '../api/schema';
import type { SeatCounts } from '../seat-order';

/** The calendar date (YYYY-MM-DD) and wall clock ("HH:mm") at `now` in a time zone, whatever the browser's zone. */
export function localNow(timeZone: string, now: Date): { date: string; clock: string } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(now);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return { date: `${part('year')}-${part('month')}-${part('day')}`, clock: `${part('hour')}:${part('minute')}` };
}

/** A calendar date `days` later (or earlier), by the calendar, not by a zone's clock. */
export function shiftDate(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** The ISO week ("2026-W48") a calendar date falls in: weeks start on Monday; week 1 holds the year's first Thursday. */
export function isoWeekOf(date: string): string {
  const day = new Date(`${date}T00:00:00Z`);
  const thursday = new Date(day.getTime() + (3 - ((day.getUTCDay() + 6) % 7)) * 86_400_000);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * 86_400_000)) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

export interface Upcoming {
  activity: Activity;
  /**
   * The session whose seats are shown: the first that starts after now with seats left; for a series
   * (one registration takes every session) the one with the fewest seats left, which bounds them all.
   */
  session: Session;
  /** When it starts for whoever signs up now: that session, or a series' first session. */
  startsAt: string;
}

/**
 * Activities a resident can still sign up for: each with its first session that starts after `now` with
 * seats left. Those whose registration opens at a time still to come lead, soonest opening first (a popular
 * class is pressed for the moment it opens, however far off its session is); the rest follow, soonest
 * session first. Those whose registration has closed are left out.
 */
export function upcomingWithSeats(activities: Activity[], now: Date, limit: number): Upcoming[] {
  const at = now.getTime();
  const opensLater = (a: Activity) => (a.registrationOpensAt && Date.parse(a.registrationOpensAt) > at ? Date.parse(a.registrationOpensAt) : null);
  return activities
    .filter((a) => !a.registrationClosesAt || Date.parse(a.registrationClosesAt) > at)
    .flatMap((activity): Upcoming[] => {
      const sessions = [...activity.sessions].sort((x, y) => x.startsAt.localeCompare(y.startsAt));
      if (activity.series) {
        // All or nothing, and closed to newcomers once its first session has begun.
        if (!sessions.length || Date.parse(sessions[0].startsAt) <= at) return [];
        const tightest = sessions.reduce((min, s) => (s.seatsLeft < min.seatsLeft ? s : min));
        return tightest.seatsLeft > 0 ? [{ activity, session: tightest, startsAt: sessions[0].startsAt }] : [];
      }
      const session = sessions.find((s) => Date.parse(s.startsAt) > at && s.seatsLeft > 0);
      return session ? [{ activity, session, startsAt: session.startsAt }] : [];
    })
    .sort((x, y) => {
      const [ox, oy] = [opensLater(x.activity), opensLater(y.activity)];
      if (ox !== null || oy !== null) return (ox ?? Infinity) - (oy ?? Infinity);
      return Date.parse(x.startsAt) - Date.parse(y.startsAt);
    })
    .slice(0, limit);
}

/** The counts to show for a session: the pushed ones when they are at least as new as the read (by `asOf`). */
export function newerSeats(read: Session, pushed: SeatCounts | undefined): Pick<Session, 'seatsLeft' | 'capacity'> {
  if (!pushed) return read;
  if (typeof pushed.asOf === 'number' && typeof read.asOf === 'number' && pushed.asOf < read.asOf) return read;
  return pushed;
}

/**
 * The branch the page starts from before the resident picks one: the central library (总馆), else any
 * central branch, else the first fixed place (not a mobile service), in the API's order.
 */
export function defaultBranch(branches: Branch[]): Branch | undefined {
  const places = branches.filter((b) => b.kind !== 'mobile');
  return (
    places.find((b) => b.level === 'central' && b.kind === 'library') ??
    places.find((b) => b.level === 'central') ??
    places[0] ??
    branches[0]
  );
}

/**
 * Where to turn when a branch is closed, nearest first as the network itself tells it (branches carry no
 * coordinates): the branches above it (a service point's own branch, then the central library), then its
 * siblings under the same parent, then the central library's other branches. Mobile services are left
 * out; at most `max`.
 */
export function nearbyInNetwork(branches: Branch[], id: string, max = 8): Branch[] {
  const byId = new Map(branches.map((b) => [b.id, b]));
  const self = byId.get(id);
  if (!self) return [];
  const up: Branch[] = [];
  for (let b = byId.get(self.parentId ?? ''); b && !up.includes(b) && b.id !== id; b = byId.get(b.parentId ?? '')) up.push(b);
  const top = up[up.length - 1] ?? self;
  const siblings = branches.filter((b) => b.parentId === self.parentId);
  const underTop = branches.filter((b) => b.parentId === top.id && b.level === 'branch');
  const seen = new Set([id]);
  return [...up, ...siblings, ...underTop].filter((b) => b.kind !== 'mobile' && !seen.has(b.id) && seen.add(b.id)).slice(0, max);
}

export type Day = WeekHours['days'][number];

/** `count` days from `today` on, out of one or more weeks of hours (days missing from them are left out). */
export function daysFrom(weeks: Array<WeekHours | undefined>, today: string, count: number): Day[] {
  const days = new Map<string, Day>();
  for (const week of weeks) for (const day of week?.days ?? []) days.set(day.date, day);
  return [...days.values()].filter((d) => d.date >= today && d.date < shiftDate(today, count)).sort((a, b) => a.date.localeCompare(b.date));
}

/** The opening interval in progress at `clock` on `today`, or the next one after it, within the days given. */
export function currentOrNextOpening(days: Day[], today: string, clock: string): { date: string; opens: string; closes: string; inProgress: boolean } | null {
  for (const day of days) {
    if (day.date < today) continue;
    for (const interval of [...day.intervals].sort((a, b) => a.opens.localeCompare(b.opens))) {
      if (day.date === today && interval.closes <= clock) continue;
      return { date: day.date, ...interval, inProgress: day.date === today && interval.opens <= clock };
    }
  }
  return null;
}

/** Venues free today that residents may book, the chosen branch's first, then in the API's order. */
export function venuesForResidents(items: FreeToday['items'], branchId: string | undefined, limit: number): FreeToday['items'] {
  const open = items.filter((v) => v.whoMayBook.includes('resident'));
  return [...open.filter((v) => v.branchId === branchId), ...open.filter((v) => v.branchId !== branchId)].slice(0, limit);
}
