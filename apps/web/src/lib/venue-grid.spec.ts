import { extendSelection, slotStarts, slotState, zonedIso, type DayAvailability } from './venue-grid';

const day: DayAvailability = {
  date: '2026-11-23',
  open: [{ opens: '09:00', closes: '12:00' }],
  taken: [{ from: '10:00', to: '10:30' }],
  free: [
    { from: '09:00', to: '10:00' },
    { from: '10:30', to: '12:00' },
  ],
};

describe('venue availability grid', () => {
  it('lists slots over the opening hours and tells free, taken and closed apart', () => {
    expect(slotStarts([day], 30)).toEqual([540, 570, 600, 630, 660, 690]);
    expect([540, 600, 630, 720].map((m) => slotState(day, m, 30))).toEqual(['free', 'taken', 'free', 'closed']);
  });

  it('stretches a selection over free slots only', () => {
    const first = extendSelection(day, null, 540, 30);
    expect(first).toEqual({ date: day.date, from: 540, to: 570 });
    expect(extendSelection(day, first, 570, 30)).toEqual({ date: day.date, from: 540, to: 600 });
    // across the taken 10:00 slot: starts again at the click
    expect(extendSelection(day, first, 660, 30)).toEqual({ date: day.date, from: 660, to: 690 });
    // a taken slot changes nothing; clicking the only selected slot clears it
    expect(extendSelection(day, first, 600, 30)).toBe(first);
    expect(extendSelection(day, first, 540, 30)).toBeNull();
  });

  it('writes times with the venue zone offset', () => {
    expect(zonedIso('2026-11-23', '14:00', 'Asia/Shanghai')).toBe('2026-11-23T14:00:00+08:00');
    expect(zonedIso('2026-07-01', '09:30', 'UTC')).toBe('2026-07-01T09:30:00+00:00');
  });
});
