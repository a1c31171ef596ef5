import type { ActivityCategory, VenueKind } from '@lib/booking';

/**
 * What the demo district offers residents from today on: bookable venues at the central library, the
 * cultural centre and two subdistrict branches, a few bookings, and activities of every kind over the
 * next weeks. Dates are relative: "the first Saturday at least 3 days from today (in the branch's
 * zone) on which the branch is open at that hour". Names and titles are stable: the seeder finds
 * what is already there by them.
 */

export interface DemoVenue {
  branch: string;
  name: string;
  kind: VenueKind;
  capacity: number;
  amenities: string[];
  accessibility?: string;
  /** Own weekly hours (a court open in the evening); else the branch's. */
  bookableHours?: Array<{ weekdays: number[]; opens: string; closes: string }>;
  slotMinutes: number;
  minMinutes: number;
  maxMinutes: number;
  maxDaysAhead: number;
  requiresApproval?: boolean;
  whoMayBook: Array<'resident' | 'team' | 'organisation'>;
  maxUpcomingPerPerson?: number;
  cancelDeadlineHours?: number;
}

const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7];
const LIFT = '无障碍通道，电梯直达 / step-free, lift access';

export const DEMO_VENUES: DemoVenue[] = [
  // 总馆: a study room booked by the hour, the e-reading room, the lecture hall and the children's room.
  { branch: 'HD-LIB', name: '自习研讨室', kind: 'room', capacity: 8, amenities: ['whiteboard', 'power_outlets', 'wifi'], accessibility: LIFT, slotMinutes: 60, minMinutes: 60, maxMinutes: 180, maxDaysAhead: 7, whoMayBook: ['resident'], maxUpcomingPerPerson: 2, cancelDeadlineHours: 2 },
  { branch: 'HD-LIB', name: '电子阅览室', kind: 'e_reading_room', capacity: 48, amenities: ['computers', 'wifi', 'printer'], accessibility: LIFT, slotMinutes: 60, minMinutes: 60, maxMinutes: 120, maxDaysAhead: 3, whoMayBook: ['resident'] },
  { branch: 'HD-LIB', name: '多功能报告厅', kind: 'hall', capacity: 200, amenities: ['projector', 'sound_system', 'recording'], accessibility: LIFT, slotMinutes: 30, minMinutes: 60, maxMinutes: 240, maxDaysAhead: 30, requiresApproval: true, whoMayBook: ['team', 'organisation'] },
  { branch: 'HD-LIB', name: '少儿活动室', kind: 'room', capacity: 30, amenities: ['tablets', 'picture_books', 'low_tables'], slotMinutes: 30, minMinutes: 60, maxMinutes: 180, maxDaysAhead: 14, requiresApproval: true, whoMayBook: ['organisation'] },
  // 文化馆: the dance hall needs the operator's approval; rooms for classes, the theatre and the exhibition hall.
  { branch: 'HD-CUL', name: '舞蹈排练厅', kind: 'hall', capacity: 40, amenities: ['mirrors', 'sprung_floor', 'sound_system'], slotMinutes: 60, minMinutes: 60, maxMinutes: 180, maxDaysAhead: 14, requiresApproval: true, whoMayBook: ['resident', 'team', 'organisation'], maxUpcomingPerPerson: 2, cancelDeadlineHours: 24 },
  { branch: 'HD-CUL', name: '书画教室', kind: 'room', capacity: 24, amenities: ['easels', 'sinks', 'painting_tables'], slotMinutes: 60, minMinutes: 60, maxMinutes: 180, maxDaysAhead: 14, requiresApproval: true, whoMayBook: ['team', 'organisation'] },
  { branch: 'HD-CUL', name: '小剧场', kind: 'hall', capacity: 300, amenities: ['stage', 'lighting', 'sound_system'], accessibility: LIFT, slotMinutes: 30, minMinutes: 60, maxMinutes: 240, maxDaysAhead: 60, requiresApproval: true, whoMayBook: ['organisation'] },
  { branch: 'HD-CUL', name: '展览厅', kind: 'hall', capacity: 200, amenities: ['display_walls', 'spotlights'], accessibility: LIFT, slotMinutes: 60, minMinutes: 60, maxMinutes: 600, maxDaysAhead: 60, requiresApproval: true, whoMayBook: ['organisation'] },
  { branch: 'HD-CUL', name: '电子阅览室', kind: 'e_reading_room', capacity: 20, amenities: ['computers', 'wifi'], slotMinutes: 60, minMinutes: 60, maxMinutes: 120, maxDaysAhead: 3, whoMayBook: ['resident'] },
  // 中关村街道图书分馆: the subdistrict's public e-reading room (indicator 11).
  { branch: 'HD-ZGC', name: '电子阅览室', kind: 'e_reading_room', capacity: 24, amenities: ['computers', 'wifi'], slotMinutes: 60, minMinutes: 60, maxMinutes: 120, maxDaysAhead: 3, whoMayBook: ['resident'] },
  // 学院路街道综合文化服务中心: a court open into the evening, the multi-function hall, e-reading.
  { branch: 'HD-XYL', name: '羽毛球场', kind: 'court', capacity: 4, amenities: ['nets', 'lighting'], bookableHours: [{ weekdays: EVERY_DAY, opens: '08:00', closes: '21:00' }], slotMinutes: 60, minMinutes: 60, maxMinutes: 120, maxDaysAhead: 7, whoMayBook: ['resident', 'team'], maxUpcomingPerPerson: 2, cancelDeadlineHours: 4 },
  { branch: 'HD-XYL', name: '多功能厅', kind: 'hall', capacity: 120, amenities: ['projector', 'sound_system', 'screen'], slotMinutes: 30, minMinutes: 60, maxMinutes: 240, maxDaysAhead: 30, requiresApproval: true, whoMayBook: ['team', 'organisation'] },
  { branch: 'HD-XYL', name: '电子阅览室', kind: 'e_reading_room', capacity: 20, amenities: ['computers', 'wifi'], slotMinutes: 60, minMinutes: 60, maxMinutes: 120, maxDaysAhead: 3, whoMayBook: ['resident'] },
  // 温泉镇综合文化中心: the square for dance teams, mornings and evenings; e-reading.
  { branch: 'HD-WQ', name: '文化广场', kind: 'outdoor_square', capacity: 300, amenities: ['sound_system', 'lighting'], bookableHours: [{ weekdays: EVERY_DAY, opens: '06:30', closes: '21:00' }], slotMinutes: 30, minMinutes: 60, maxMinutes: 180, maxDaysAhead: 14, requiresApproval: true, whoMayBook: ['team', 'organisation'] },
  { branch: 'HD-WQ', name: '电子阅览室', kind: 'e_reading_room', capacity: 16, amenities: ['computers', 'wifi'], slotMinutes: 60, minMinutes: 60, maxMinutes: 120, maxDaysAhead: 3, whoMayBook: ['resident'] },
];

