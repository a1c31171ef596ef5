import { sip2Checksum } from './checksum';

/**
 * A SIP2 message: a two-digit command, fixed-width fields, then variable fields "XXvalue|".
 * Parsing works on the decoded text; the checksum is checked on the raw bytes by the framer.
 */
export interface Sip2Message {
  command: string;
  /** The fixed-width part between the command and the first variable field. */
  fixed: string;
  /** Variable fields in order; a code may repeat (AS, AU …). */
  fields: Array<[string, string]>;
  sequence: string | null;
}

export class Sip2FormatError extends Error {
  override name = 'Sip2FormatError';
}

/** Fixed-width part length of each request the server understands. */
export const FIXED_LENGTH: Record<string, number> = {
  '93': 2, // UID algorithm, PWD algorithm
  '99': 8, // status code (1), max print width (3), protocol version (4)
  '23': 21, // language (3), transaction date (18)
  '63': 31, // language (3), transaction date (18), summary (10)
  '11': 38, // SC renewal policy, no block, transaction date (18), nb due date (18)
  '09': 37, // no block, transaction date (18), return date (18)
  '17': 18, // transaction date
  '29': 38, // third party allowed, no block, transaction date (18), nb due date (18)
  '35': 18, // transaction date
  '97': 0,
  // Understood only to be answered "no" in their own response format (the BX field says they are not supported).
  '01': 19, // card retained, transaction date
  '15': 19, // hold mode, transaction date
  '19': 18, // transaction date
  '25': 18, // transaction date
  '37': 25, // transaction date, fee type, payment type, currency type
  '65': 18, // transaction date
};

export function parseMessage(text: string): Sip2Message {
  const body = text.replace(/\r?\n?$/, '').replace(/\r$/, '');
  const command = body.slice(0, 2);
  if (!/^\d\d$/.test(command)) throw new Sip2FormatError('the message does not start with a two-digit command');
  const fixedLength = FIXED_LENGTH[command];
  if (fixedLength === undefined) throw new Sip2FormatError(`unsupported command ${command}`);
  // The error-detection trailer (AY<n>AZ<xxxx>, or AZ<xxxx> alone) comes off first, so it is never read as data.
  let content = body;
  let sequence: string | null = null;
  const trailer = /AY(\d)AZ[0-9A-Fa-f]{4}$/.exec(content) ?? /()AZ[0-9A-Fa-f]{4}$/.exec(content);
  if (trailer) {
    sequence = trailer[1] || null;
    content = content.slice(0, trailer.index);
  }
  if (content.length < 2 + fixedLength) throw new Sip2FormatError(`command ${command} is shorter than its fixed fields`);
  const fixed = content.slice(2, 2 + fixedLength);
  const rest = content.slice(2 + fixedLength);
  const fields: Array<[string, string]> = [];
  for (const part of rest.split('|')) {
    if (!part) continue;
    if (part.length < 2) throw new Sip2FormatError(`malformed field "${part}"`);
    fields.push([part.slice(0, 2), part.slice(2)]);
  }
  return { command, fixed, fields, sequence };
}

export function field(message: Sip2Message, code: string): string | undefined {
  return message.fields.find(([c]) => c === code)?.[1];
}

/** Builds a response: fixed text, then fields (skipping undefined), then AY/AZ over the encoded bytes. */
export function buildResponse(
  head: string,
  fields: Array<[string, string | number | undefined | null]>,
  sequence: string,
  encode: (text: string) => Uint8Array,
): Uint8Array {
  const body =
    head +
    fields
      .filter(([, v]) => v !== undefined && v !== null)
      .map(([code, value]) => `${code}${String(value).replace(/[|\r\n]/g, ' ')}|`)
      .join('');
  const withTrailer = `${body}AY${sequence}AZ`;
  const bytes = encode(withTrailer);
  const checksum = sip2Checksum(bytes);
  const all = new Uint8Array(bytes.length + 5);
  all.set(bytes);
  all.set(encode(`${checksum}\r`), bytes.length);
  return all;
}

/**
 * Does a message's AZ match its bytes? Only a message that ends in AZ and four hex digits carries a
 * checksum; any other passes (error detection is optional for the kiosk), whatever its data contains.
 */
export function checksumValid(raw: Uint8Array): boolean {
  const text = Buffer.from(raw).toString('latin1');
  if (!/AZ[0-9A-Fa-f]{4}$/.test(text)) return true;
  const at = text.length - 6;
  return sip2Checksum(raw.subarray(0, at + 2)) === text.slice(at + 2).toUpperCase();
}

/** "Please resend": 96 with its own checksum, for kiosks that check every message. */
export function resendRequest(encode: (text: string) => Uint8Array): Uint8Array {
  const head = encode('96AZ');
  return new Uint8Array([...head, ...encode(`${sip2Checksum(head)}\r`)]);
}
