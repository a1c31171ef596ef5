import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { parse as parseQueryString } from 'node:querystring';
import { CommonError, DomainError } from '@lib/errors';

/** `1mb` or `512kb` (BODY_LIMIT) in bytes, as Express's body-parser read it (1kb = 1024 bytes). */
export function bodyLimitBytes(limit: string): number {
  const match = /^(\d+)(kb|mb)$/i.exec(limit.trim());
  if (!match) throw new Error(`BODY_LIMIT ${limit} is not like 1mb or 512kb`);
  return Number(match[1]) * (match[2].toLowerCase() === 'mb' ? 1024 * 1024 : 1024);
}

/** TRUST_PROXY as Fastify (proxy-addr, like Express) wants it: true, a hop count, or a list of addresses and subnets. */
export function trustProxySetting(value: string): boolean | number | string[] {
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  return value.split(',').map((v) => v.trim()).filter(Boolean);
}

/** A URL whose path is not percent-encoded UTF-8 (`%FF`, a cut-off `%E4%B8`): Fastify cannot even route it. */
export function badPath(): DomainError {
  return CommonError.VALIDATION_FAILED({ fields: 'path', errors: [{ field: 'path', messages: ['path must be percent-encoded UTF-8'] }] });
}

/**
 * Fastify's own refusals while reading a request (its `FST_ERR_*` codes) in the platform's error
 * shape. Nest would turn them into a bare HttpException and lose which refusal it was.
 */
export function fromFastifyError(error: unknown): DomainError | null {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !code.startsWith('FST_ERR_')) return null;
  switch (code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return CommonError.PAYLOAD_TOO_LARGE();
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return CommonError.MALFORMED_JSON();
    case 'FST_ERR_BAD_URL':
      return badPath();
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
    case 'FST_ERR_CTP_INVALID_TYPE':
      return CommonError.BODY_UNREADABLE({ reason: code });
    default: {
      const status = (error as { statusCode?: number }).statusCode;
      return status && status >= 400 && status < 500 ? CommonError.BODY_UNREADABLE({ reason: code }) : null;
    }
  }
}

/** The Fastify adapter, with Fastify's reading errors handed to the exception filter as platform errors. */
export class PlatformFastifyAdapter extends FastifyAdapter {
  override setErrorHandler(handler: Parameters<FastifyAdapter['setErrorHandler']>[0]) {
    const wrapped = (error: unknown, request: FastifyRequest, reply: FastifyReply) =>
      (handler as (e: unknown, q: FastifyRequest, r: FastifyReply) => unknown)(fromFastifyError(error) ?? error, request, reply);
    return super.setErrorHandler(wrapped as typeof handler);
  }
}

/** No request of the API nests this deep; class-transformer would recurse once per level and overflow the stack. */
const MAX_BODY_DEPTH = 32;

function nestsDeeperThan(value: unknown, limit: number): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (limit === 0) return true;
  for (const child of Object.values(value)) if (nestsDeeperThan(child, limit - 1)) return true;
  return false;
}

const tooDeep = () =>
  CommonError.VALIDATION_FAILED({ fields: 'body', errors: [{ field: 'body', messages: [`body must not nest deeper than ${MAX_BODY_DEPTH} levels`] }] });

/**
 * The bodies Express's `express.json()` and `express.urlencoded({ extended: false })` read, read the
 * same way: JSON objects and arrays only (strict), an empty body as `{}`, UTF-8 only; anything else
 * (multipart uploads among them) is left unread for the handler, as Express left it.
 */
export function registerBodyParsers(fastify: FastifyInstance, bodyLimit: number): void {
  fastify.removeAllContentTypeParsers();
  const json = fastify.getDefaultJsonParser('error', 'error');
  const charsetOf = (request: FastifyRequest) => /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(request.headers['content-type'] ?? '')?.[1]?.toLowerCase();
  const utf8 = (request: FastifyRequest) => {
    const charset = charsetOf(request);
    return !charset || charset === 'utf-8' || charset === 'utf8';
  };
  fastify.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit }, (request, body, done) => {
    if (!utf8(request)) return done(CommonError.BODY_UNREADABLE({ reason: 'charset.unsupported' }), undefined);
    const text = body as string;
    if (text.length === 0) return done(null, {});
    const first = /^[\x20\x09\x0a\x0d]*(.)/.exec(text)?.[1];
    if (first !== '{' && first !== '[') return done(CommonError.MALFORMED_JSON(), undefined);
    json(request, text, (error: Error | null, value?: unknown) => {
      if (error) return done(CommonError.MALFORMED_JSON(), undefined);
      if (nestsDeeperThan(value, MAX_BODY_DEPTH)) return done(tooDeep(), undefined);
      done(null, value);
    });
  });
  fastify.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit }, (request, body, done) => {
    if (!utf8(request)) return done(CommonError.BODY_UNREADABLE({ reason: 'charset.unsupported' }), undefined);
    done(null, { ...parseQueryString(body as string) });
  });
  // Unread: multipart/form-data goes to the upload handler as a stream (see multipart-file.ts).
  fastify.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
}
