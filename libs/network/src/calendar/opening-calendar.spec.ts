import {
  dayHours,
  InvalidCalendarInputError,
  isOpenAt,
  isoWeekOf,
  nextOpenDay,
  OpeningCalendar,
  openHoursInWeek,
  parseIsoWeek,
  validateOpeningIntervals,
  WeeklyHours,
} from './opening-calendar';

/** Tuesday-Sunday 09:00-21:00, closed on Mondays: 6 days x 12 h = 72 h a week. */
function mondayClosedLibrary(overrides: Partial<OpeningCalendar> = {}): OpeningCalendar {
  const weekly: WeeklyHours[] = [2, 3, 4, 5, 6, 7].map((weekday) => ({
    weekday: weekday as WeeklyHours['weekday'],
    opens: '09:00',
    closes: '21:00',
  }));
  return { timeZone: 'Asia/Shanghai', weekly, exceptions: [], ...overrides };
}

const at = (iso: string) => new Date(iso);

describe('parseIsoWeek', () => {
  it('parses a well-formed week', () => {
    expect(parseIsoWeek('2026-W48')).toEqual({ year: 2026, week: 48 });
  });

  it('accepts W53 only in years that have it', () => {
    expect(parseIsoWeek('2020-W53')).toEqual({ year: 2020, week: 53 });
    expect(parseIsoWeek('2026-W53')).toEqual({ year: 2026, week: 53 });
    expect(() => parseIsoWeek('2021-W53')).toThrow(InvalidCalendarInputError);
    expect(() => parseIsoWeek('2021-W53')).toThrow('ISO year 2021 has weeks W01-W52');
  });

  it.each(['2026-48', '2026-W00', '2026-W54', '2026-W4', '2026-w48', ' 2026-W48', ''])('rejects "%s"', (week) => {
    expect(() => parseIsoWeek(week)).toThrow(InvalidCalendarInputError);
  });
});

describe('isoWeekOf', () => {
  it('uses the local date in the given zone, not the UTC date', () => {
    // Sunday 17:30 UTC is already Monday 01:30 in Shanghai, i.e. the next ISO week.
    expect(isoWeekOf(at('2026-11-22T17:30:00Z'), 'UTC')).toBe('2026-W47');
    expect(isoWeekOf(at('2026-11-22T17:30:00Z'), 'Asia/Shanghai')).toBe('2026-W48');
  });

  it('uses the ISO week-year around new year', () => {
    expect(isoWeekOf(at('2020-12-31T20:00:00Z'), 'Asia/Shanghai')).toBe('2020-W53');
    expect(isoWeekOf(at('2021-01-03T15:59:00Z'), 'Asia/Shanghai')).toBe('2020-W53');
    expect(isoWeekOf(at('2021-01-03T16:00:00Z'), 'Asia/Shanghai')).toBe('2021-W01');
  });

  it('rejects an unknown zone and an invalid Date', () => {
    expect(() => isoWeekOf(at('2026-01-01T00:00:00Z'), 'Asia/Atlantis')).toThrow(InvalidCalendarInputError);
    expect(() => isoWeekOf(new Date('nonsense'), 'Asia/Shanghai')).toThrow(InvalidCalendarInputError);
  });
});

