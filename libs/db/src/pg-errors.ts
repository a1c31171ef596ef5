import { QueryFailedError } from 'typeorm';

/** PostgreSQL SQLSTATE codes the platform reacts to. Match codes, never message text. */
export const PgErrorCode = {
  UniqueViolation: '23505',
  ForeignKeyViolation: '23503',
  CheckViolation: '23514',
  NotNullViolation: '23502',
  ExclusionViolation: '23P01',
  SerializationFailure: '40001',
  DeadlockDetected: '40P01',
  LockNotAvailable: '55P03',
} as const;

export interface PgErrorInfo {
  code: string;
  constraint?: string;
  table?: string;
  column?: string;
}

/** The driver error behind a TypeORM or pg failure, or undefined when it is not a database error. */
export function pgErrorOf(error: unknown): PgErrorInfo | undefined {
  const driverError =
    error instanceof QueryFailedError ? (error.driverError as Record<string, unknown>) : (error as Record<string, unknown>);
  if (!driverError || typeof driverError !== 'object') return undefined;
  const code = driverError['code'];
  if (typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code)) return undefined;
  return {
    code,
    constraint: driverError['constraint'] as string | undefined,
    table: driverError['table'] as string | undefined,
    column: driverError['column'] as string | undefined,
  };
}

export function isPgError(error: unknown, code: string, constraint?: string): boolean {
  const info = pgErrorOf(error);
  return !!info && info.code === code && (constraint === undefined || info.constraint === constraint);
}
