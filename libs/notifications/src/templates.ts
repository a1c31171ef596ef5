import type { Locale } from '@lib/errors';

/** What each kind of notification says, in zh-CN and English; `{name}` is filled from the payload. */
export const TEMPLATES: Record<string, { title: Record<Locale, string>; body: Record<Locale, string> }> = {
  hold_ready: {
    title: { 'zh-CN': '预约图书已到馆', en: 'Your hold is ready' },
    body: {
      'zh-CN': '您预约的《{title}》已到{branchName}，请于 {deadline} 前凭读者证取书。',
      en: '“{title}” is waiting for you at {branchName}; pick it up with your card by {deadline}.',
    },
  },
  service_order_submitted: {
    title: { 'zh-CN': '收到新的点单', en: 'A new service order' },
    body: { 'zh-CN': '社区点单《{title}》，希望 {preferredFrom} 起配送，请及时受理。', en: 'A community ordered “{title}” from {preferredFrom}; please answer it.' },
  },
  service_order_status: {
    title: { 'zh-CN': '点单状态更新', en: 'Service order updated' },
    body: { 'zh-CN': '《{title}》的订单状态已变为 {status}。{reason}', en: 'The order for “{title}” is now {status}. {reason}' },
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
  const fill = (text: string) => text.replace(/\{(\w+)\}/g, (whole, key: string) => (payload[key] === undefined ? whole : String(payload[key])));
  return { title: fill(template.title[locale]), body: fill(template.body[locale]) };
}
