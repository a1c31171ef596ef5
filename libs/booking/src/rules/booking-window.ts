import { DateTime } from 'luxon';
import { dayHours, OpeningCalendar } from '@lib/network';

export interface VenueRules {
  slotMinutes: number;
  minMinutes: number;
  maxMinutes: number;
  maxDaysAhead: number;
}

export type BookingWindowProblem =
  | { code: 'BOOKING_IN_PAST' }
  | { code: 'BOOKING_TOO_FAR_AHEAD'; maxDaysAhead: number }
  | { code: 'BOOKING_TOO_SHORT'; minMinutes: number }
  | { code: 'BOOKING_TOO_LONG'; maxMinutes: number }
  | { code: 'BOOKING_OFF_SLOT'; slotMinutes: number }
  | { code: 'BOOKING_OUTSIDE_HOURS' };

/**
 * Why a span cannot be booked, or null when it can: in the future, within the booking horizon, a
 * whole number of slots between the minimum and maximum, starting on a slot boundary, and wholly
 * inside one open interval of that local day (a booking never spans a lunch break or a closed day).
 */
export function bookingWindowProblem(
  startsAt: Date,
  endsAt: Date,
  venue: VenueRules,
  calendar: OpeningCalendar,
  now: Date,
): BookingWindowProblem | null {
  if (startsAt.getTime() <= now.getTime()) return { code: 'BOOKING_IN_PAST' };
  const zone = calendar.timeZone;
  const start = DateTime.fromJSDate(startsAt, { zone });
  const end = DateTime.fromJSDate(endsAt, { zone });
  const horizon = DateTime.fromJSDate(now, { zone }).startOf('day').plus({ days: venue.maxDaysAhead + 1 });
  if (start >= horizon) return { code: 'BOOKING_TOO_FAR_AHEAD', maxDaysAhead: venue.maxDaysAhead };
  const minutes = end.diff(start, 'minutes').minutes;
  if (minutes < venue.minMinutes) return { code: 'BOOKING_TOO_SHORT', minMinutes: venue.minMinutes };
  if (minutes > venue.maxMinutes) return { code: 'BOOKING_TOO_LONG', maxMinutes: venue.maxMinutes };
  const fromMidnight = start.diff(start.startOf('day'), 'minutes').minutes;
  if (minutes % venue.slotMinutes !== 0 || fromMidnight % venue.slotMinutes !== 0 || start.second !== 0) {
    return { code: 'BOOKING_OFF_SLOT', slotMinutes: venue.slotMinutes };
  }
  const day = dayHours(calendar, start.toISODate()!);
  const startClock = start.toFormat('HH:mm');
  const endClock = end.hasSame(start, 'day') ? end.toFormat('HH:mm') : end.toFormat('HH:mm') === '00:00' && end.diff(start.startOf('day'), 'hours').hours === 24 ? '24:00' : null;
  if (!endClock || !day.intervals.some((i) => i.opens <= startClock && endClock <= i.closes)) return { code: 'BOOKING_OUTSIDE_HOURS' };
  return null;
}

/** Free spans of one day: the open intervals minus what is taken, in local "HH:mm". */
export function freeSpans(
  intervals: Array<{ opens: string; closes: string }>,
  taken: Array<{ from: string; to: string }>,
): Array<{ from: string; to: string }> {
  const free: Array<{ from: string; to: string }> = [];
  const sorted = [...taken].sort((a, b) => a.from.localeCompare(b.from));
  for (const interval of intervals) {
    let cursor = interval.opens;
    for (const t of sorted) {
      if (t.to <= cursor || t.from >= interval.closes) continue;
      if (t.from > cursor) free.push({ from: cursor, to: t.from < interval.closes ? t.from : interval.closes });
      if (t.to > cursor) cursor = t.to;
    }
    if (cursor < interval.closes) free.push({ from: cursor, to: interval.closes });
  }
  return free;
}

/**
 * Of a day's free spans, what a booking made now could still take: from the first slot boundary after
 * `nowMinutes` (wall-clock minutes since that day's midnight; a booking must start in the future), in
 * whole slots, and at least `minMinutes` long. Spans too short for one booking are left out.
 */
export function spansStillBookable(
  free: Array<{ from: string; to: string }>,
  nowMinutes: number,
  venue: Pick<VenueRules, 'slotMinutes' | 'minMinutes'>,
): Array<{ from: string; to: string }> {
  const slot = venue.slotMinutes;
  const firstStart = (Math.floor(nowMinutes / slot) + 1) * slot;
  const minutes = (clock: string) => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));
  const clock = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  const left: Array<{ from: string; to: string }> = [];
  for (const span of free) {
    const start = Math.max(firstStart, Math.ceil(minutes(span.from) / slot) * slot);
    const end = Math.floor(minutes(span.to) / slot) * slot;
    if (end - start >= Math.max(venue.minMinutes, slot)) left.push({ from: clock(start), to: clock(end) });
  }
  return left;
}