describe('dayHours', () => {
  it('returns two sorted intervals for a day with a lunch break', () => {
    const calendar: OpeningCalendar = {
      timeZone: 'Asia/Shanghai',
      weekly: [
        { weekday: 6, opens: '13:30', closes: '17:30' },
        { weekday: 6, opens: '09:00', closes: '12:00' },
      ],
      exceptions: [],
    };
    expect(dayHours(calendar, '2026-11-28')).toEqual({
      date: '2026-11-28',
      weekday: 6,
      intervals: [
        { opens: '09:00', closes: '12:00' },
        { opens: '13:30', closes: '17:30' },
      ],
      hours: 7,
    });
  });

  it('reports a Monday with no weekly hours as closed', () => {
    const day = dayHours(mondayClosedLibrary(), '2026-11-23');
    expect(day).toEqual({ date: '2026-11-23', weekday: 1, intervals: [], hours: 0 });
    expect(day).not.toHaveProperty('exception');
  });

  it('lets a closed-all-day exception win over the weekly pattern', () => {
    const calendar = mondayClosedLibrary({
      exceptions: [{ date: '2026-10-01', intervals: [], reason: 'National Day' }],
    });
    expect(dayHours(calendar, '2026-10-01')).toEqual({
      date: '2026-10-01',
      weekday: 4,
      intervals: [],
      hours: 0,
      exception: { reason: 'National Day' },
    });
  });

  it('replaces the weekly pattern with special hours, even on a normally closed Monday', () => {
    const calendar = mondayClosedLibrary({
      exceptions: [
        {
          date: '2026-11-23',
          intervals: [
            { opens: '14:00', closes: '16:15' },
            { opens: '10:00', closes: '12:00' },
          ],
        },
      ],
    });
    expect(dayHours(calendar, '2026-11-23')).toEqual({
      date: '2026-11-23',
      weekday: 1,
      intervals: [
        { opens: '10:00', closes: '12:00' },
        { opens: '14:00', closes: '16:15' },
      ],
      hours: 4.25,
      exception: {},
    });
  });

  it('counts a closes of "24:00" as the end of the day', () => {
    const calendar = mondayClosedLibrary({ weekly: [{ weekday: 5, opens: '20:00', closes: '24:00' }] });
    expect(dayHours(calendar, '2026-11-27').hours).toBe(4);
  });

  it('rounds fractional hours to two decimals', () => {
    const calendar = mondayClosedLibrary({ weekly: [{ weekday: 5, opens: '09:00', closes: '09:20' }] });
    expect(dayHours(calendar, '2026-11-27').hours).toBe(0.33);
  });

  it.each(['2026-2-3', '2026-02-30', '26-02-03', '2026-02-03T00:00', ''])('rejects the malformed date "%s"', (date) => {
    expect(() => dayHours(mondayClosedLibrary(), date)).toThrow(InvalidCalendarInputError);
  });

  it('rejects an unknown time zone', () => {
    expect(() => dayHours(mondayClosedLibrary({ timeZone: 'China/Beijing' }), '2026-11-23')).toThrow(
      'time zone "China/Beijing" is not a known IANA zone',
    );
  });

  it('rejects a calendar with invalid or duplicated entries', () => {
    const badWeekly = mondayClosedLibrary({ weekly: [{ weekday: 2, opens: '18:00', closes: '09:00' }] });
    expect(() => dayHours(badWeekly, '2026-11-24')).toThrow(
      'invalid weekly hours: item 1: opens "18:00" must be before closes "09:00"',
    );
    const duplicated = mondayClosedLibrary({
      exceptions: [
        { date: '2026-10-01', intervals: [] },
        { date: '2026-10-01', intervals: [{ opens: '09:00', closes: '12:00' }] },
      ],
    });
    expect(() => dayHours(duplicated, '2026-10-01')).toThrow('exception date "2026-10-01" is listed more than once');
    const badExceptionDate = mondayClosedLibrary({ exceptions: [{ date: '2026/10/01', intervals: [] }] });
    expect(() => dayHours(badExceptionDate, '2026-10-01')).toThrow(InvalidCalendarInputError);
  });
});

