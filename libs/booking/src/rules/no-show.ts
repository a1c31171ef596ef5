/** The district's no-show rule: too many no-shows in a window bar booking for a while. */
export interface NoShowRule {
  limit: number;
  windowDays: number;
  banDays: number;
}

export const DEFAULT_NO_SHOW_RULE: NoShowRule = { limit: 3, windowDays: 90, banDays: 30 };

/** Until when a person may not book, given the times of their no-shows; null when they may. */
export function bookingBanUntil(noShows: Date[], now: Date, rule: NoShowRule = DEFAULT_NO_SHOW_RULE): Date | null {
  const day = 86_400_000;
  const recent = noShows.filter((d) => d.getTime() > now.getTime() - rule.windowDays * day).sort((a, b) => a.getTime() - b.getTime());
  if (recent.length < rule.limit) return null;
  // The ban runs from the no-show that reached the limit.
  const trigger = recent[recent.length - 1];
  const until = new Date(trigger.getTime() + rule.banDays * day);
  return until > now ? until : null;
}
