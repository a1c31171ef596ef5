import { DateTime } from 'luxon';
import { dayHours, OpeningCalendar, OpeningInterval } from '@lib/network';

/**
 * The demo's calendar arithmetic. Every "today" is a local date in a zone — the district's (TIME_ZONE)
 * or a branch's own — taken from one instant the seeder reads once; never the machine's zone, which
 * may be UTC or anything else (and may be just past midnight where Shanghai is not).
 */

/** The local date (YYYY-MM-DD) of an instant in a zone. */
export function localDate(at: Date, zone: string): string {
  return DateTime.fromJSDate(at, { zone }).toISODate()!;
}

/** A local date moved by whole days (calendar days: no zone, no DST). */
export function plusDays(date: string, days: number): string {
  return DateTime.fromISO(date, { zone: 'UTC' }).plus({ days }).toISODate()!;
}

/** Whole days from `a` to `b` (both local dates). */
export function daysBetween(a: string, b: string): number {
  return Math.round(DateTime.fromISO(b, { zone: 'UTC' }).diff(DateTime.fromISO(a, { zone: 'UTC' }), 'days').days);
}

/** ISO weekday of a local date: 1 = Monday … 7 = Sunday. */
export function weekdayOf(date: string): number {
  return DateTime.fromISO(date, { zone: 'UTC' }).weekday;
}

/** The instant of a wall-clock time ("HH:mm", "24:00" allowed) on a local date in a zone. */
export function instantAt(date: string, clock: string, zone: string): Date {
  return DateTime.fromISO(date, { zone }).startOf('day').plus({ minutes: minutesOf(clock) }).toJSDate();
}

export function minutesOf(clock: string): number {
  const [h, m] = clock.split(':').map(Number);
  return h * 60 + m;
}

export function clockOf(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** Open intervals of a local date (weekly hours or that day's exception). */
export function openIntervals(calendar: OpeningCalendar, date: string): OpeningInterval[] {
  return dayHours(calendar, date).intervals;
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