describe('isOpenAt (Asia/Shanghai, UTC+8)', () => {
  const calendar = mondayClosedLibrary();

  it('is open from the exact opening minute', () => {
    expect(isOpenAt(calendar, at('2026-11-24T00:59:59Z'))).toBe(false); // Tue 08:59:59 local
    expect(isOpenAt(calendar, at('2026-11-24T01:00:00Z'))).toBe(true); // Tue 09:00 local
  });

  it('is closed from the exact closing minute', () => {
    expect(isOpenAt(calendar, at('2026-11-24T12:59:59Z'))).toBe(true); // Tue 20:59:59 local
    expect(isOpenAt(calendar, at('2026-11-24T13:00:00Z'))).toBe(false); // Tue 21:00 local
  });

  it('evaluates a UTC instant on its local date', () => {
    // Sunday 17:30 UTC would be inside Sunday hours, but locally it is Monday 01:30 (closed).
    expect(isOpenAt(calendar, at('2026-11-22T17:30:00Z'))).toBe(false);
    // Monday 02:00 UTC is Monday 10:00 local: still closed, because Mondays are closed.
    expect(isOpenAt(calendar, at('2026-11-23T02:00:00Z'))).toBe(false);
    // Sunday 01:30 UTC is Sunday 09:30 local: open.
    expect(isOpenAt(calendar, at('2026-11-22T01:30:00Z'))).toBe(true);
  });

  it('respects the lunch break', () => {
    const lunch: OpeningCalendar = {
      timeZone: 'Asia/Shanghai',
      weekly: [
        { weekday: 6, opens: '09:00', closes: '12:00' },
        { weekday: 6, opens: '13:30', closes: '17:30' },
      ],
      exceptions: [],
    };
    expect(isOpenAt(lunch, at('2026-11-28T03:59:00Z'))).toBe(true); // 11:59
    expect(isOpenAt(lunch, at('2026-11-28T04:00:00Z'))).toBe(false); // 12:00
    expect(isOpenAt(lunch, at('2026-11-28T05:29:00Z'))).toBe(false); // 13:29
    expect(isOpenAt(lunch, at('2026-11-28T05:30:00Z'))).toBe(true); // 13:30
  });

  it('applies holiday and special-hours exceptions', () => {
    const withExceptions = mondayClosedLibrary({
      exceptions: [
        { date: '2026-10-01', intervals: [], reason: 'National Day' },
        { date: '2026-10-02', intervals: [{ opens: '10:00', closes: '16:00' }], reason: 'Golden Week' },
      ],
    });
    expect(isOpenAt(withExceptions, at('2026-10-01T04:00:00Z'))).toBe(false); // Thu 12:00, holiday
    expect(isOpenAt(withExceptions, at('2026-10-02T01:30:00Z'))).toBe(false); // Fri 09:30, before special hours
    expect(isOpenAt(withExceptions, at('2026-10-02T02:00:00Z'))).toBe(true); // Fri 10:00
    expect(isOpenAt(withExceptions, at('2026-10-02T08:00:00Z'))).toBe(false); // Fri 16:00
  });

  it('is open until midnight when closes is "24:00"', () => {
    const lateNight = mondayClosedLibrary({ weekly: [{ weekday: 5, opens: '20:00', closes: '24:00' }] });
    expect(isOpenAt(lateNight, at('2026-11-27T15:59:00Z'))).toBe(true); // Fri 23:59
    expect(isOpenAt(lateNight, at('2026-11-27T16:00:00Z'))).toBe(false); // Sat 00:00
  });

  it('rejects an unknown zone and an invalid Date', () => {
    expect(() => isOpenAt(mondayClosedLibrary({ timeZone: 'Nowhere/Else' }), at('2026-11-24T01:00:00Z'))).toThrow(
      InvalidCalendarInputError,
    );
    expect(() => isOpenAt(calendar, new Date(Number.NaN))).toThrow(InvalidCalendarInputError);
  });
});