/** When a span takes place: the first fitting day at least `fromDays` after today, on `weekday` (ISO) if given. */
export interface DemoWhen {
  fromDays: number;
  weekday?: number;
  at: string;
  minutes: number;
}

/**
 * Bookings by demo residents (by phone) through the booking rules: a confirmed study-room slot and
 * e-reading seat, a court, and a dance-hall booking waiting for the operator's approval.
 * Each venue's bookings and activity sessions use different weekdays or hours, so none overlap.
 */
export const DEMO_BOOKINGS: Array<{ venue: [branch: string, name: string]; resident: string; when: DemoWhen; purpose: string; attendees: number }> = [
  { venue: ['HD-LIB', '自习研讨室'], resident: '13800000001', when: { fromDays: 1, at: '14:00', minutes: 120 }, purpose: '考研小组复习', attendees: 4 },
  { venue: ['HD-LIB', '电子阅览室'], resident: '13800000002', when: { fromDays: 1, at: '10:00', minutes: 60 }, purpose: '查阅电子期刊', attendees: 1 },
  { venue: ['HD-XYL', '羽毛球场'], resident: '13800000001', when: { fromDays: 1, at: '19:00', minutes: 60 }, purpose: '羽毛球双打', attendees: 4 },
  { venue: ['HD-CUL', '舞蹈排练厅'], resident: '13800000003', when: { fromDays: 2, weekday: 5, at: '16:00', minutes: 120 }, purpose: '社区舞蹈队排练', attendees: 16 },
];

export interface DemoActivity {
  title: string;
  description: string;
  category: ActivityCategory;
  branch: string;
  /** The staff account that runs it (a librarian of the branch, or the cultural centre's operator). */
  organiser: string;
  ageMin?: number;
  ageMax?: number;
  specialGroups?: string[];
  series?: boolean;
  mode?: 'first_come' | 'approval';
  perPersonQuota?: number;
  /** Registration opens this many minutes after the demo is first loaded (rounded up to the minute). */
  opensInMinutes?: number;
  /** Registration closes this many hours before the first session. */
  closesHoursBefore?: number;
  /** `count` sessions, `everyDays` apart (moved on a week when the branch is closed that day). */
  sessions: DemoWhen & { count?: number; everyDays?: number; capacity: number; walkInSeats?: number; venue?: string };
}

/** The popular class whose registration opens a few minutes after `npm start`: watch the seats go live. */
export const DEMO_FLASH_CLASS_TITLE = '少儿创意编程体验课（限时抢报）';

