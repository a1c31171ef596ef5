import { takeIfNewer, type SeenSeats } from './seat-order';

describe('takeIfNewer', () => {
  it('takes the first counts of a session, then only ones read no earlier', () => {
    const seen: SeenSeats = new Map();
    expect(takeIfNewer(seen, 's1', 500)).toBe(true);
    expect(takeIfNewer(seen, 's1', 700)).toBe(true);
    // Pushed by another instance that read before the 700 one: ignored, and it does not lower the mark.
    expect(takeIfNewer(seen, 's1', 600)).toBe(false);
    expect(seen.get('s1')).toBe(700);
    expect(takeIfNewer(seen, 's1', 700)).toBe(true);
    expect(takeIfNewer(seen, 's1', 701)).toBe(true);
  });

  it('keeps each session apart', () => {
    const seen: SeenSeats = new Map([['s1', 900]]);
    expect(takeIfNewer(seen, 's2', 100)).toBe(true);
    expect(takeIfNewer(seen, 's1', 800)).toBe(false);
  });

  it('takes counts without a position (an older server) and leaves the mark alone', () => {
    const seen: SeenSeats = new Map([['s1', 900]]);
    expect(takeIfNewer(seen, 's1', undefined)).toBe(true);
    expect(seen.get('s1')).toBe(900);
  });
});
