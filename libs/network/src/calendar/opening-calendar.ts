import { DateTime, IANAZone } from 'luxon';

export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7; // ISO: 1 = Monday ... 7 = Sunday

/** Local wall-clock times "HH:mm" (24-hour); `closes` may be "24:00"; `opens` < `closes`. */
export interface OpeningInterval {
  opens: string;
  closes: string;
}

export interface WeeklyHours extends OpeningInterval {
  weekday: IsoWeekday;
}

/** `intervals: []` closes the branch all day; otherwise the intervals replace the weekly pattern. */
export interface CalendarException {
  date: string;
  intervals: OpeningInterval[];
  reason?: string;
}

export interface OpeningCalendar {
  timeZone: string;
  weekly: WeeklyHours[];
  exceptions: CalendarException[];
}

export interface DayHours {
  date: string;
  weekday: IsoWeekday;
  intervals: OpeningInterval[];
  hours: number;
  exception?: { reason?: string };
}

export interface WeekHours {
  week: string;
  timeZone: string;
  from: string;
  to: string;
  days: DayHours[];
  totalHours: number;
}

export class InvalidCalendarInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidCalendarInputError';
  }
}

const OPENS_PATTERN = /^([01]\d|2[0-3]):[0-5]\d$/;
const CLOSES_PATTERN = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;
const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
const WEEK_PATTERN = /^(\d{4})-W(\d{2})$/;
const DEFAULT_SEARCH_DAYS = 366;

// ---------------------------------------------------------------------------
// Week and date parsing
// ---------------------------------------------------------------------------

export function parseIsoWeek(week: string): { year: number; week: number } {
  const match = typeof week === 'string' ? WEEK_PATTERN.exec(week) : null;
  if (!match) {
    throw new InvalidCalendarInputError(`week "${week}" must look like "YYYY-Www", e.g. "2026-W48"`);
  }
  const year = Number(match[1]);
  const weekNumber = Number(match[2]);
  const weeksInYear = mondayOfIsoWeek(year, 1).weeksInWeekYear;
  if (weekNumber < 1 || weekNumber > weeksInYear) {
    throw new InvalidCalendarInputError(`week "${week}" does not exist: ISO year ${year} has weeks W01-W${pad2(weeksInYear)}`);
  }
  return { year, week: weekNumber };
}

export function isoWeekOf(instant: Date, timeZone: string): string {
  assertValidZone(timeZone);
  const local = DateTime.fromJSDate(assertValidInstant(instant), { zone: timeZone });
  return formatIsoWeek(local.weekYear, local.weekNumber);
}

function formatIsoWeek(year: number, week: number): string {
  return `${year}-W${pad2(week)}`;
}

/** Calendar dates are handled in UTC so that stepping day by day never meets a DST transition. */
function mondayOfIsoWeek(year: number, week: number): DateTime {
  return DateTime.fromObject({ weekYear: year, weekNumber: week, weekday: 1 }, { zone: 'utc' });
}

function parseLocalDate(date: string, label = 'date'): DateTime {
  const parsed = typeof date === 'string' && DATE_PATTERN.test(date) ? DateTime.fromISO(date, { zone: 'utc' }) : null;
  if (!parsed || !parsed.isValid) {
    throw new InvalidCalendarInputError(`${label} "${date}" must be a real calendar date in "YYYY-MM-DD" format`);
  }
  return parsed;
}

function assertValidZone(timeZone: string): void {
  if (typeof timeZone !== 'string' || !IANAZone.isValidZone(timeZone)) {
    throw new InvalidCalendarInputError(`time zone "${timeZone}" is not a known IANA zone`);
  }
}

function assertValidInstant(instant: Date): Date {
  if (!(instant instanceof Date) || Number.isNaN(instant.getTime())) {
    throw new InvalidCalendarInputError('instant must be a valid Date');
  }
  return instant;
}

function pad2(value: number): string {
  return String(value).padStart(2, '0');
}

// ---------------------------------------------------------------------------
// Interval validation
// ---------------------------------------------------------------------------

export function validateOpeningIntervals(list: Array<OpeningInterval & { weekday?: number }>): string[] {
  const problems = list.flatMap((item, index) => itemProblems(item, index + 1));
  return [...problems, ...overlapProblems(list)];
}

