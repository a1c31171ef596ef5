import { sip2Checksum } from './checksum';
import { buildResponse, checksumValid, field, parseMessage, resendRequest, Sip2FormatError } from './message';
import { formatSip2Date, parseSip2Date } from './sip2-date';

const utf8 = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));

describe('SIP2 checksum', () => {
  it('is the negated 16-bit byte sum', () => {
    const msg = '9300CNUser|COPassword|CPLocation|AY1AZ';
    let sum = 0;
    for (const c of Buffer.from(msg, 'latin1')) sum += c;
    const expected = ((0x10000 - (sum & 0xffff)) & 0xffff).toString(16).toUpperCase().padStart(4, '0');
    expect(sip2Checksum(utf8(msg))).toBe(expected);
  });

  it('is over bytes, so multi-byte text counts every byte', () => {
    expect(sip2Checksum(utf8('AB'))).toBe('FF7D'); // 0x41 + 0x42 = 0x83 → 0x10000 - 0x83
    expect(sip2Checksum(utf8('中'))).not.toBe(sip2Checksum(utf8('?')));
  });

  it('validates messages with and without error detection', () => {
    const body = '9900302.00AY1AZ';
    const good = utf8(body + sip2Checksum(utf8(body)) + '\r');
    expect(checksumValid(good.subarray(0, good.length - 1))).toBe(true);
    const bad = utf8(body + '0000');
    expect(checksumValid(bad)).toBe(false);
    expect(checksumValid(utf8('9900302.00'))).toBe(true);
    // Data that merely contains "AZ" near the end is not a checksum.
    expect(checksumValid(utf8('1720261122    101500AOculture|ABAZ123|'))).toBe(true);
  });
});

describe('SIP2 messages', () => {
  it('parses fixed and variable fields, and the sequence number', () => {
    const m = parseMessage('9300CNkiosk-1|COsecret|CPZGC|AY3AZF00D');
    expect(m).toMatchObject({ command: '93', fixed: '00', sequence: '3' });
    expect(field(m, 'CN')).toBe('kiosk-1');
    expect(field(m, 'CO')).toBe('secret');
    expect(field(m, 'CP')).toBe('ZGC');
  });

  it('keeps repeated fields and accepts CRLF', () => {
    const m = parseMessage('6300120261122    101500Y         AOinst|AA110800000017|AY0AZ0000\r\n');
    expect(m.fixed).toBe('00120261122    101500Y         ');
    expect(field(m, 'AA')).toBe('110800000017');
  });

  it('refuses what it cannot read', () => {
    expect(() => parseMessage('XX')).toThrow(Sip2FormatError);
    expect(() => parseMessage('55abc')).toThrow(/unsupported command 55/);
    expect(() => parseMessage('11YN2026')).toThrow(/shorter than its fixed fields/);
    // A status request one digit short must not swallow its own trailer as data.
    expect(() => parseMessage('990302.00AY1AZFC6B')).toThrow(/shorter than its fixed fields/);
    expect(parseMessage('9900302.00AY1AZFC6B')).toMatchObject({ fixed: '00302.00', sequence: '1' });
  });

  it('builds a response with AY and a correct AZ, dropping empty fields and separators inside values', () => {
    const bytes = buildResponse('941', [['AF', '欢迎|使用'], ['AG', undefined]], '4', utf8);
    const text = Buffer.from(bytes).toString('utf8');
    expect(text).toMatch(/^941AF欢迎 使用\|AY4AZ[0-9A-F]{4}\r$/);
    expect(checksumValid(bytes.subarray(0, bytes.length - 1))).toBe(true);
  });
});

describe('resend request', () => {
  it('is 96 with a checksum', () => {
    expect(Buffer.from(resendRequest(utf8)).toString()).toBe('96AZFEF6\r');
  });
});

describe('SIP2 dates', () => {
  it('writes local time with a blank zone and reads it back', () => {
    const d = new Date('2026-11-22T02:15:30Z');
    expect(formatSip2Date(d, 'Asia/Shanghai')).toBe('20261122    101530');
    expect(parseSip2Date('20261122    101530', 'Asia/Shanghai')?.toISOString()).toBe('2026-11-22T02:15:30.000Z');
    expect(parseSip2Date('20261122   Z021530', 'Asia/Shanghai')?.toISOString()).toBe('2026-11-22T02:15:30.000Z');
    expect(parseSip2Date('                  ', 'Asia/Shanghai')).toBeNull();
  });
});
