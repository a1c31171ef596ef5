// The venue availability grid: days as columns, slots as rows. Pure functions, unit-tested.

export type SlotState = 'free' | 'taken' | 'closed';

export interface DayAvailability {
  date: string;
  open: Array<{ opens: string; closes: string }>;
  taken: Array<{ from: string; to: string }>;
  free: Array<{ from: string; to: string }>;
}

export const toMinutes = (clock: string): number => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));
export const toClock = (minutes: number): string => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

const within = (start: number, end: number, spans: Array<{ from: string; to: string }>) =>
  spans.some((s) => toMinutes(s.from) <= start && end <= toMinutes(s.to));
const overlaps = (start: number, end: number, spans: Array<{ from: string; to: string }>) =>
  spans.some((s) => toMinutes(s.from) < end && start < toMinutes(s.to));

/** Slot start times (minutes after midnight) covering every day's opening hours. */
export function slotStarts(days: DayAvailability[], slotMinutes: number): number[] {
  const opens = days.flatMap((d) => d.open.map((o) => toMinutes(o.opens)));
  const closes = days.flatMap((d) => d.open.map((o) => toMinutes(o.closes)));
  if (!opens.length) return [];
  const first = Math.floor(Math.min(...opens) / slotMinutes) * slotMinutes;
  const starts: number[] = [];
  for (let m = first; m + slotMinutes <= Math.max(...closes); m += slotMinutes) starts.push(m);
  return starts;
}

export function slotState(day: DayAvailability, start: number, slotMinutes: number): SlotState {
  const end = start + slotMinutes;
  if (overlaps(start, end, day.taken)) return 'taken';
  return within(start, end, day.free) ? 'free' : 'closed';
}

/**
 * The selection after clicking a slot: the first click picks one slot; a later click on the same day
 * stretches it to cover both when every slot between is free, otherwise starts again there.
 */
export function extendSelection(
  day: DayAvailability,
  current: { date: string; from: number; to: number } | null,
  clicked: number,
  slotMinutes: number,
): { date: string; from: number; to: number } | null {
  if (slotState(day, clicked, slotMinutes) !== 'free') return current;
  const single = { date: day.date, from: clicked, to: clicked + slotMinutes };
  if (!current || current.date !== day.date) return single;
  if (clicked >= current.from && clicked < current.to) return current.to - current.from === slotMinutes ? null : single;
  const from = Math.min(current.from, clicked);
  const to = Math.max(current.to, clicked + slotMinutes);
  for (let m = from; m < to; m += slotMinutes) if (slotState(day, m, slotMinutes) !== 'free') return single;
  return { date: day.date, from, to };
}

/** `2026-11-23` + `14:00` in a time zone → ISO 8601 with that zone's offset on that day (what the API requires). */
export function zonedIso(date: string, clock: string, timeZone: string): string {
  const probe = new Date(`${date}T12:00:00Z`);
  const name = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }).formatToParts(probe).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const offset = name === 'GMT' ? '+00:00' : name.replace('GMT', '');
  return `${date}T${clock}:00${offset}`;
}
