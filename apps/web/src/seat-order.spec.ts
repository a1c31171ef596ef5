import { keepNewerSeats, takeIfNewer, type SeenSeats } from './seat-order';

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

describe('keepNewerSeats (an HTTP read of the activity meeting pushed counts)', () => {
  const session = (id: string, seatsLeft: number, asOf?: number) => ({ id, startsAt: `${id}-start`, seatsLeft, waitlisted: 0, confirmed: 10 - seatsLeft, capacity: 10, asOf });

  it('keeps a pushed count that is newer than the read, and takes the read where it is the newer', () => {
    const seen: SeenSeats = new Map([['s1', 900], ['s2', 300]]);
    const shown = { title: 'old title', sessions: [session('s1', 4, 900), session('s2', 8, 300)] };
    // The read was sent before the push of 900 arrived: s1 from the read (7 seats, 800) is older.
    const read = { title: 'new title', sessions: [session('s1', 7, 800), session('s2', 6, 800)] };
    const merged = keepNewerSeats(seen, shown, read);
    expect(merged.title).toBe('new title');
    expect(merged.sessions[0]).toMatchObject({ id: 's1', seatsLeft: 4, confirmed: 6, asOf: 900 });
    expect(merged.sessions[1]).toMatchObject({ id: 's2', seatsLeft: 6, confirmed: 4, asOf: 800 });
    expect(seen).toEqual(new Map([['s1', 900], ['s2', 800]]));
  });

  it('takes the read for a session it has nothing to keep for, and a read without positions as it comes', () => {
    const seen: SeenSeats = new Map([['s1', 900]]);
    // A push arrived before the first read finished: nothing shown to keep, so the read stands.
    expect(keepNewerSeats(seen, undefined, { sessions: [session('s1', 7, 800)] }).sessions[0].seatsLeft).toBe(7);
    const shown = { sessions: [session('s1', 4, 900)] };
    expect(keepNewerSeats(seen, shown, { sessions: [session('s1', 7)] }).sessions[0].seatsLeft).toBe(7);
  });

  it('lets a newer read replace counts a push put there', () => {
    const seen: SeenSeats = new Map([['s1', 900]]);
    const merged = keepNewerSeats(seen, { sessions: [session('s1', 4, 900)] }, { sessions: [session('s1', 2, 950)] });
    expect(merged.sessions[0]).toMatchObject({ seatsLeft: 2, asOf: 950 });
    expect(seen.get('s1')).toBe(950);
  });
});
