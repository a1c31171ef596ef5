import { DateTime } from 'luxon';
import { nextOpenDay, OpeningCalendar } from '@lib/network';

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

/** Whole days late: returned on the due day is on time; each local calendar day after it counts one. */
export function daysOverdue(dueAt: Date, returnedAt: Date, timeZone: string): number {
  const due = DateTime.fromJSDate(dueAt, { zone: timeZone }).startOf('day');
  const back = DateTime.fromJSDate(returnedAt, { zone: timeZone }).startOf('day');
  return Math.max(0, Math.round(back.diff(due, 'days').days));
}

export function overdueFine(days: number, perDay: number, cap: number): number {
  if (days <= 0 || perDay <= 0) return 0;
  const fine = Math.round(days * perDay * 100) / 100;
  return cap > 0 ? Math.min(fine, cap) : fine;
}
