import { currentOrNextStop, weeklyDates } from './mobile-visits';

describe('weeklyDates', () => {
  it('repeats the day weekly, across a month and a year end', () => {
    expect(weeklyDates('2026-12-24', 3)).toEqual(['2026-12-24', '2026-12-31', '2027-01-07']);
    expect(weeklyDates('2028-02-22', 2)).toEqual(['2028-02-22', '2028-02-29']);
  });

  it('gives one date at least and a year of weeks at most', () => {
    expect(weeklyDates('2026-12-01', 0)).toEqual(['2026-12-01']);
    expect(weeklyDates('2026-12-01', Number.NaN)).toEqual(['2026-12-01']);
    expect(weeklyDates('2026-12-01', 500)).toHaveLength(52);
  });
});

describe('currentOrNextStop', () => {
  const stop = (name: string, ...starts: string[]) => ({ name, visits: starts.map((startsAt) => ({ startsAt })) });
  const now = new Date('2026-12-09T02:00:00Z');

  it('prefers the stop whose visit is on now (begun, not ended: the API lists only visits not yet ended)', () => {
    expect(currentOrNextStop([stop('later', '2026-12-09T05:00:00Z'), stop('on', '2026-12-09T01:30:00Z')], now)?.name).toBe('on');
  });

  it('else takes the stop visited soonest, and none when nothing is scheduled', () => {
    expect(currentOrNextStop([stop('none'), stop('week', '2026-12-16T01:30:00Z'), stop('tomorrow', '2026-12-10T01:30:00+00:00')], now)?.name).toBe('tomorrow');
    expect(currentOrNextStop([stop('none')], now)).toBeUndefined();
  });
});
