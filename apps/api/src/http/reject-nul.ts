import type { FastifyReply, FastifyRequest } from 'fastify';
import { CommonError } from '@lib/errors';
import { errorBody } from './http-error';
import { localeOf } from './locale';

/** The path of the first string holding a NUL character, which PostgreSQL text cannot store. */
function nulPath(value: unknown, path: string, depth = 0): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path || 'body' : null;
  if (depth > 20 || value === null || typeof value !== 'object') return null;
  for (const [key, child] of Object.entries(value)) {
    const found = nulPath(child, path ? `${path}.${key}` : key, depth + 1);
    if (found) return found;
  }
  return null;
}

/**
 * A `preValidation` hook: it runs once the body is read and before the handler (so before Nest's
 * guards), so login and every other endpoint refuse NUL with a 400 naming the field.
 */
export async function rejectNulCharacters(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
  const field = nulPath(request.body, '') ?? nulPath(request.query, '') ?? (request.url.split('?')[0].includes('\u0000') ? 'path' : null);
  if (!field) return undefined;
  const error = CommonError.VALIDATION_FAILED({ fields: field, errors: [{ field, messages: [`${field} must not contain NUL characters`] }] });
  const body = errorBody(error, localeOf(request.headers['accept-language']));
  return reply.status(body.statusCode).send(body);
}
