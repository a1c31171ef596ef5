import type { Readable } from 'node:stream';
import { TextDecoder } from 'node:util';

export class InvalidUtf8Error extends Error {}

const strictDecoder = () => new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** How many bytes at the end start a character that the next chunk has to complete. */
function incompleteTail(bytes: Buffer): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const byte = bytes[bytes.length - back];
    if ((byte & 0xc0) === 0x80) continue;
    const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return length > back ? back : 0;
  }
  return 0;
}

function decodeOrNull(decoder: TextDecoder, bytes: Buffer): string | null {
  try {
    return decoder.decode(bytes);
  } catch {
    return null;
  }
}

function decodes(bytes: Buffer): boolean {
  try {
    strictDecoder().decode(bytes, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/**
 * The text before the first invalid sequence. Validity of a prefix is monotonic (once a prefix
 * holds an invalid sequence, every longer one does), so a binary search finds the cut.
 */
function validPrefix(bytes: Buffer): string {
  let valid = 0;
  let invalid = bytes.length;
  while (invalid - valid > 1) {
    const middle = (valid + invalid) >>> 1;
    if (decodes(bytes.subarray(0, middle))) valid = middle;
    else invalid = middle;
  }
  return strictDecoder().decode(bytes.subarray(0, valid), { stream: true });
}

/**
 * The input as text, decoded strictly as UTF-8 (a leading BOM is dropped). Characters split across
 * chunks are joined. At bytes that are not UTF-8 the text before them is still yielded, then the
 * iteration ends with an InvalidUtf8Error.
 */
export async function* utf8Text(input: Readable): AsyncGenerator<string> {
  const decoder = strictDecoder();
  let carry = Buffer.alloc(0);
  let first = true;
  for await (const chunk of input) {
    if (typeof chunk === 'string') {
      yield chunk;
      continue;
    }
    const bytes = Buffer.concat([carry, chunk as Uint8Array]);
    const complete = bytes.subarray(0, bytes.length - incompleteTail(bytes));
    carry = bytes.subarray(complete.length);
    const text = decodeOrNull(decoder, complete);
    const usable = text ?? validPrefix(complete);
    yield first ? usable.replace(/^\uFEFF/, '') : usable;
    if (text === null) throw new InvalidUtf8Error('not valid UTF-8');
    first &&= text === '';
  }
  if (carry.length > 0) throw new InvalidUtf8Error('not valid UTF-8: the input ends inside a character');
}
