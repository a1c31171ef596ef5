import { defineErrors } from '@lib/errors';

export const BookingError = defineErrors({
  VENUE_NOT_FOUND: { kind: 'not_found', zh: '场地不存在：{id}', en: 'Venue {id} not found' },
  VENUE_NOT_BOOKABLE: { kind: 'conflict', zh: '该场地暂不接受预约', en: 'This venue does not take bookings now' },
  BOOKING_NOT_FOUND: { kind: 'not_found', zh: '预约不存在：{id}', en: 'Booking {id} not found' },
  BOOKING_OVERLAP: { kind: 'conflict', zh: '该时段已被预约', en: 'That time is already booked' },
  BOOKING_IN_PAST: { kind: 'invalid', zh: '不能预约已经过去的时间', en: 'The time is in the past' },
  BOOKING_TOO_FAR_AHEAD: { kind: 'invalid', zh: '最多可提前 {maxDaysAhead} 天预约', en: 'Book at most {maxDaysAhead} days ahead' },
  BOOKING_TOO_SHORT: { kind: 'invalid', zh: '预约时长至少 {minMinutes} 分钟', en: 'Book at least {minMinutes} minutes' },
  BOOKING_TOO_LONG: { kind: 'invalid', zh: '预约时长最多 {maxMinutes} 分钟', en: 'Book at most {maxMinutes} minutes' },
  BOOKING_OFF_SLOT: { kind: 'invalid', zh: '预约须按 {slotMinutes} 分钟的时段', en: 'Bookings go in slots of {slotMinutes} minutes' },
  BOOKING_OUTSIDE_HOURS: { kind: 'invalid', zh: '该时段不在开放时间内', en: 'That time is outside the bookable hours' },
  BOOKING_LIMIT_REACHED: { kind: 'conflict', zh: '最多同时持有 {max} 个未来的预约', en: 'You may hold at most {max} upcoming bookings' },
  BOOKING_TOO_MANY_PEOPLE: { kind: 'invalid', zh: '人数超过场地容量（{capacity} 人）', en: 'More people than the venue holds ({capacity})' },
  BOOKING_BANNED: {
    kind: 'conflict',
    zh: '因多次爽约，{until} 前不能预约或报名',
    en: 'Because of repeated no-shows you cannot book or register until {until}',
  },
  BOOKING_STATUS_INVALID: { kind: 'conflict', zh: '该预约当前为 {status}，不能{action}', en: 'The booking is {status}; cannot {action}' },
  BOOKING_CHECKIN_WINDOW: { kind: 'conflict', zh: '只能在开始前 30 分钟至结束前签到', en: 'Check in from 30 minutes before the start until the end' },
});

export const ActivityError = defineErrors({
  ACTIVITY_NOT_FOUND: { kind: 'not_found', zh: '活动不存在：{id}', en: 'Activity {id} not found' },
  SESSION_NOT_FOUND: { kind: 'not_found', zh: '场次不存在：{id}', en: 'Session {id} not found' },
  REGISTRATION_NOT_FOUND: { kind: 'not_found', zh: '报名记录不存在：{id}', en: 'Registration {id} not found' },
  REGISTRATION_NOT_OPEN: { kind: 'conflict', zh: '报名将于 {opensAt} 开始', en: 'Registration opens at {opensAt}' },
  REGISTRATION_CLOSED: { kind: 'conflict', zh: '报名已截止', en: 'Registration has closed' },
  ACTIVITY_CANCELLED: { kind: 'conflict', zh: '该活动已取消', en: 'This activity has been called off' },
  ALREADY_REGISTERED: { kind: 'conflict', zh: '您已报名该场次', en: 'You are already registered for this session' },
  QUOTA_REACHED: { kind: 'conflict', zh: '每人最多报名 {quota} 个场次', en: 'At most {quota} sessions per person' },
  SESSION_STARTED: { kind: 'conflict', zh: '该场次已开始或结束', en: 'This session has started or ended' },
  REGISTRATION_STATUS_INVALID: { kind: 'conflict', zh: '该报名当前为 {status}，不能{action}', en: 'The registration is {status}; cannot {action}' },
  CHECKIN_TOKEN_INVALID: { kind: 'invalid', zh: '签到码无效或已过期', en: 'The check-in code is not valid or has expired' },
  CALENDAR_TOKEN_INVALID: { kind: 'not_found', zh: '日历订阅地址无效', en: 'This calendar address is not valid' },
  CHECKIN_NOT_FOUND: { kind: 'not_found', zh: '没有找到该读者在本场次的报名', en: 'No registration of this resident for the session' },
  CHECKIN_WINDOW: { kind: 'conflict', zh: '只能在开始前 1 小时至结束前签到', en: 'Check in from one hour before the start until the end' },
  SESSIONS_INVALID: { kind: 'invalid', zh: '场次有误：{reason}', en: 'Invalid sessions: {reason}' },
});
