import type { Readable } from 'node:stream';
import type { MarcParseOptions, ParseOutcome } from './bib-record';
import { decodeIso2709 } from './iso2709';
import { marcOutcome, rejection } from './record-outcome';
import { MAX_RECORD_LENGTH, Piece, RecordSplitter } from './record-splitter';

/**
 * Reads ISO 2709 (MARC 21 or UNIMARC) one record at a time. A record that cannot be read is yielded as
 * a rejection and reading goes on after its record terminator; nothing but the current record is buffered.
 */
export async function* parseIso2709(input: Readable, options: MarcParseOptions = {}): AsyncGenerator<ParseOutcome> {
  const splitter = new RecordSplitter();
  let index = 0;
  for await (const chunk of input) {
    for (const piece of splitter.push(asBuffer(chunk))) yield pieceOutcome(piece, index++, options);
  }
  const rest = splitter.end();
  if (rest) yield pieceOutcome(rest, index, options);
}

const OVERSIZED = `no record terminator within ${MAX_RECORD_LENGTH} bytes: not ISO 2709, or corrupt; skipped to the next record`;

function asBuffer(chunk: unknown): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  throw new TypeError('parseIso2709 reads bytes: do not set an encoding on the input stream');
}

function pieceOutcome(piece: Piece, index: number, options: MarcParseOptions): ParseOutcome {
  switch (piece.kind) {
    case 'oversized':
      return rejection(index, OVERSIZED);
    case 'unterminated':
      return rejection(index, unterminatedReason(piece.bytes));
    case 'record': {
      const decoded = decodeIso2709(piece.bytes, options.flavour);
      if (!decoded.ok) return rejection(index, decoded.reason, decoded.controlNumber);
      return marcOutcome(decoded.record, index, decoded.flavour);
    }
  }
}

function unterminatedReason(bytes: Buffer): string {
  const declared = /^\d{5}/.exec(bytes.toString('latin1', 0, 5))?.[0];
  const expected = declared ? `; its leader announces ${Number(declared)}` : '';
  return `truncated record: the input ends after ${bytes.length} bytes without a record terminator${expected}`;
}
