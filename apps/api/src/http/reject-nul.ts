import type { FastifyReply, FastifyRequest } from 'fastify';
import { CommonError } from '@lib/errors';
import { errorBody } from './http-error';
import { localeOf } from './locale';

type Unstorable = { field: string; message: string };

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * The first string PostgreSQL cannot take as it was sent: a NUL character (text cannot hold it) or a
 * lone UTF-16 surrogate (not Unicode at all: the driver would store U+FFFD in its place, and jsonb
 * refuses its `\ud800` escape with an error that names no field).
 */
function unstorable(value: unknown, path: string, depth = 0): Unstorable | null {
  if (typeof value === 'string') {
    const field = path || 'body';
    if (value.includes('\u0000')) return { field, message: `${field} must not contain NUL characters` };
    if (LONE_SURROGATE.test(value)) return { field, message: `${field} must be valid Unicode (no lone surrogates)` };
    return null;
  }
  if (depth > 20 || value === null || typeof value !== 'object') return null;
  for (const [key, child] of Object.entries(value)) {
    const found = unstorable(child, path ? `${path}.${key}` : key, depth + 1);
    if (found) return found;
  }
  return null;
}

/**
 * A `preValidation` hook: it runs once the route is matched and the body read, before the handler
 * (so before Nest's guards), so login and every other endpoint refuse such text in the body, the
 * query or a path parameter (`/api/cards/%00`) with a 400 naming the field.
 */
export async function rejectUnstorableCharacters(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
  const found = unstorable(request.body, '') ?? unstorable(request.query, '') ?? unstorable(request.params, '');
  if (!found) return undefined;
  const error = CommonError.VALIDATION_FAILED({ fields: found.field, errors: [{ field: found.field, messages: [found.message] }] });
  const body = errorBody(error, localeOf(request.headers['accept-language']));
  return reply.status(body.statusCode).send(body);
}
