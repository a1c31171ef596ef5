import type { Locale } from '@lib/errors';

/**
 * `labels` words a payload value that is a code (an order's status) in each language, so no one reads
 * "accepted" in a Chinese message; a value without a label is shown as it is.
 */
type Template = { title: Record<Locale, string>; body: Record<Locale, string>; labels?: Record<string, Record<string, Record<Locale, string>>> };

const ORDER_STATUS_LABELS: Record<string, Record<Locale, string>> = {
  submitted: { 'zh-CN': '待受理', en: 'submitted' },
  accepted: { 'zh-CN': '已受理', en: 'accepted' },
  declined: { 'zh-CN': '已拒绝', en: 'declined' },
  scheduled: { 'zh-CN': '已排期', en: 'scheduled' },
  delivered: { 'zh-CN': '已配送', en: 'delivered' },
  evaluated: { 'zh-CN': '已评价', en: 'rated' },
  cancelled: { 'zh-CN': '已取消', en: 'cancelled' },
};

/** What each kind of notification says, in zh-CN and English; `{name}` is filled from the payload, `[…]` kept only when its values are given. */
export const TEMPLATES: Record<string, Template> = {
  hold_ready: {
    title: { 'zh-CN': '预约图书已到馆', en: 'Your hold is ready' },
    body: {
      'zh-CN': '您预约的《{title}》已到{branchName}，请于 {deadline} 前凭读者证取书。[流动图书车将在 {nextVisit} 到{stopName}。]',
      en: '“{title}” is waiting for you at {branchName}; pick it up with your card by {deadline}.[ The mobile library is next at {stopName} on {nextVisit}.]',
    },
  },
  loan_due_soon: {
    title: { 'zh-CN': '借阅即将到期', en: 'A loan is due soon' },
    body: {
      'zh-CN': '您借阅的《{title}》将于 {dueDate} 到期，可续借或按时归还。',
      en: '“{title}” is due on {dueDate}; renew it or bring it back in time.',
    },
  },
  loan_overdue: {
    title: { 'zh-CN': '借阅已逾期', en: 'A loan is overdue' },
    body: {
      'zh-CN': '您借阅的《{title}》已于 {dueDate} 到期，请尽快归还（可在任一分馆还书）。',
      en: '“{title}” was due on {dueDate}; please return it soon (any branch takes it back).',
    },
  },
  registration_promoted: {
    title: { 'zh-CN': '候补成功', en: 'You have a seat' },
    body: { 'zh-CN': '有人取消了报名，您已从候补转为正式报名：{title}。', en: 'A seat came free and is now yours: {title}.' },
  },
  registration_approved: {
    title: { 'zh-CN': '报名已通过', en: 'Registration approved' },
    body: { 'zh-CN': '您的活动报名已通过审核（{status}）。', en: 'Your registration was approved ({status}).' },
    labels: { status: { confirmed: { 'zh-CN': '已确认', en: 'confirmed' }, waitlisted: { 'zh-CN': '候补中', en: 'on the waiting list' } } },
  },
  registration_rejected: {
    title: { 'zh-CN': '报名未通过', en: 'Registration not approved' },
    body: { 'zh-CN': '很抱歉，您的活动报名未通过审核。', en: 'Sorry, your registration was not approved.' },
  },
  booking_approved: {
    title: { 'zh-CN': '场馆预约已通过', en: 'Venue booking approved' },
    body: { 'zh-CN': '您预约的{venue}（{startsAt}）已通过审核。', en: 'Your booking of {venue} ({startsAt}) is approved.' },
  },
  booking_rejected: {
    title: { 'zh-CN': '场馆预约未通过', en: 'Venue booking rejected' },
    body: { 'zh-CN': '您预约的{venue}（{startsAt}）未通过审核。', en: 'Your booking of {venue} ({startsAt}) was rejected.' },
  },
  booking_cancelled_by_staff: {
    title: { 'zh-CN': '场馆预约已取消', en: 'Venue booking cancelled' },
    body: { 'zh-CN': '因场馆安排，您预约的{venue}（{startsAt}）已取消。', en: 'Your booking of {venue} ({startsAt}) was cancelled by staff.' },
  },
  service_order_submitted: {
    title: { 'zh-CN': '收到新的点单', en: 'A new service order' },
    body: { 'zh-CN': '社区点单《{title}》，希望 {preferredFrom} 起配送，请及时受理。', en: 'A community ordered “{title}” from {preferredFrom}; please answer it.' },
  },
  service_order_status: {
    title: { 'zh-CN': '点单状态更新', en: 'Service order updated' },
    body: { 'zh-CN': '《{title}》的订单状态已变为「{status}」。[说明：{reason}]', en: 'The order for “{title}” is now {status}.[ Note: {reason}]' },
    labels: { status: ORDER_STATUS_LABELS },
  },
  service_order_confirmed: {
    title: { 'zh-CN': '社区已确认送达', en: 'Delivery confirmed' },
    body: { 'zh-CN': '《{title}》已由社区确认送达。[备注：{note}]', en: 'The community confirmed “{title}” was delivered.[ Note: {note}]' },
  },
  activity_cancelled: {
    title: { 'zh-CN': '活动已取消', en: 'Activity called off' },
    body: { 'zh-CN': '您报名的《{title}》已取消（{reason}），报名已自动撤销。', en: '“{title}” has been called off ({reason}); your registration is cancelled.' },
  },
  demand_answered: {
    title: { 'zh-CN': '您的需求有了答复', en: 'Your request has an answer' },
    body: { 'zh-CN': '《{title}》：{answer}', en: '“{title}”: {answer}' },
  },
};

export function render(kind: string, payload: Record<string, unknown>, locale: Locale): { title: string; body: string } {
  const template = TEMPLATES[kind];
  if (!template) return { title: kind, body: '' };
  const word = (key: string, value: unknown) => template.labels?.[key]?.[String(value)]?.[locale] ?? String(value);
  const given = (key: string) => payload[key] !== undefined && payload[key] !== null && payload[key] !== '';
  // `[备注：{note}]` is said only when every value in it was given, so an empty note leaves no dangling label.
  const fill = (text: string) =>
    text
      .replace(/\[([^\]]*)\]/g, (_, part: string) => ([...part.matchAll(/\{(\w+)\}/g)].every(([, key]) => given(key)) ? part : ''))
      .replace(/\{(\w+)\}/g, (whole, key: string) => (payload[key] === undefined ? whole : word(key, payload[key])));
  return { title: fill(template.title[locale]), body: fill(template.body[locale]) };
}
