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