describe('openHoursInWeek', () => {
  it('sums a normal week: 6 days x 12 h = 72 h', () => {
    const week = openHoursInWeek(mondayClosedLibrary(), '2026-W48');
    expect(week.week).toBe('2026-W48');
    expect(week.timeZone).toBe('Asia/Shanghai');
    expect(week.from).toBe('2026-11-23');
    expect(week.to).toBe('2026-11-29');
    expect(week.days.map((d) => d.date)).toEqual([
      '2026-11-23',
      '2026-11-24',
      '2026-11-25',
      '2026-11-26',
      '2026-11-27',
      '2026-11-28',
      '2026-11-29',
    ]);
    expect(week.days.map((d) => d.weekday)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(week.days.map((d) => d.hours)).toEqual([0, 12, 12, 12, 12, 12, 12]);
    expect(week.totalHours).toBe(72);
  });

  it('subtracts a holiday and counts special hours', () => {
    const calendar = mondayClosedLibrary({
      exceptions: [
        { date: '2026-10-01', intervals: [], reason: 'National Day' },
        { date: '2026-10-02', intervals: [{ opens: '10:00', closes: '16:00' }], reason: 'Golden Week' },
        { date: '2026-10-12', intervals: [] }, // another week: must not count
      ],
    });
    const week = openHoursInWeek(calendar, '2026-W40');
    expect(week.from).toBe('2026-09-28');
    expect(week.to).toBe('2026-10-04');
    expect(week.days.map((d) => d.hours)).toEqual([0, 12, 12, 0, 6, 12, 12]);
    expect(week.days[3].exception).toEqual({ reason: 'National Day' });
    expect(week.days[4].exception).toEqual({ reason: 'Golden Week' });
    expect(week.totalHours).toBe(54);
  });

  it('handles a week 53 that crosses the year boundary', () => {
    const calendar = mondayClosedLibrary({ exceptions: [{ date: '2021-01-01', intervals: [], reason: "New Year's Day" }] });
    const week = openHoursInWeek(calendar, '2020-W53');
    expect(week.from).toBe('2020-12-28');
    expect(week.to).toBe('2021-01-03');
    expect(week.days.map((d) => d.hours)).toEqual([0, 12, 12, 12, 0, 12, 12]);
    expect(week.totalHours).toBe(60);
  });

  it('starts 2021-W01 on 2021-01-04 and 2026-W53 on 2026-12-28', () => {
    const w01 = openHoursInWeek(mondayClosedLibrary(), '2021-W01');
    expect([w01.from, w01.to, w01.totalHours]).toEqual(['2021-01-04', '2021-01-10', 72]);
    const w53 = openHoursInWeek(mondayClosedLibrary(), '2026-W53');
    expect([w53.from, w53.to, w53.totalHours]).toEqual(['2026-12-28', '2027-01-03', 72]);
  });

  it('rounds the total to two decimals from exact minutes', () => {
    // 7 x 20 min = 140 min = 2.333... h; summing rounded days (7 x 0.33) would give 2.31.
    const weekly: WeeklyHours[] = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({
      weekday: weekday as WeeklyHours['weekday'],
      opens: '09:00',
      closes: '09:20',
    }));
    expect(openHoursInWeek(mondayClosedLibrary({ weekly }), '2026-W48').totalHours).toBe(2.33);
  });

  it('rejects bad weeks', () => {
    expect(() => openHoursInWeek(mondayClosedLibrary(), '2021-W53')).toThrow(InvalidCalendarInputError);
    expect(() => openHoursInWeek(mondayClosedLibrary(), '2026-48')).toThrow(InvalidCalendarInputError);
  });
});

