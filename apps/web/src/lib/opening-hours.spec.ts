import { hoursText, parseHours, weeklyHours } from './opening-hours';

describe('weekly opening hours as typed on the branch page', () => {
  it('reads several intervals a day, in either punctuation, and pads single-digit hours', () => {
    expect(parseHours('9:00-12:00， 14:00–17:30', 6)).toEqual([
      { weekday: 6, opens: '09:00', closes: '12:00' },
      { weekday: 6, opens: '14:00', closes: '17:30' },
    ]);
    expect(parseHours('  ', 7)).toEqual([]);
    expect(parseHours('08:00-24:00', 1)).toEqual([{ weekday: 1, opens: '08:00', closes: '24:00' }]);
  });

  it('refuses what it cannot read rather than guessing', () => {
    expect(parseHours('9点到5点', 1)).toBeNull();
    expect(parseHours('09:00-12:00, afternoon', 1)).toBeNull();
  });

  it('writes a day back in opening order, so an unchanged form saves what was there', () => {
    const week = [
      { weekday: 2, opens: '14:00', closes: '18:00' },
      { weekday: 2, opens: '09:00', closes: '12:00' },
      { weekday: 3, opens: '09:00', closes: '17:00' },
    ];
    expect(hoursText(week, 2)).toBe('09:00-12:00, 14:00-18:00');
    expect(hoursText(week, 1)).toBe('');
    expect(parseHours(hoursText(week, 2), 2)).toEqual([week[1], week[0]]);
  });

  it('adds up the hours of a week', () => {
    expect(weeklyHours([1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opens: '08:00', closes: '21:00' })))).toBe(91);
    expect(weeklyHours([{ weekday: 1, opens: '09:00', closes: '12:30' }])).toBe(3.5);
    expect(weeklyHours([])).toBe(0);
  });
});
