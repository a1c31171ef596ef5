import { RECORD_TERMINATOR } from './iso2709';

/** The largest record ISO 2709 can describe: its leader holds the length in five digits. */
export const MAX_RECORD_LENGTH = 99_999;

export type Piece =
  /** From the first byte of the leader to the record terminator included. */
  | { kind: 'record'; bytes: Buffer }
  /** More than MAX_RECORD_LENGTH bytes without a terminator; they were dropped, not buffered. */
  | { kind: 'oversized' }
  /** What was left at the end of the input, without a terminator. */
  | { kind: 'unterminated'; bytes: Buffer };

/** Line breaks or padding that some exports put between records. */
function trimLeadingPadding(bytes: Buffer): Buffer {
  let start = 0;
  while (start < bytes.length && [0x0a, 0x0d, 0x20, 0x00].includes(bytes[start])) start++;
  return bytes.subarray(start);
}

/** Cuts a byte stream into records at each record terminator, whatever the chunk boundaries. */
export class RecordSplitter {
  private parts: Buffer[] = [];
  private size = 0;
  private overflowed = false;

  *push(chunk: Buffer): Generator<Piece> {
    let start = 0;
    for (let end = chunk.indexOf(RECORD_TERMINATOR); end !== -1; end = chunk.indexOf(RECORD_TERMINATOR, start)) {
      const piece = this.complete(chunk.subarray(start, end + 1));
      if (piece) yield piece;
      start = end + 1;
    }
    this.keep(chunk.subarray(start));
  }

  end(): Piece | null {
    const overflowed = this.overflowed;
    const rest = trimLeadingPadding(Buffer.concat(this.parts));
    this.reset();
    if (overflowed) return { kind: 'oversized' };
    return rest.length > 0 ? { kind: 'unterminated', bytes: rest } : null;
  }

  private complete(tail: Buffer): Piece | null {
    const overflowed = this.overflowed;
    const bytes = trimLeadingPadding(this.parts.length > 0 ? Buffer.concat([...this.parts, tail]) : tail);
    this.reset();
    if (overflowed) return { kind: 'oversized' };
    return bytes.length > 1 ? { kind: 'record', bytes } : null;
  }

  private keep(bytes: Buffer): void {
    if (bytes.length === 0 || this.overflowed) return;
    this.parts.push(bytes);
    this.size += bytes.length;
    if (this.size > MAX_RECORD_LENGTH) {
      this.reset();
      this.overflowed = true;
    }
  }

  private reset(): void {
    this.parts = [];
    this.size = 0;
    this.overflowed = false;
  }
}
