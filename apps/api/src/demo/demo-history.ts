import type { ActivityCategory } from '@lib/booking';
import { dueDateAt } from '@lib/circulation';
import type { OpeningCalendar } from '@lib/network';
import { clockOf, instantAt, minutesOf, noise, openIntervals, pick, plusDays, weekdayOf } from './demo-time';

/**
 * The demo district's recent past, so the indicator report, its trends and the satisfaction index have
 * something real to show: door-counter visits, loans and returns (some returned at another branch and
 * sent home), activities the demo residents came to, and menu services delivered to communities and
 * villages, rated afterwards. Everything is planned here from the branch calendars and one "today"
 * (each branch's own local date), deterministically: the same day gives the same figures.
 */

/** How far back the history reaches: the days before today (today itself is left to the live platform). */
export const DEMO_HISTORY_DAYS = 120;

/** Marks what the history wrote (orders' notes, usage events' attributes), as the hand-entered figures are. */
export const DEMO_HISTORY_NOTE = '演示数据 / demo data';

/** Door counters: visitors on an ordinary open day (weekends about a third more), split over the day's opening spans. */
export const DEMO_DOOR_COUNTERS: Array<[branch: string, perDay: number]> = [
  ['HD-LIB', 2600],
  ['HD-CUL', 900],
  ['HD-ZGC', 520],
  ['HD-XYL', 460],
  ['HD-HDJD', 300],
  ['HD-WQ', 240],
];

/** Branches a copy may be returned to away from home (borrow anywhere, return anywhere); it is then sent home. */
export const DEMO_RETURN_ANYWHERE = ['HD-LIB', 'HD-ZGC', 'HD-XYL', 'HD-HDJD', 'HD-WQ'];

/** Anonymous borrowers' categories (closed loans keep only the category), for copies that are not children's books. */
const BORROWER_CATEGORIES: Array<[category: string, share: number]> = [
  ['adult', 0.55],
  ['student', 0.2],
  ['senior', 0.2],
  ['disabled', 0.05],
];

/** Recurring activities of the past months, with the demo residents (by phone) who came to every sitting. */
export const DEMO_PAST_ACTIVITIES: Array<{
  title: string;
  description: string;
  category: ActivityCategory;
  branch: string;
  organiser: string;
  venue?: string;
  ageMin?: number;
  ageMax?: number;
  weekday: number;
  at: string;
  minutes: number;
  everyDays: number;
  capacity: number;
  attendees: string[];
}> = [
  {
    title: '周六绘本故事会', category: 'reading_event', branch: 'HD-SP-ZGCDL', organiser: 'lib-zgc', ageMin: 3, ageMax: 8,
    description: '社区文化服务点每周六上午的绘本故事会。', weekday: 6, at: '10:00', minutes: 60, everyDays: 7, capacity: 20,
    attendees: ['13800000004', '13800000003'],
  },
  {
    title: '海淀文化讲坛', category: 'lecture', branch: 'HD-LIB', organiser: 'lib-central', venue: '多功能报告厅',
    description: '隔周周日下午的人文讲座：地方史、文学与艺术。', weekday: 7, at: '14:00', minutes: 90, everyDays: 14, capacity: 180,
    attendees: ['13800000001', '13800000002'],
  },
];

/**
 * Who orders menu services for a community or village: its culture organizer where there is one,
 * else the librarian of its subdistrict branch (who serves the region through their branches).
 */
export const DEMO_ORDERERS: Record<string, string> = {
  '110108010001': 'org-zgc',
  '110108010002': 'org-zgc',
  '110108013001': 'lib-xyl',
  '110108013002': 'lib-xyl',
  '110108008001': 'lib-hdjd',
  '110108208201': 'lib-wq',
  '110108208202': 'lib-wq',
};

/**
 * Standing orders from the service menu, delivered over the past months: the k-th delivery goes to
 * `regions[k % n]`. Cadences stay below each item's monthly capacity, so every month keeps room.
 * The demo residents live in the first region: there `attendees` registered for the delivery's public
 * activity and checked in, and `served` were named as served (a book delivery has no activity to
 * check in at). Both rate the service afterwards.
 */