describe('DST zone (Europe/Berlin, spring-forward on Sunday 2026-03-29)', () => {
  const berlin: OpeningCalendar = {
    timeZone: 'Europe/Berlin',
    weekly: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({
      weekday: weekday as WeeklyHours['weekday'],
      opens: '09:00',
      closes: '17:00',
    })),
    exceptions: [],
  };

  it('still counts 8 hours for 09:00-17:00 on the transition day', () => {
    expect(dayHours(berlin, '2026-03-29').hours).toBe(8);
    expect(openHoursInWeek(berlin, '2026-W13').totalHours).toBe(56);
  });

  it('counts the real 23 hours for a full day on the transition day', () => {
    const allDay = { ...berlin, weekly: [{ weekday: 7 as const, opens: '00:00', closes: '24:00' }] };
    expect(dayHours(allDay, '2026-03-29').hours).toBe(23);
    expect(dayHours(allDay, '2026-10-25').hours).toBe(25); // fall-back day
  });

  it('opens at 09:00 local on both sides of the transition', () => {
    // Saturday: CET = UTC+1.
    expect(isOpenAt(berlin, at('2026-03-28T07:59:00Z'))).toBe(false);
    expect(isOpenAt(berlin, at('2026-03-28T08:00:00Z'))).toBe(true);
    // Sunday after 02:00 -> 03:00: CEST = UTC+2.
    expect(isOpenAt(berlin, at('2026-03-29T06:59:00Z'))).toBe(false);
    expect(isOpenAt(berlin, at('2026-03-29T07:00:00Z'))).toBe(true);
    expect(isOpenAt(berlin, at('2026-03-29T14:59:00Z'))).toBe(true);
    expect(isOpenAt(berlin, at('2026-03-29T15:00:00Z'))).toBe(false);
  });
});

describe('nextOpenDay', () => {
  it('returns the date itself when it is open', () => {
    expect(nextOpenDay(mondayClosedLibrary(), '2026-11-24')).toBe('2026-11-24');
  });

  it('skips a closed Monday followed by a holiday', () => {
    const calendar = mondayClosedLibrary({ exceptions: [{ date: '2026-11-24', intervals: [], reason: 'stocktaking' }] });
    expect(nextOpenDay(calendar, '2026-11-23')).toBe('2026-11-25');
  });

  it('skips a week-long closure across a year boundary', () => {
    const closures = ['2026-12-29', '2026-12-30', '2026-12-31', '2027-01-01', '2027-01-02', '2027-01-03'];
    const calendar = mondayClosedLibrary({ exceptions: closures.map((date) => ({ date, intervals: [] })) });
    // 2026-12-28 and 2027-01-04 are Mondays.
    expect(nextOpenDay(calendar, '2026-12-28')).toBe('2027-01-05');
  });

  it('returns null when the branch is never open', () => {
    expect(nextOpenDay(mondayClosedLibrary({ weekly: [] }), '2026-11-23')).toBeNull();
  });

  it('searches exactly maxDays days, starting with the date itself', () => {
    const calendar = mondayClosedLibrary({
      weekly: [],
      exceptions: [{ date: '2026-12-01', intervals: [{ opens: '09:00', closes: '12:00' }] }],
    });
    // 2026-12-01 is 8 days after 2026-11-23, i.e. the 9th day searched.
    expect(nextOpenDay(calendar, '2026-11-23', 8)).toBeNull();
    expect(nextOpenDay(calendar, '2026-11-23', 9)).toBe('2026-12-01');
    expect(nextOpenDay(calendar, '2026-12-01', 0)).toBeNull();
  });

  it('rejects malformed input', () => {
    expect(() => nextOpenDay(mondayClosedLibrary(), '2026-11-31')).toThrow(InvalidCalendarInputError);
    expect(() => nextOpenDay(mondayClosedLibrary(), '2026-11-23', -1)).toThrow(InvalidCalendarInputError);
    expect(() => nextOpenDay(mondayClosedLibrary({ timeZone: 'Mars/Olympus' }), '2026-11-23')).toThrow(
      InvalidCalendarInputError,
    );
  });
});

