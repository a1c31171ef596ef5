import { DateTime } from 'luxon';
import { dayHours, nextOpenDay, OpeningCalendar } from '@lib/network';

/**
 * The due date: `days` after the checkout day at the checkout branch, rolled forward to the next day
 * the branch is open (closed days and holidays never hold a due date), due at the end of that day.
 */
export function dueDateAt(checkout: Date, days: number, calendar: OpeningCalendar): Date {
  const zone = calendar.timeZone;
  const target = DateTime.fromJSDate(checkout, { zone }).startOf('day').plus({ days }).toISODate()!;
  const open = nextOpenDay(calendar, target) ?? target;
  return DateTime.fromISO(open, { zone }).endOf('day').toJSDate();
}

/** Past this many late days a fine is at any cap there could be; counting further changes nothing. */
const MAX_COUNTED_DAYS = 3660;

/**
 * Whole days late: returned on the due day is on time; each local calendar day after it counts one.
 * Given the branch's opening calendar, only the days it is open count (a day it is closed, weekly or for a
 * holiday, costs the resident nothing, as they could not have returned the copy there that day).
 */
export function daysOverdue(dueAt: Date, returnedAt: Date, timeZone: string, openDays?: OpeningCalendar): number {
  const due = DateTime.fromJSDate(dueAt, { zone: timeZone }).startOf('day');
  const back = DateTime.fromJSDate(returnedAt, { zone: timeZone }).startOf('day');
  const calendarDays = Math.max(0, Math.round(back.diff(due, 'days').days));
  if (!openDays) return calendarDays;
  let open = 0;
  for (let d = 1; d <= Math.min(calendarDays, MAX_COUNTED_DAYS); d++) {
    if (dayHours(openDays, due.plus({ days: d }).toISODate()!).intervals.length > 0) open++;
  }
  return open;
}

export function overdueFine(days: number, perDay: number, cap: number): number {
  if (days <= 0 || perDay <= 0) return 0;
  const fine = Math.round(days * perDay * 100) / 100;
  return cap > 0 ? Math.min(fine, cap) : fine;
}