export const DEMO_PAST_ORDERS: Array<{
  item: string;
  regions: string[];
  weekday: number;
  at: string;
  everyDays: number;
  expectedAudience: number;
  attendees?: string[];
  served?: string[];
}> = [
  { item: '公益电影放映', regions: ['110108208201', '110108208202'], weekday: 5, at: '19:00', everyDays: 7, expectedAudience: 80 },
  { item: '京剧名段欣赏与体验', regions: ['110108208201', '110108010001', '110108208202', '110108013002'], weekday: 6, at: '15:00', everyDays: 14, expectedAudience: 150 },
  { item: '流动图书车进社区', regions: ['110108010002', '110108013001', '110108008001', '110108208202'], weekday: 3, at: '09:30', everyDays: 7, expectedAudience: 60, served: ['13800000002'] },
  { item: '老年人智能手机课', regions: ['110108010001', '110108013002', '110108008001'], weekday: 2, at: '09:30', everyDays: 14, expectedAudience: 30, attendees: ['13800000002'] },
  { item: '非遗剪纸进社区', regions: ['110108013001', '110108010002', '110108208201'], weekday: 4, at: '14:30', everyDays: 14, expectedAudience: 25 },
  { item: '非遗剪纸作品巡回展', regions: ['110108013002', '110108208202', '110108010001'], weekday: 6, at: '09:00', everyDays: 28, expectedAudience: 300 },
];

/** Ratings: mostly 4 and 5, a few 3, with what organizers and residents typically write. */
const RATING_COMMENTS: Record<number, string[]> = {
  5: ['居民反响热烈，希望常来', '老师讲得很好，老人们都学会了', '组织有序，效果很好'],
  4: ['内容不错，时间可以再长一些', '总体满意，场地稍显拥挤'],
  3: ['来的人比预期少，宣传可以提前'],
};

export function ratingOf(key: string): { score: number; comment: string } {
  const r = noise(key);
  const score = r < 0.55 ? 5 : r < 0.9 ? 4 : 3;
  const comments = RATING_COMMENTS[score];
  return { score, comment: comments[pick(`${key}:comment`, 0, comments.length - 1)] };
}

export function borrowerCategory(key: string, itemType: string): string {
  if (itemType === 'children') return 'child';
  let r = noise(key);
  for (const [category, share] of BORROWER_CATEGORIES) {
    if (r < share) return category;
    r -= share;
  }
  return 'adult';
}

/** The days of the history at a branch: from `DEMO_HISTORY_DAYS` before its today up to (not including) today. */
export function historyDays(today: string): string[] {
  return Array.from({ length: DEMO_HISTORY_DAYS }, (_, i) => plusDays(today, i - DEMO_HISTORY_DAYS));
}

/** The first date on or after `from` on which the branch is open at all; null if none within a month. */
export function firstOpenDay(calendar: OpeningCalendar, from: string): string | null {
  for (let offset = 0; offset <= 31; offset++) {
    const date = plusDays(from, offset);
    if (openIntervals(calendar, date).length) return date;
  }
  return null;
}

/** A moment during the opening hours of the date (an open interval and a minute in it, chosen by `key`), or null when closed. */
export function momentIn(calendar: OpeningCalendar, date: string, key: string): Date | null {
  const intervals = openIntervals(calendar, date);
  if (!intervals.length) return null;
  const interval = intervals[pick(`${key}:interval`, 0, intervals.length - 1)];
  const opens = minutesOf(interval.opens);
  const length = minutesOf(interval.closes) - opens;
  // Not in the first or last quarter hour: the desk is opening or closing.
  const minute = length > 30 ? opens + 15 + pick(`${key}:minute`, 0, length - 31) : opens;
  return instantAt(date, clockOf(minute), calendar.timeZone);
}

/** One door-counter report: visitors through the door during one opening span. */
export interface DoorCount {
  from: Date;
  to: Date;
  count: number;
}

/** A branch's door counts over the history: one report per opening span of each open day. */
export function planDoorCounts(branchCode: string, perDay: number, calendar: OpeningCalendar, today: string): DoorCount[] {
  const out: DoorCount[] = [];
  for (const date of historyDays(today)) {
    const intervals = openIntervals(calendar, date);
    if (!intervals.length) continue;
    const weekend = weekdayOf(date) >= 6 ? 1.35 : 1;
    const visitors = perDay * weekend * (0.8 + 0.4 * noise(`${branchCode}:${date}:visits`));
    const openMinutes = intervals.reduce((a, i) => a + minutesOf(i.closes) - minutesOf(i.opens), 0);
    for (const i of intervals) {
      const count = Math.round((visitors * (minutesOf(i.closes) - minutesOf(i.opens))) / openMinutes);
      if (count > 0) out.push({ from: instantAt(date, i.opens, calendar.timeZone), to: instantAt(date, i.closes, calendar.timeZone), count });
    }
  }
  return out;
}

