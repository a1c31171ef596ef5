/**
 * Seat counts reach a page from several API instances (each pushes its own read after a commit) and from
 * the `watch` answer, so they can arrive out of order. Each carries `asOf`, its place in the database's
 * commit order (a later read never has a smaller one). The page keeps, per session, the newest it has seen.
 */
export type SeenSeats = Map<string, number>;

/** Whether counts read `asOf` for this session should replace what is shown; records it when so. */
export function takeIfNewer(seen: SeenSeats, sessionId: string, asOf: number | undefined): boolean {
  // An answer without a position (an older server) is taken as it comes, as before.
  if (typeof asOf !== 'number' || !Number.isFinite(asOf)) return true;
  const last = seen.get(sessionId);
  // Equal positions saw the same commits, hence the same counts: taking either is right.
  if (last !== undefined && asOf < last) return false;
  seen.set(sessionId, asOf);
  return true;
}

/** The counts of one session as a page shows them, with the position of the read they came from. */
export interface SeatCounts {
  id: string;
  seatsLeft: number;
  waitlisted: number;
  confirmed: number;
  capacity: number;
  asOf?: number;
}

/**
 * Merges an activity read over HTTP into what is shown: each session takes the read's counts only if no
 * newer ones (a push that arrived while the request was on its way) are shown; otherwise it keeps those.
 * Everything else (title, times) comes from the read.
 */
export function keepNewerSeats<S extends SeatCounts, A extends { sessions: S[] }>(seen: SeenSeats, shown: A | undefined, read: A): A {
  const before = new Map(shown?.sessions.map((s) => [s.id, s]));
  return {
    ...read,
    sessions: read.sessions.map((s) => {
      const old = before.get(s.id);
      if (takeIfNewer(seen, s.id, s.asOf) || !old) return s;
      return { ...s, seatsLeft: old.seatsLeft, waitlisted: old.waitlisted, confirmed: old.confirmed, capacity: old.capacity, asOf: old.asOf };
    }),
  };
}
