import { DateTime } from 'luxon';
import { dayHours, OpeningCalendar } from '@lib/network';
import { DEMO_HISTORY_DAYS, planDoorCounts, planLoans } from './demo-history';
import { firstFittingDay, instantAt, localDate, minutesAfter, openIntervals, plusDays, weekdayOf } from './demo-time';

const ZONE = 'Asia/Shanghai';
const TUE_TO_SUN = [2, 3, 4, 5, 6, 7] as const;
/** The 中关村 branch's pattern: a lunch break, closed on Mondays and on New Year's Day. */
const BRANCH: OpeningCalendar = {
  timeZone: ZONE,
  weekly: TUE_TO_SUN.flatMap((weekday) => [
    { weekday, opens: '09:00', closes: '12:00' },
    { weekday, opens: '13:00', closes: '20:00' },
  ]),
  exceptions: [{ date: '2027-01-01', intervals: [] }],
};
const CENTRAL: OpeningCalendar = { timeZone: ZONE, weekly: TUE_TO_SUN.map((weekday) => ({ weekday, opens: '09:00', closes: '21:00' })), exceptions: [] };
const local = (at: Date) => DateTime.fromJSDate(at, { zone: ZONE });

describe('demo time', () => {
  it('reads today in the zone it is given, not the machine’s', () => {
    // 00:30 on New Year's Day in Shanghai is still 31 December in UTC and in Los Angeles.
    const at = new Date('2026-12-31T16:30:00Z');
    expect(localDate(at, ZONE)).toBe('2027-01-01');
    expect(localDate(at, 'UTC')).toBe('2026-12-31');
    expect(localDate(at, 'America/Los_Angeles')).toBe('2026-12-31');
    expect(plusDays('2027-02-27', 2)).toBe('2027-03-01');
    expect(plusDays('2027-01-01', -1)).toBe('2026-12-31');
    expect(weekdayOf('2027-01-01')).toBe(5);
  });

  it('turns a wall-clock time of a local date into the instant, DST days included', () => {
    expect(instantAt('2026-12-31', '23:30', ZONE).toISOString()).toBe('2026-12-31T15:30:00.000Z');
    expect(instantAt('2026-12-31', '24:00', ZONE).toISOString()).toBe('2026-12-31T16:00:00.000Z');
    // Los Angeles springs forward at 02:00 on 8 March 2026: 10:00 that day is PDT (UTC-7), 01:00 still PST.
    expect(instantAt('2026-03-08', '10:00', 'America/Los_Angeles').toISOString()).toBe('2026-03-08T17:00:00.000Z');
    expect(instantAt('2026-03-08', '01:00', 'America/Los_Angeles').toISOString()).toBe('2026-03-08T09:00:00.000Z');
    expect(instantAt('2026-03-09', '10:00', 'America/Los_Angeles').toISOString()).toBe('2026-03-09T17:00:00.000Z');
  });

  it('finds the first day a span fits inside one opening interval, skipping closed days', () => {
    // 31 Dec 2026 is a Thursday; 1 Jan closed; 11:00-13:00 never fits across the lunch break.
    expect(firstFittingDay(BRANCH, '2027-01-01', { clock: '10:00', minutes: 60 })).toBe('2027-01-02');
    expect(firstFittingDay(BRANCH, '2026-12-31', { weekday: 1, clock: '10:00', minutes: 60 }, 30)).toBeNull();
    expect(firstFittingDay(BRANCH, '2026-12-31', { clock: '11:00', minutes: 120 }, 30)).toBeNull();
    expect(firstFittingDay(BRANCH, '2026-12-31', { weekday: 6, clock: '13:00', minutes: 120 })).toBe('2027-01-02');
  });

  it('reads a day’s opening hours as the network lib does', () => {
    const calendar = { ...BRANCH, exceptions: [...BRANCH.exceptions, { date: '2026-12-31', intervals: [{ opens: '09:00', closes: '16:00' }] }] };
    for (let i = 0; i < 21; i++) {
      const date = plusDays('2026-12-20', i);
      expect(openIntervals(calendar, date)).toEqual(dayHours(calendar, date).intervals);
    }
  });

  it('opens "in a few minutes" on a whole minute', () => {
    const at = minutesAfter(new Date('2026-12-31T15:57:31.250Z'), 4);
    expect(at.toISOString()).toBe('2026-12-31T16:02:00.000Z');
  });
});

describe('demo history', () => {
  const today = '2027-01-05';

  it('counts door visitors per opening span on open days only, before today, the same every time', () => {
    const counts = planDoorCounts('HD-ZGC', 500, BRANCH, today);
    const days = new Set(counts.map((c) => local(c.from).toISODate()));
    expect([...days].every((d) => d! < today && d! >= plusDays(today, -DEMO_HISTORY_DAYS))).toBe(true);
    expect([...days].filter((d) => DateTime.fromISO(d!).weekday === 1)).toEqual([]);
    expect(days.has('2027-01-01')).toBe(false);
    const tuesday = counts.filter((c) => local(c.from).toISODate() === '2026-12-29');
    expect(tuesday.map((c) => `${local(c.from).toFormat('HH:mm')}-${local(c.to).toFormat('HH:mm')}`)).toEqual(['09:00-12:00', '13:00-20:00']);
    expect(counts.every((c) => c.count > 0)).toBe(true);
    expect(planDoorCounts('HD-ZGC', 500, BRANCH, today)).toEqual(counts);
  });

  it('lends each copy once at a time, back on time before today, on days its branches are open', () => {
    const calendars = new Map([
      ['zgc', BRANCH],
      ['lib', CENTRAL],
    ]);
    const loans = planLoans(
      { id: 'item', barcode: 'HD0000001', homeBranchId: 'zgc', itemType: 'book', acquiredOn: '2024-03-01' },
      calendars,
      () => today,
      () => 30,
      ['zgc', 'lib'],
    );
    expect(loans.length).toBeGreaterThan(3);
    let shelved = 0;
    for (const l of loans) {
      expect(l.checkedOutAt.getTime()).toBeGreaterThan(shelved);
      expect(l.returnedAt.getTime()).toBeGreaterThan(l.checkedOutAt.getTime());
      expect(l.returnedAt.getTime()).toBeLessThanOrEqual(l.dueAt.getTime());
      expect(local(l.returnedAt).toISODate()! < today).toBe(true);
      // Never on a Monday or New Year's Day (both branches' closures); by day within opening hours.
      for (const at of [l.checkedOutAt, l.returnedAt]) {
        expect(local(at).weekday).not.toBe(1);
        expect(local(at).toISODate()).not.toBe('2027-01-01');
        expect(local(at).hour).toBeGreaterThanOrEqual(9);
      }
      if (l.returnBranchId !== 'zgc') expect(l.transit).not.toBeNull();
      shelved = (l.transit?.receivedAt ?? l.returnedAt).getTime();
    }
    expect(new Set(loans.map((l) => l.patronCategory)).size).toBeGreaterThan(1);
  });
});