describe('validateOpeningIntervals', () => {
  it('returns [] for a valid list, including touching intervals and "24:00"', () => {
    expect(
      validateOpeningIntervals([
        { weekday: 1, opens: '09:00', closes: '12:00' },
        { weekday: 1, opens: '12:00', closes: '24:00' },
        { weekday: 2, opens: '09:00', closes: '21:00' },
      ]),
    ).toEqual([]);
  });

  it('reports opens not before closes', () => {
    expect(
      validateOpeningIntervals([
        { weekday: 1, opens: '09:00', closes: '12:00' },
        { weekday: 1, opens: '18:00', closes: '09:00' },
        { weekday: 2, opens: '10:00', closes: '10:00' },
      ]),
    ).toEqual([
      'item 2: opens "18:00" must be before closes "09:00"',
      'item 3: opens "10:00" must be before closes "10:00"',
    ]);
  });

  it('reports bad "HH:mm" formats', () => {
    expect(
      validateOpeningIntervals([
        { opens: '9:00', closes: '12:00' },
        { opens: '09:00', closes: '24:30' },
        { opens: '24:00', closes: '24:00' },
        { opens: '13:60', closes: '25:00' },
      ]),
    ).toEqual([
      'item 1: opens "9:00" is not a valid "HH:mm" time',
      'item 2: closes "24:30" is not a valid "HH:mm" time (00:00-24:00)',
      'item 3: opens "24:00" is not a valid "HH:mm" time',
      'item 4: opens "13:60" is not a valid "HH:mm" time',
      'item 4: closes "25:00" is not a valid "HH:mm" time (00:00-24:00)',
    ]);
  });

  it('reports a weekday outside 1-7', () => {
    expect(
      validateOpeningIntervals([
        { weekday: 0, opens: '09:00', closes: '12:00' },
        { weekday: 8, opens: '09:00', closes: '12:00' },
        { weekday: 2.5, opens: '09:00', closes: '12:00' },
        { weekday: 7, opens: '09:00', closes: '12:00' },
      ]),
    ).toEqual([
      'item 1: weekday 0 must be an integer from 1 (Monday) to 7 (Sunday)',
      'item 2: weekday 8 must be an integer from 1 (Monday) to 7 (Sunday)',
      'item 3: weekday 2.5 must be an integer from 1 (Monday) to 7 (Sunday)',
    ]);
  });

  it('reports overlaps on the same weekday only', () => {
    expect(
      validateOpeningIntervals([
        { weekday: 3, opens: '09:00', closes: '12:00' },
        { weekday: 4, opens: '11:00', closes: '14:00' },
        { weekday: 3, opens: '11:30', closes: '14:00' },
        { weekday: 3, opens: '08:00', closes: '22:00' },
      ]),
    ).toEqual([
      'items 1 and 3 overlap on weekday 3: "09:00"-"12:00" and "11:30"-"14:00"',
      'items 1 and 4 overlap on weekday 3: "09:00"-"12:00" and "08:00"-"22:00"',
      'items 3 and 4 overlap on weekday 3: "11:30"-"14:00" and "08:00"-"22:00"',
    ]);
  });

  it('reports overlaps within one exception (no weekday)', () => {
    expect(
      validateOpeningIntervals([
        { opens: '10:00', closes: '16:00' },
        { opens: '15:00', closes: '18:00' },
      ]),
    ).toEqual(['items 1 and 2 overlap: "10:00"-"16:00" and "15:00"-"18:00"']);
  });

  it('does not compare malformed items for overlap', () => {
    expect(
      validateOpeningIntervals([
        { opens: '10:00', closes: '16:00' },
        { opens: '18:00', closes: '11:00' },
      ]),
    ).toEqual(['item 2: opens "18:00" must be before closes "11:00"']);
  });
});

describe('InvalidCalendarInputError', () => {
  it('is a named Error subclass', () => {
    let caught: unknown;
    try {
      parseIsoWeek('2026-W00');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidCalendarInputError);
    expect(caught).toBeInstanceOf(Error);
    expect((caught as Error).name).toBe('InvalidCalendarInputError');
    expect((caught as Error).message).toBe('week "2026-W00" does not exist: ISO year 2026 has weeks W01-W53');
  });
});