function itemProblems(item: OpeningInterval & { weekday?: number }, itemNumber: number): string[] {
  const problems: string[] = [];
  const prefix = `item ${itemNumber}:`;
  if (!isValidOpens(item.opens)) problems.push(`${prefix} opens "${item.opens}" is not a valid "HH:mm" time`);
  if (!isValidCloses(item.closes)) problems.push(`${prefix} closes "${item.closes}" is not a valid "HH:mm" time (00:00-24:00)`);
  if (isValidOpens(item.opens) && isValidCloses(item.closes) && item.opens >= item.closes) {
    problems.push(`${prefix} opens "${item.opens}" must be before closes "${item.closes}"`);
  }
  if (item.weekday !== undefined && !isIsoWeekday(item.weekday)) {
    problems.push(`${prefix} weekday ${item.weekday} must be an integer from 1 (Monday) to 7 (Sunday)`);
  }
  return problems;
}

/** Only well-formed items are compared, so each bad item is reported once, by itemProblems. */
function overlapProblems(list: Array<OpeningInterval & { weekday?: number }>): string[] {
  const numbered = list.map((item, index) => ({ item, itemNumber: index + 1 }));
  const wellFormed = numbered.filter(({ item, itemNumber }) => itemProblems(item, itemNumber).length === 0);
  const problems: string[] = [];
  wellFormed.forEach((a, i) => {
    for (const b of wellFormed.slice(i + 1)) {
      if (a.item.weekday === b.item.weekday && a.item.opens < b.item.closes && b.item.opens < a.item.closes) {
        const where = a.item.weekday === undefined ? '' : ` on weekday ${a.item.weekday}`;
        problems.push(
          `items ${a.itemNumber} and ${b.itemNumber} overlap${where}: ` +
            `"${a.item.opens}"-"${a.item.closes}" and "${b.item.opens}"-"${b.item.closes}"`,
        );
      }
    }
  });
  return problems;
}

function isValidOpens(value: unknown): value is string {
  return typeof value === 'string' && OPENS_PATTERN.test(value);
}

function isValidCloses(value: unknown): value is string {
  return typeof value === 'string' && CLOSES_PATTERN.test(value);
}

function isIsoWeekday(value: unknown): value is IsoWeekday {
  return Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 7;
}

// ---------------------------------------------------------------------------
// Calendar compilation: validate once, index for lookups
// ---------------------------------------------------------------------------

interface CompiledCalendar {
  timeZone: string;
  weekly: Map<IsoWeekday, OpeningInterval[]>;
  exceptions: Map<string, CalendarException>;
}

function compileCalendar(calendar: OpeningCalendar): CompiledCalendar {
  assertValidZone(calendar.timeZone);
  const missingWeekday = calendar.weekly.flatMap((item, index) =>
    item.weekday === undefined ? [`item ${index + 1}: weekday is required`] : [],
  );
  assertNoProblems('weekly hours', [...missingWeekday, ...validateOpeningIntervals(calendar.weekly)]);
  const weekly = new Map<IsoWeekday, OpeningInterval[]>();
  for (const { weekday, opens, closes } of calendar.weekly) {
    weekly.set(weekday, [...(weekly.get(weekday) ?? []), { opens, closes }]);
  }
  return { timeZone: calendar.timeZone, weekly, exceptions: indexExceptions(calendar.exceptions) };
}

function indexExceptions(exceptions: CalendarException[]): Map<string, CalendarException> {
  const byDate = new Map<string, CalendarException>();
  for (const exception of exceptions) {
    parseLocalDate(exception.date, 'exception date');
    if (byDate.has(exception.date)) {
      throw new InvalidCalendarInputError(`exception date "${exception.date}" is listed more than once`);
    }
    assertNoProblems(`exception ${exception.date}`, validateOpeningIntervals(exception.intervals));
    byDate.set(exception.date, exception);
  }
  return byDate;
}

function assertNoProblems(context: string, problems: string[]): void {
  if (problems.length > 0) {
    throw new InvalidCalendarInputError(`invalid ${context}: ${problems.join('; ')}`);
  }
}

// ---------------------------------------------------------------------------
// Queries
// ---------------------------------------------------------------------------

