/** A branch's weekly opening pattern as the admin pages read and type it. */
export interface OpeningInterval {
  weekday: number;
  opens: string;
  closes: string;
}

/** One weekday's intervals as an administrator types them: "09:00-12:00, 14:00-18:00"; empty means closed. */
export function hoursText(hours: OpeningInterval[], weekday: number): string {
  return hours
    .filter((h) => h.weekday === weekday)
    .sort((a, b) => a.opens.localeCompare(b.opens))
    .map((h) => `${h.opens}-${h.closes}`)
    .join(', ');
}

/** The intervals in a weekday's text, or null if some part is not "HH:mm-HH:mm". */
export function parseHours(text: string, weekday: number): OpeningInterval[] | null {
  const parts = text.split(/[,，;；]/).map((p) => p.trim()).filter(Boolean);
  const out: OpeningInterval[] = [];
  for (const part of parts) {
    const m = /^(\d{1,2}:\d{2})\s*[-–~至]\s*(\d{1,2}:\d{2})$/.exec(part);
    if (!m) return null;
    const pad = (s: string) => s.padStart(5, '0');
    out.push({ weekday, opens: pad(m[1]), closes: pad(m[2]) });
  }
  return out;
}

/** Hours open in a week, from the weekly pattern. */
export function weeklyHours(hours: OpeningInterval[]): number {
  const minutes = (s: string) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3, 5));
  return Math.round(hours.reduce((sum, h) => sum + Math.max(0, minutes(h.closes) - minutes(h.opens)), 0) / 6) / 10;
}

