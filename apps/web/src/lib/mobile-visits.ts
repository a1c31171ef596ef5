/** A visit's day and the same weekday in the weeks after it, `times` days in all (1 to 52): calendar days, no time zone involved. */
export function weeklyDates(first: string, times: number): string[] {
  const [y, m, d] = first.split('-').map(Number);
  const n = Math.max(1, Math.min(Math.floor(times) || 1, 52));
  return Array.from({ length: n }, (_, i) => new Date(Date.UTC(y, m - 1, d + 7 * i)).toISOString().slice(0, 10));
}

/** Of stops with their upcoming visits (soonest first), the one visited now, else the one visited soonest. */
export function currentOrNextStop<S extends { visits: Array<{ startsAt: string }> }>(stops: readonly S[], now: Date): S | undefined {
  const first = (s: S) => s.visits[0];
  const on = stops.find((s) => first(s) && Date.parse(first(s).startsAt) <= now.getTime());
  if (on) return on;
  return [...stops].filter(first).sort((a, b) => Date.parse(first(a).startsAt) - Date.parse(first(b).startsAt))[0];
}