export function dayHours(calendar: OpeningCalendar, date: string): DayHours {
  return hoursOn(compileCalendar(calendar), parseLocalDate(date));
}

export function openHoursInWeek(calendar: OpeningCalendar, week: string): WeekHours {
  const { year, week: weekNumber } = parseIsoWeek(week);
  const compiled = compileCalendar(calendar);
  const monday = mondayOfIsoWeek(year, weekNumber);
  const days = Array.from({ length: 7 }, (_, offset) => hoursOn(compiled, monday.plus({ days: offset })));
  const totalMinutes = days.reduce((sum, day) => sum + openMinutes(compiled.timeZone, day.date, day.intervals), 0);
  return {
    week: formatIsoWeek(year, weekNumber),
    timeZone: compiled.timeZone,
    from: days[0].date,
    to: days[6].date,
    days,
    totalHours: minutesToHours(totalMinutes),
  };
}

export function isOpenAt(calendar: OpeningCalendar, instant: Date): boolean {
  const compiled = compileCalendar(calendar);
  const local = DateTime.fromJSDate(assertValidInstant(instant), { zone: compiled.timeZone });
  // Compared as wall-clock minutes: seconds cannot cross a boundary because boundaries are whole minutes.
  const minute = local.hour * 60 + local.minute;
  const { intervals } = hoursOn(compiled, parseLocalDate(local.toISODate() as string));
  return intervals.some((interval) => toMinutes(interval.opens) <= minute && minute < toMinutes(interval.closes));
}

export function nextOpenDay(calendar: OpeningCalendar, date: string, maxDays = DEFAULT_SEARCH_DAYS): string | null {
  if (!Number.isInteger(maxDays) || maxDays < 0) {
    throw new InvalidCalendarInputError(`maxDays ${maxDays} must be a non-negative integer`);
  }
  const compiled = compileCalendar(calendar);
  const start = parseLocalDate(date);
  for (let offset = 0; offset < maxDays; offset++) {
    const day = start.plus({ days: offset });
    if (intervalsOn(compiled, day).intervals.length > 0) return isoDate(day);
  }
  return null;
}

function hoursOn(compiled: CompiledCalendar, day: DateTime): DayHours {
  const date = isoDate(day);
  const { intervals, exception } = intervalsOn(compiled, day);
  const hours = minutesToHours(openMinutes(compiled.timeZone, date, intervals));
  const result: DayHours = { date, weekday: day.weekday as IsoWeekday, intervals, hours };
  if (exception) result.exception = exception.reason === undefined ? {} : { reason: exception.reason };
  return result;
}

function intervalsOn(
  compiled: CompiledCalendar,
  day: DateTime,
): { intervals: OpeningInterval[]; exception?: CalendarException } {
  const exception = compiled.exceptions.get(isoDate(day));
  const source = exception ? exception.intervals : (compiled.weekly.get(day.weekday as IsoWeekday) ?? []);
  const intervals = source
    .map(({ opens, closes }) => ({ opens, closes }))
    .sort((a, b) => a.opens.localeCompare(b.opens));
  return { intervals, exception };
}

/**
 * Elapsed (not wall-clock) minutes, so a DST day is counted truthfully:
 * 00:00-24:00 on a spring-forward day is 23 hours.
 */
function openMinutes(timeZone: string, date: string, intervals: OpeningInterval[]): number {
  const startOfDay = DateTime.fromISO(date, { zone: timeZone }).startOf('day');
  return intervals.reduce((sum, { opens, closes }) => {
    const elapsed = localTime(startOfDay, closes).diff(localTime(startOfDay, opens), 'minutes').minutes;
    return sum + Math.max(0, Math.round(elapsed));
  }, 0);
}

function localTime(startOfDay: DateTime, hhmm: string): DateTime {
  if (hhmm === '24:00') return startOfDay.plus({ days: 1 });
  const [hour, minute] = hhmm.split(':').map(Number);
  return startOfDay.set({ hour, minute });
}

function toMinutes(hhmm: string): number {
  const [hour, minute] = hhmm.split(':').map(Number);
  return hour * 60 + minute;
}

function minutesToHours(minutes: number): number {
  return Math.round((minutes / 60) * 100) / 100;
}

function isoDate(day: DateTime): string {
  return day.toISODate() as string;
}
