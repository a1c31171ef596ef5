import { DateTime } from 'luxon';

/** SIP2's 18-character date: YYYYMMDDZZZZHHMMSS, where ZZZZ is four spaces for local time or "   Z" for UTC. */
export function formatSip2Date(date: Date, timeZone: string): string {
  const local = DateTime.fromJSDate(date, { zone: timeZone });
  return `${local.toFormat('yyyyMMdd')}    ${local.toFormat('HHmmss')}`;
}

/** Reads a SIP2 date (local time in `timeZone`, or UTC when marked Z); null when blank or malformed. */
export function parseSip2Date(text: string, timeZone: string): Date | null {
  if (!/^\d{8}.{4}\d{6}$/.test(text)) return null;
  const zone = text.slice(8, 12).trim() === 'Z' ? 'UTC' : timeZone;
  const parsed = DateTime.fromFormat(text.slice(0, 8) + text.slice(12), 'yyyyMMddHHmmss', { zone });
  return parsed.isValid ? parsed.toJSDate() : null;
}
