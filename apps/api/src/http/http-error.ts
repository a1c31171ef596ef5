import { HttpException } from '@nestjs/common';
import { assertUnreachable, CommonError, DomainError, ErrorKind, Locale } from '@lib/errors';
import { databaseUnavailableReason, pgErrorOf, PgErrorCode } from '@lib/db';

/** What a client is told to wait before retrying while the database is unreachable (a restart or failover takes seconds). */
export const DATABASE_RETRY_AFTER_SECONDS = 3;

export interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
  details: Record<string, unknown>;
}

export function statusOf(kind: ErrorKind): number {
  switch (kind) {
    case 'invalid':
      return 400;
    case 'unauthenticated':
      return 401;
    case 'forbidden':
      return 403;
    case 'not_found':
      return 404;
    case 'conflict':
      return 409;
    case 'locked':
      return 423;
    case 'too_large':
      return 413;
    case 'too_many_requests':
      return 429;
    case 'unavailable':
      return 503;
    default:
      return assertUnreachable(kind);
  }
}

/** Turns anything thrown into the platform's one error shape; null for a genuine server fault. */
export function toDomainError(error: unknown): DomainError | null {
  if (error instanceof DomainError) return error;
  // body-parser marks its errors with a `type`; Nest may wrap them in an HttpException as the `cause`.
  const parserType =
    (error as { type?: string } | null)?.type ?? ((error as { cause?: { type?: string } } | null)?.cause?.type);
  if (parserType === 'entity.parse.failed') return CommonError.MALFORMED_JSON();
  if (parserType === 'entity.too.large') return CommonError.PAYLOAD_TOO_LARGE();
  // Any other body-parser refusal (unknown charset or encoding, aborted upload) is the client's.
  const parserStatus = (error as { status?: number } | null)?.status;
  if (parserType && parserStatus && parserStatus >= 400 && parserStatus < 500) return CommonError.BODY_UNREADABLE({ reason: parserType });
  if (error instanceof HttpException) {
    const status = error.getStatus();
    if (status === 404) return CommonError.NOT_FOUND();
    if (status === 413) return CommonError.PAYLOAD_TOO_LARGE();
    if (status === 401) return CommonError.UNAUTHENTICATED();
    if (status === 403) return CommonError.FORBIDDEN();
    if (status === 429) return CommonError.TOO_MANY_REQUESTS();
    if (status >= 400 && status < 500) return CommonError.VALIDATION_FAILED({ fields: error.message });
    return null;
  }
  // The database down, restarting or unreachable: a 503 to retry, decided by code and class in libs/db.
  const unavailable = databaseUnavailableReason(error);
  if (unavailable) return CommonError.DATABASE_UNAVAILABLE({ reason: unavailable, retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS });
  // A safety net: constraint races that a use case did not translate still answer 409, not 500.
  const pg = pgErrorOf(error);
  if (pg?.code === PgErrorCode.DeadlockDetected || pg?.code === PgErrorCode.SerializationFailure) {
    return CommonError.RETRY({ reason: pg.code });
  }
  if (pg?.code === PgErrorCode.UniqueViolation || pg?.code === PgErrorCode.ExclusionViolation) {
    return CommonError.CONFLICT({ constraint: pg.constraint });
  }
  if (pg?.code === PgErrorCode.ForeignKeyViolation) return CommonError.REFERENCE_NOT_FOUND({ field: pg.constraint });
  // Class 22 (data exception) and NOT NULL: a value PostgreSQL cannot take, which validation let through.
  if (pg && (pg.code.startsWith('22') || pg.code === PgErrorCode.NotNullViolation)) {
    return CommonError.VALIDATION_FAILED({ fields: pg.column ?? 'request' });
  }
  return null;
}

export function errorBody(error: DomainError, locale: Locale): ErrorBody {
  return { statusCode: statusOf(error.kind), code: error.code, message: error.messageIn(locale), details: error.details };
}
