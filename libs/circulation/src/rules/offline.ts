/** How far ahead of the server's clock an offline record may be dated: a desk clock running a little fast. */
export const OFFLINE_CLOCK_SKEW_MS = 5 * 60_000;
/** The oldest offline record applied without a librarian: older ones are conflicts to settle by hand. */
export const OFFLINE_MAX_AGE_DAYS = 30;

export type OfflineTiming = { ok: true } | { ok: false; code: 'OFFLINE_AT_IN_FUTURE' | 'OFFLINE_AT_TOO_OLD' };

/** Whether an offline record's own time may stand as the time of the checkout or return. */
export function offlineTiming(at: Date, now: Date): OfflineTiming {
  if (at.getTime() > now.getTime() + OFFLINE_CLOCK_SKEW_MS) return { ok: false, code: 'OFFLINE_AT_IN_FUTURE' };
  if (at.getTime() < now.getTime() - OFFLINE_MAX_AGE_DAYS * 86_400_000) return { ok: false, code: 'OFFLINE_AT_TOO_OLD' };
  return { ok: true };
}

/**
 * The order a desk's offline records are applied in: by their own time, and records of the same
 * instant in the order uploaded. Returns the indexes into `records`.
 */
export function inTimeOrder(records: ReadonlyArray<{ at: Date }>): number[] {
  return records.map((_, i) => i).sort((a, b) => records[a].at.getTime() - records[b].at.getTime() || a - b);
}
