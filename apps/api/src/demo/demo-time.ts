import { DateTime } from 'luxon';
import type { OpeningCalendar, OpeningInterval } from '@lib/network';

/**
 * The demo's calendar arithmetic. Every "today" is a local date in a zone — the district's (TIME_ZONE)
 * or a branch's own — taken from one instant the seeder reads once; never the machine's zone, which
 * may be UTC or anything else (and may be just past midnight where Shanghai is not).
 */

/** The local date (YYYY-MM-DD) of an instant in a zone. */
export function localDate(at: Date, zone: string): string {
  return DateTime.fromJSDate(at, { zone }).toISODate()!;
}

const DAY_MS = 86_400_000;
const utcMidnight = (date: string) => Date.parse(`${date}T00:00:00Z`);

/** A local date moved by whole days (calendar days: no zone, no DST). */
export function plusDays(date: string, days: number): string {
  return new Date(utcMidnight(date) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from `a` to `b` (both local dates). */
export function daysBetween(a: string, b: string): number {
  return Math.round((utcMidnight(b) - utcMidnight(a)) / DAY_MS);
}

/** ISO weekday of a local date: 1 = Monday … 7 = Sunday. */
export function weekdayOf(date: string): number {
  return ((new Date(utcMidnight(date)).getUTCDay() + 6) % 7) + 1;
}

/** The zone's UTC offset (minutes) through a local date, or null when it changes that day (a DST switch). */
const steadyOffsets = new Map<string, number | null>();
function steadyOffset(date: string, zone: string): number | null {
  const key = `${zone}|${date}`;
  if (!steadyOffsets.has(key)) {
    const start = DateTime.fromISO(date, { zone }).startOf('day');
    const end = start.plus({ days: 1 }).minus({ milliseconds: 1 });
    steadyOffsets.set(key, start.offset === end.offset ? start.offset : null);
  }
  return steadyOffsets.get(key)!;
}

/**
 * The instant of a wall-clock time ("HH:mm", "24:00" allowed) on a local date in a zone. The zone's
 * offset is looked up once per day (the history asks for thousands of instants); on a DST day luxon
 * reads the wall clock itself.
 */
export function instantAt(date: string, clock: string, zone: string): Date {
  const offset = steadyOffset(date, zone);
  if (offset !== null) return new Date(utcMidnight(date) + (minutesOf(clock) - offset) * 60_000);
  if (clock === '24:00') return DateTime.fromISO(plusDays(date, 1), { zone }).toJSDate();
  return DateTime.fromISO(`${date}T${clock}`, { zone }).toJSDate();
}

export function minutesOf(clock: string): number {
  const [h, m] = clock.split(':').map(Number);
  return h * 60 + m;
}

export function clockOf(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** `minutes` after `now`, rounded up to a whole minute: "opens at 14:35", a time one can wait for. */
export function minutesAfter(now: Date, minutes: number): Date {
  return new Date(Math.ceil((now.getTime() + minutes * 60_000) / 60_000) * 60_000);
}

/**
 * Open intervals of a local date: that day's exception if it has one, else the weekly hours of its
 * weekday — the rule of the network lib's `dayHours`, which the spec checks this against. Looked up
 * directly because the history asks for thousands of days and `dayHours` validates the whole
 * calendar (and its zone) on every call; calendars read from the database are valid already.
 */
export function openIntervals(calendar: OpeningCalendar, date: string): OpeningInterval[] {
  const exception = calendar.exceptions.find((e) => e.date === date);
  const source = exception ? exception.intervals : calendar.weekly.filter((w) => w.weekday === weekdayOf(date));
  return source.map(({ opens, closes }) => ({ opens, closes })).sort((a, b) => a.opens.localeCompare(b.opens));
}

/** [clock, clock + minutes) lies inside one open interval of the date. */
export function fitsOpenHours(calendar: OpeningCalendar, date: string, clock: string, minutes: number): boolean {
  const from = minutesOf(clock);
  return openIntervals(calendar, date).some((i) => minutesOf(i.opens) <= from && from + minutes <= minutesOf(i.closes));
}

/**
 * The first local date on or after `from` — on `weekday` if given — on which the span fits the open
 * hours; null if none within `withinDays`. Closed days and holidays (the calendar's exceptions) are skipped.
 */
export function firstFittingDay(
  calendar: OpeningCalendar,
  from: string,
  span: { weekday?: number; clock: string; minutes: number },
  withinDays = 120,
): string | null {
  for (let offset = 0; offset <= withinDays; offset++) {
    const date = plusDays(from, offset);
    if (span.weekday && weekdayOf(date) !== span.weekday) continue;
    if (fitsOpenHours(calendar, date, span.clock, span.minutes)) return date;
  }
  return null;
}

/**
 * A deterministic number in [0, 1) for a key (FNV-1a): the demo's "randomness", so the same day gives
 * the same figures on every machine and every run.
 */
export function noise(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash / 2 ** 32;
}

/** A deterministic integer in [min, max] for a key. */
export function pick(key: string, min: number, max: number): number {
  return min + Math.floor(noise(key) * (max - min + 1));
}