export const DEMO_ACTIVITIES: DemoActivity[] = [
  {
    title: '零基础国画入门（四周系列课）', category: 'class', branch: 'HD-CUL', organiser: 'op-culture', series: true,
    description: '四次课连报：笔墨、山石、花鸟、小品创作。报名一次即占全部四次课的座位；材料由文化馆提供。',
    sessions: { fromDays: 3, weekday: 6, at: '09:30', minutes: 120, count: 4, everyDays: 7, capacity: 20, venue: '书画教室' },
  },
  {
    title: '三山五园与海淀历史文化讲座', category: 'lecture', branch: 'HD-LIB', organiser: 'lib-central',
    description: '地方文献专家讲述颐和园、圆明园等三山五园的历史变迁。预留 20 个座位给现场读者。',
    sessions: { fromDays: 2, weekday: 7, at: '14:00', minutes: 90, capacity: 180, walkInSeats: 20, venue: '多功能报告厅' },
  },
  {
    title: '公益电影放映：《城南旧事》', category: 'film_screening', branch: 'HD-XYL', organiser: 'lib-xyl', perPersonQuota: 1,
    description: '经典影片连映两周，每人可报一场。',
    sessions: { fromDays: 2, weekday: 6, at: '14:00', minutes: 120, count: 2, everyDays: 7, capacity: 100, venue: '多功能厅' },
  },
  {
    title: '少儿书法公益课（6–12 岁）', category: 'class', branch: 'HD-ZGC', organiser: 'lib-zgc', ageMin: 6, ageMax: 12, specialGroups: ['minors'], perPersonQuota: 2,
    description: '硬笔与毛笔入门，每周日上午一次，每名儿童最多报两次。',
    sessions: { fromDays: 2, weekday: 7, at: '09:30', minutes: 90, count: 3, everyDays: 7, capacity: 16 },
  },
  {
    title: '银龄智能手机课堂', category: 'training', branch: 'HD-XYL', organiser: 'lib-xyl', specialGroups: ['elderly'], perPersonQuota: 2,
    description: '教老人用手机挂号、扫码乘车、视频通话。每场保留 10 个座位，供现场报名和老年人电话预约（由馆员在服务台登记）。',
    sessions: { fromDays: 1, weekday: 3, at: '09:30', minutes: 90, count: 2, everyDays: 7, capacity: 30, walkInSeats: 10 },
  },
  {
    title: '京剧名段欣赏专场', category: 'performance', branch: 'HD-CUL', organiser: 'op-culture', specialGroups: ['elderly'],
    description: '专业演员演出《贵妃醉酒》《空城计》等经典唱段。保留 30 个座位给现场观众和电话预约的老年观众。',
    sessions: { fromDays: 5, weekday: 7, at: '14:30', minutes: 120, capacity: 280, walkInSeats: 30, venue: '小剧场' },
  },
  {
    title: '海淀非遗剪纸作品展', category: 'exhibition', branch: 'HD-CUL', organiser: 'op-culture', perPersonQuota: 3,
    description: '剪纸传承人及社区学员作品百余幅，分时段预约入场。',
    sessions: { fromDays: 4, at: '09:30', minutes: 540, count: 3, everyDays: 1, capacity: 200, venue: '展览厅' },
  },
  {
    title: '亲子绘本共读会（3–6 岁）', category: 'reading_event', branch: 'HD-HDJD', organiser: 'lib-hdjd', ageMin: 3, ageMax: 6, specialGroups: ['minors'], closesHoursBefore: 24,
    description: '家长与孩子一起读绘本、做手工；活动前一天截止报名。',
    sessions: { fromDays: 3, weekday: 6, at: '10:00', minutes: 60, capacity: 12 },
  },
  {
    title: '海淀文化馆合唱团招新（需审核）', category: 'training', branch: 'HD-CUL', organiser: 'op-culture', mode: 'approval',
    description: '面向社区居民招收新团员，报名后由文化馆老师审核。',
    sessions: { fromDays: 4, weekday: 4, at: '14:00', minutes: 120, capacity: 40, venue: '舞蹈排练厅' },
  },
  // Last, so it is the newest: the activity list (newest first) opens with it.
  {
    title: DEMO_FLASH_CLASS_TITLE, category: 'class', branch: 'HD-LIB', organiser: 'lib-central', ageMin: 8, ageMax: 14, specialGroups: ['minors'], opensInMinutes: 4,
    description: '图形化编程做小游戏，名额 30 个，每次开放报名几秒内报满。报名于演示数据载入约 4 分钟后准时开放。',
    sessions: { fromDays: 7, weekday: 6, at: '10:00', minutes: 120, capacity: 30, venue: '少儿活动室' },
  },
];

/**
 * Demo residents (by phone) already registered: one for a series (every session), one at the desk
 * into a kept seat (phone booking for the elderly), one waiting for approval.
 */
export const DEMO_REGISTRATIONS: Array<{ activity: string; resident: string; atDesk?: string; series?: boolean }> = [
  { activity: '三山五园与海淀历史文化讲座', resident: '13800000001' },
  { activity: '零基础国画入门（四周系列课）', resident: '13800000001', series: true },
  { activity: '少儿书法公益课（6–12 岁）', resident: '13800000004' },
  { activity: '银龄智能手机课堂', resident: '13800000002', atDesk: 'lib-xyl' },
  { activity: '海淀文化馆合唱团招新（需审核）', resident: '13800000003' },
];
