import { OpeningCalendar } from '@lib/network';
import { bookingWindowProblem, freeSpans, spansStillBookable } from './booking-window';
import { bookingBanUntil } from './no-show';

const calendar: OpeningCalendar = {
  timeZone: 'Asia/Shanghai',
  weekly: [1, 2, 3, 4, 5, 6, 7].flatMap((weekday) => [
    { weekday: weekday as 1, opens: '09:00', closes: '12:00' },
    { weekday: weekday as 1, opens: '13:00', closes: '21:00' },
  ]),
  exceptions: [{ date: '2026-11-26', intervals: [] }],
};
const venue = { slotMinutes: 30, minMinutes: 60, maxMinutes: 180, maxDaysAhead: 7 };
const now = new Date('2026-11-22T01:00:00Z'); // 09:00 Shanghai
const at = (local: string) => new Date(`${local}+08:00`);

describe('bookingWindowProblem', () => {
  it('accepts a span inside one open interval on slot boundaries', () => {
    expect(bookingWindowProblem(at('2026-11-23T14:00:00'), at('2026-11-23T16:00:00'), venue, calendar, now)).toBeNull();
    expect(bookingWindowProblem(at('2026-11-23T19:00:00'), at('2026-11-23T21:00:00'), venue, calendar, now)).toBeNull();
  });

  it.each([
    ['2026-11-22T08:00:00', '2026-11-22T10:00:00', 'BOOKING_IN_PAST'],
    ['2026-11-30T14:00:00', '2026-11-30T15:00:00', 'BOOKING_TOO_FAR_AHEAD'],
    ['2026-11-23T14:00:00', '2026-11-23T14:30:00', 'BOOKING_TOO_SHORT'],
    ['2026-11-23T13:00:00', '2026-11-23T17:00:00', 'BOOKING_TOO_LONG'],
    ['2026-11-23T14:15:00', '2026-11-23T15:15:00', 'BOOKING_OFF_SLOT'],
    ['2026-11-23T11:00:00', '2026-11-23T13:30:00', 'BOOKING_OUTSIDE_HOURS'], // over the lunch break
    ['2026-11-26T14:00:00', '2026-11-26T15:00:00', 'BOOKING_OUTSIDE_HOURS'], // a closed day
    ['2026-11-23T20:00:00', '2026-11-23T21:30:00', 'BOOKING_OUTSIDE_HOURS'],
  ])('refuses %s–%s with %s', (from, to, code) => {
    expect(bookingWindowProblem(at(from), at(to), venue, calendar, now)?.code).toBe(code);
  });
});

describe('freeSpans', () => {
  it('subtracts taken spans from open intervals', () => {
    expect(
      freeSpans(
        [
          { opens: '09:00', closes: '12:00' },
          { opens: '13:00', closes: '21:00' },
        ],
        [
          { from: '10:00', to: '11:00' },
          { from: '11:30', to: '14:00' },
          { from: '20:00', to: '21:00' },
        ],
      ),
    ).toEqual([
      { from: '09:00', to: '10:00' },
      { from: '11:00', to: '11:30' },
      { from: '14:00', to: '20:00' },
    ]);
  });
});

describe('bookingBanUntil', () => {
  const day = 86_400_000;
  const t = new Date('2026-11-22T00:00:00Z');
  it('bans for 30 days from the third no-show within 90 days', () => {
    const shows = [new Date(t.getTime() - 80 * day), new Date(t.getTime() - 40 * day), new Date(t.getTime() - 2 * day)];
    expect(bookingBanUntil(shows, t)?.toISOString()).toBe(new Date(t.getTime() + 28 * day).toISOString());
  });

  it('does not count no-shows older than the window, and lifts the ban when it ends', () => {
    expect(bookingBanUntil([new Date(t.getTime() - 100 * day), new Date(t.getTime() - 40 * day), new Date(t.getTime() - 2 * day)], t)).toBeNull();
    expect(bookingBanUntil([new Date(t.getTime() - 85 * day), new Date(t.getTime() - 60 * day), new Date(t.getTime() - 31 * day)], t)).toBeNull();
  });
});

describe('spansStillBookable', () => {
  const free = [
    { from: '09:00', to: '12:00' },
    { from: '13:00', to: '14:00' },
    { from: '15:10', to: '16:50' },
  ];

  it('keeps what starts on a slot boundary after now and is long enough for one booking', () => {
    // 11:05: the morning has 11:30–12:00 left, shorter than the 60-minute minimum; 15:10–16:50 rounds to 15:30–16:30.
    expect(spansStillBookable(free, 11 * 60 + 5, { slotMinutes: 30, minMinutes: 60 })).toEqual([
      { from: '13:00', to: '14:00' },
      { from: '15:30', to: '16:30' },
    ]);
    expect(spansStillBookable(free, 8 * 60, { slotMinutes: 30, minMinutes: 30 })[0]).toEqual({ from: '09:00', to: '12:00' });
  });

  it('never offers the slot that starts at this very minute, which is already in the past', () => {
    expect(spansStillBookable([{ from: '13:00', to: '14:00' }], 13 * 60, { slotMinutes: 30, minMinutes: 30 })).toEqual([{ from: '13:30', to: '14:00' }]);
    expect(spansStillBookable([{ from: '13:00', to: '14:00' }], 13 * 60 + 29.9, { slotMinutes: 30, minMinutes: 30 })).toEqual([{ from: '13:30', to: '14:00' }]);
  });

  it('has nothing left once the last slot of the day has begun', () => {
    expect(spansStillBookable([{ from: '00:00', to: '24:00' }], 23 * 60 + 31, { slotMinutes: 30, minMinutes: 30 })).toEqual([]);
    expect(spansStillBookable([{ from: '00:00', to: '24:00' }], 23 * 60 + 29, { slotMinutes: 30, minMinutes: 30 })).toEqual([{ from: '23:30', to: '24:00' }]);
  });
});
