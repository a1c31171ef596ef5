import { TextDecoder } from 'node:util';
import type { MarcFlavour } from './bib-record';
import { MarcField, MarcRecord, chooseFlavour, isControlTag } from './marc-record';
import { NO_TITLE } from './record-outcome';
import { normalizeValue } from './text';

export const RECORD_TERMINATOR = 0x1d;
const FIELD_TERMINATOR = 0x1e;
const SUBFIELD_DELIMITER = '\x1f';
const ESCAPE = 0x1b;
const LEADER_LENGTH = 24;
const ENTRY_LENGTH = 12;

/** One record's bytes turned into fields, or the reason it cannot be. */
export type DecodedIso2709 =
  | { ok: true; record: MarcRecord; flavour: MarcFlavour }
  | { ok: false; reason: string; controlNumber: string | null };

interface RawField {
  tag: string;
  bytes: Buffer;
}

class InvalidRecord extends Error {}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** `bytes` is one record, from its leader to its record terminator (0x1D) included. */
export function decodeIso2709(bytes: Buffer, flavourOption: 'auto' | MarcFlavour = 'auto'): DecodedIso2709 {
  let fields: RawField[] = [];
  try {
    const leader = readLeader(bytes);
    fields = readDirectory(bytes, leader);
    const flavour = chooseFlavour(fields.map((f) => f.tag), flavourOption);
    // A record with neither 245 nor 200 is rejected for its missing title, whatever its encoding.
    if (flavour === null) return { ok: false, reason: NO_TITLE, controlNumber: peekControlNumber(fields) };
    const decode = textDecoding(leader, flavour, bytes);
    return { ok: true, record: { leader, fields: fields.map((f) => toField(f, decode)) }, flavour };
  } catch (error) {
    if (!(error instanceof InvalidRecord)) throw error;
    return { ok: false, reason: error.message, controlNumber: peekControlNumber(fields) };
  }
}

function ascii(bytes: Buffer, start: number, end: number): string {
  return bytes.toString('latin1', start, end);
}

function readLeader(bytes: Buffer): string {
  if (bytes.length < LEADER_LENGTH + 2) throw new InvalidRecord(`truncated record: ${bytes.length} bytes, shorter than a leader`);
  const leader = ascii(bytes, 0, LEADER_LENGTH);
  if (!/^[\x20-\x7e]{24}$/.test(leader)) throw new InvalidRecord('leader is not ASCII: not an ISO 2709 record');
  const [length, base] = [leader.slice(0, 5), leader.slice(12, 17)];
  if (!/^\d{5}$/.test(length)) throw new InvalidRecord(`leader record length "${length}" is not a number`);
  if (!/^\d{5}$/.test(base)) throw new InvalidRecord(`leader base address "${base}" is not a number`);
  if (bytes[bytes.length - 1] !== RECORD_TERMINATOR) {
    throw new InvalidRecord('record does not end with a record terminator (0x1D)');
  }
  const declared = Number(length);
  if (declared !== bytes.length) {
    const mismatch = `record length in the leader (${declared}) does not match the record (${bytes.length} bytes)`;
    throw new InvalidRecord(`${mismatch}: truncated or corrupt`);
  }
  return leader;
}

function readDirectory(bytes: Buffer, leader: string): RawField[] {
  const base = Number(leader.slice(12, 17));
  const directoryLength = base - 1 - LEADER_LENGTH;
  const endsAtBase = base < bytes.length && bytes[base - 1] === FIELD_TERMINATOR;
  if (!endsAtBase || directoryLength < 0 || directoryLength % ENTRY_LENGTH !== 0) {
    throw new InvalidRecord(`directory does not end at the base address (${base})`);
  }
  const fields: RawField[] = [];
  for (let entry = LEADER_LENGTH; entry < base - 1; entry += ENTRY_LENGTH) {
    fields.push(readEntry(bytes, entry, base, fields));
  }
  return fields;
}

function readEntry(bytes: Buffer, entry: number, base: number, previous: RawField[]): RawField {
  const text = ascii(bytes, entry, entry + ENTRY_LENGTH);
  const match = /^([0-9A-Za-z]{3})(\d{4})(\d{5})$/.exec(text);
  if (!match) throw new InvalidRecord(`directory entry ${previous.length + 1} is malformed ("${text}")`);
  const [, tag, length, offset] = match;
  const start = base + Number(offset);
  const end = start + Number(length);
  if (Number(length) < 1 || end > bytes.length - 1 || bytes[end - 1] !== FIELD_TERMINATOR) {
    throw new InvalidRecord(`field ${tag} is not where the directory says (offset ${offset}, length ${length})`);
  }
  return { tag, bytes: bytes.subarray(start, end - 1) };
}

type Decode = (field: RawField) => string;

function textDecoding(leader: string, flavour: MarcFlavour, bytes: Buffer): Decode {
  // UNIMARC declares its character set in 100$a/26-29, not leader/09; only UTF-8 is read.
  if (flavour === 'unimarc' || leader[9] === 'a') return decodeUtf8;
  if (leader[9] !== ' ') throw new InvalidRecord(`unknown character coding "${leader[9]}" in leader/09`);
  return marc8Decoding(bytes);
}

function decodeUtf8(field: RawField): string {
  try {
    return utf8.decode(field.bytes);
  } catch {
    throw new InvalidRecord(`invalid UTF-8 in field ${field.tag}: the file is not UTF-8 or the record is corrupt`);
  }
}

/**
 * MARC-8 (leader/09 blank) is only accepted when it is plain ASCII, possibly with the numeric character
 * references (&#x8ECA;) that MARC-8's lossless conversion uses for characters it cannot encode.
 * Escape sequences and high bytes switch to other MARC-8 character sets, which are not supported.
 */
function marc8Decoding(bytes: Buffer): Decode {
  const unsupported = 'MARC-8 records are not supported: export them as MARC 21 in UTF-8 (leader/09 = a)';
  const problem = bytes.some((b) => b > 0x7f)
    ? 'has non-ASCII bytes'
    : bytes.includes(ESCAPE)
      ? 'switches character sets (escape sequences)'
      : null;
  if (problem) throw new InvalidRecord(`MARC-8 record (leader/09 blank) ${problem}; ${unsupported}`);
  return (field) => decodeCharacterReferences(field.bytes.toString('latin1'));
}

function decodeCharacterReferences(text: string): string {
  return text.replace(/&#x([0-9A-Fa-f]{1,6});/g, (reference, hex: string) => {
    const codePoint = parseInt(hex, 16);
    const valid = codePoint <= 0x10ffff && (codePoint < 0xd800 || codePoint > 0xdfff);
    return valid ? String.fromCodePoint(codePoint) : reference;
  });
}

function toField(raw: RawField, decode: Decode): MarcField {
  const text = decode(raw);
  if (isControlTag(raw.tag)) return { kind: 'control', tag: raw.tag, value: normalizeValue(text) };
  const [indicators, ...subfields] = text.split(SUBFIELD_DELIMITER);
  return {
    kind: 'data',
    tag: raw.tag,
    ind1: indicators[0] ?? ' ',
    ind2: indicators[1] ?? ' ',
    subfields: subfields.filter((s) => s !== '').map((s) => ({ code: s[0], value: normalizeValue(s.slice(1)) })),
  };
}

/** The 001 of a rejected record, so the import report can name it. */
function peekControlNumber(fields: RawField[]): string | null {
  const raw = fields.find((f) => f.tag === '001')?.bytes.toString('latin1').trim();
  return raw && /^[\x20-\x7e]+$/.test(raw) ? raw : null;
}
