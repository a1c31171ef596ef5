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
};

export function render(kind: string, payload: Record<string, unknown>, locale: Locale): { title: string; body: string } {
  const template = TEMPLATES[kind];
  if (!template) return { title: kind, body: '' };
  const fill = (text: string) => text.replace(/\{(\w+)\}/g, (whole, key: string) => (payload[key] === undefined ? whole : String(payload[key])));
  return { title: fill(template.title[locale]), body: fill(template.body[locale]) };
}