/** A copy of the demo catalogue, as the loan planner needs it. */
export interface HistoryItem {
  id: string;
  barcode: string;
  homeBranchId: string;
  itemType: string;
  acquiredOn: string | null;
}

/** A past loan: checked out at the copy's home branch, returned on time (at home, or elsewhere and sent home). */
export interface PlannedLoan {
  itemId: string;
  itemType: string;
  patronCategory: string;
  branchId: string;
  checkedOutAt: Date;
  dueAt: Date;
  returnBranchId: string;
  returnedAt: Date;
  /** Returned away from home: sent home from the return branch, received there later. */
  transit: { receivedAt: Date } | null;
}

/**
 * The loans of one copy over the history, one after another (a copy is never lent twice at once):
 * out on an open day at its home branch, back 5–24 days later (before the 30-day due date), on the
 * shelf again a few days. About one in six comes back at another branch of the shared network and
 * travels home. The last loan ends before today, so every copy is on its shelf now.
 */
export function planLoans(
  item: HistoryItem,
  calendars: Map<string, OpeningCalendar>,
  todayAt: (branchId: string) => string,
  loanDaysFor: (patronCategory: string) => number,
  returnAnywhere: string[],
): PlannedLoan[] {
  const home = calendars.get(item.homeBranchId);
  if (!home) return [];
  const today = todayAt(item.homeBranchId);
  const loans: PlannedLoan[] = [];
  let from = plusDays(today, pick(`${item.barcode}:start`, 0, 6) - DEMO_HISTORY_DAYS);
  if (item.acquiredOn && item.acquiredOn > from) from = item.acquiredOn;
  for (let k = 0; ; k++) {
    const key = `${item.barcode}:${k}`;
    const outDay = firstOpenDay(home, from);
    if (!outDay || outDay >= today) break;
    const checkedOutAt = momentIn(home, outDay, `${key}:out`)!;
    const patronCategory = borrowerCategory(`${key}:who`, item.itemType);
    const loanDays = loanDaysFor(patronCategory);
    const others = returnAnywhere.filter((b) => b !== item.homeBranchId && calendars.has(b));
    const away = returnAnywhere.includes(item.homeBranchId) && others.length && noise(`${key}:away`) < 0.18 ? others[pick(`${key}:where`, 0, others.length - 1)] : null;
    const returnBranchId = away ?? item.homeBranchId;
    const returnCalendar = calendars.get(returnBranchId)!;
    const dueAt = dueDateAt(checkedOutAt, loanDays, home);
    const backDay = firstOpenDay(returnCalendar, plusDays(outDay, pick(`${key}:length`, 5, Math.max(5, Math.min(24, loanDays - 6)))));
    if (!backDay || backDay >= todayAt(returnBranchId)) break;
    const returnedAt = momentIn(returnCalendar, backDay, `${key}:back`)!;
    // Never overdue: the history has no fines to explain.
    if (returnedAt > dueAt) break;
    let shelvedDay = backDay;
    let transit: PlannedLoan['transit'] = null;
    if (away) {
      // Sent home the day it came back, received on the home branch's next open day.
      const receivedDay = firstOpenDay(home, plusDays(backDay, 1));
      if (!receivedDay || receivedDay >= today) break;
      const receivedAt = momentIn(home, receivedDay, `${key}:received`)!;
      transit = { receivedAt: receivedAt > returnedAt ? receivedAt : new Date(returnedAt.getTime() + 3_600_000) };
      shelvedDay = receivedDay;
    }
    loans.push({ itemId: item.id, itemType: item.itemType, patronCategory, branchId: item.homeBranchId, checkedOutAt, dueAt, returnBranchId, returnedAt, transit });
    from = plusDays(shelvedDay, pick(`${key}:shelf`, 2, 12));
  }
  return loans;
}

/** The dates of a pattern (every `everyDays` from the first `weekday` of the history) before `today`. */
export function patternDates(today: string, weekday: number, everyDays: number): string[] {
  let date = plusDays(today, -DEMO_HISTORY_DAYS);
  while (weekdayOf(date) !== weekday) date = plusDays(date, 1);
  const out: string[] = [];
  for (; date < today; date = plusDays(date, everyDays)) out.push(date);
  return out;
}
