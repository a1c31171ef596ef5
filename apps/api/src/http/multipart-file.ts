import busboy from 'busboy';
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { CommonError } from '@lib/errors';

/**
 * Hands the multipart field `file` to `consume` as a stream while it arrives, so a large upload is
 * never held in memory. Text fields sent before the file are passed along with it. `request` is the raw
 * Node request (Fastify's `request.raw`), whose body the platform left unread.
 */
export function withUploadedFile<T>(
  request: IncomingMessage,
  consume: (file: Readable, fields: Record<string, string>, filename: string) => Promise<T>,
  missing: () => Error,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: request.headers, limits: { files: 1, fields: 20, fileSize: 1024 * 1024 * 1024 } });
    } catch {
      reject(CommonError.VALIDATION_FAILED({ fields: 'file', errors: [{ field: 'file', messages: ['send multipart/form-data with a field named file'] }] }));
      return;
    }
    const fields: Record<string, string> = {};
    let work: Promise<T> | null = null;
    parser.on('field', (name, value) => (fields[name] = value));
    parser.on('file', (name, stream, info) => {
      if (name !== 'file' || work) {
        stream.resume();
        return;
      }
      // A file cut off at the size limit must not be imported in part and reported as done.
      stream.on('limit', () => stream.destroy(CommonError.PAYLOAD_TOO_LARGE()));
      work = consume(stream, fields, info.filename ?? '');
      // If the consumer gives up early, drain the rest so the request can finish.
      work.catch(() => stream.resume());
    });
    // A client that goes away mid-upload ends the work instead of leaving it waiting for ever.
    request.on('aborted', () => parser.destroy(CommonError.BODY_UNREADABLE({ reason: 'upload aborted' })));
    parser.on('error', (e) => reject(CommonError.BODY_UNREADABLE({ reason: (e as Error).message })));
    parser.on('close', () => (work ? work.then(resolve, reject) : reject(missing())));
    request.pipe(parser);
  });
}
