import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  ValidateIf,
  validateSync,
  ValidationError,
} from 'class-validator';
import { IANAZone } from 'luxon';
import { availableParallelism } from 'node:os';

const toBool = ({ value }: { value: unknown }) => {
  if (value === undefined || value === '') return undefined;
  if (typeof value === 'boolean') return value;
  const v = String(value).toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) return true;
  if (['false', '0', 'no', 'off'].includes(v)) return false;
  return value; // left as a string so IsBoolean reports it
};
const toInt = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : /^-?\d+$/.test(String(value)) ? Number(value) : value;

/**
 * Every setting the platform reads from the environment. Validated once at start;
 * a wrong value stops the process with one line naming the variable.
 */
export class Env {
  @IsIn(['development', 'production', 'test'], { message: 'NODE_ENV must be development, production or test' })
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL?: string;

  @IsOptional()
  @Matches(/^rediss?:\/\/.+/, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL?: string;

  /** Prefix for every Redis key, so several deployments (or test runs) can share one server. */
  @Matches(/^[A-Za-z0-9:_-]*$/, { message: 'REDIS_PREFIX may hold letters, digits, ":", "_" and "-"' })
  REDIS_PREFIX = 'culture:';

  @Transform(toInt)
  @IsInt({ message: 'PORT must be a whole number from 0 to 65535' })
  @Min(0, { message: 'PORT must be a whole number from 0 to 65535' })
  @Max(65535, { message: 'PORT must be a whole number from 0 to 65535' })
  PORT = 3000;

  @Transform(toInt)
  @IsInt({ message: 'EMBEDDED_PG_PORT must be a whole number from 1 to 65535' })
  @Min(1, { message: 'EMBEDDED_PG_PORT must be a whole number from 1 to 65535' })
  @Max(65535, { message: 'EMBEDDED_PG_PORT must be a whole number from 1 to 65535' })
  EMBEDDED_PG_PORT = 54329;

  @IsString()
  EMBEDDED_PG_DIR = 'data/pg';

  @ValidateIf((e: Env) => e.NODE_ENV === 'production' || e.JWT_SECRET !== undefined)
  @IsString({ message: 'JWT_SECRET is required when NODE_ENV=production' })
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters' })
  JWT_SECRET?: string;

  /** Key for encrypting and fingerprinting personal data (phone, ID number). */
  @ValidateIf((e: Env) => e.NODE_ENV === 'production' || e.PII_KEY !== undefined)
  @IsString({ message: 'PII_KEY is required when NODE_ENV=production' })
  @MinLength(32, { message: 'PII_KEY must be at least 32 characters' })
  PII_KEY?: string;

  /**
   * During a key rotation: the keys personal data may still be sealed with, comma-separated, newest first.
   * They only decrypt and look up; PII_KEY seals everything written. Empty once `npm run pii:rotate` is done.
   */
  @Matches(/^$|^[^,]{32,}(,[^,]{32,})*$/, { message: 'PII_KEYS_PREVIOUS must be comma-separated keys of at least 32 characters each' })
  PII_KEYS_PREVIOUS = '';

  @IsOptional()
  @Matches(/^[a-z][a-z0-9._-]{2,31}$/, {
    message: 'ADMIN_USERNAME must be 3-32 characters: lower-case letters, digits, ".", "_" or "-", starting with a letter',
  })
  ADMIN_USERNAME?: string;

  @ValidateIf((e: Env) => e.ADMIN_USERNAME !== undefined || e.ADMIN_PASSWORD !== undefined)
  @IsString({ message: 'ADMIN_PASSWORD is required when ADMIN_USERNAME is set' })
  @MinLength(8, { message: 'ADMIN_PASSWORD must be at least 8 characters' })
  ADMIN_PASSWORD?: string;

  @IsOptional()
  @Transform(toBool)
  @IsBoolean({ message: 'SEED_DEMO must be true or false' })
  SEED_DEMO?: boolean;

  @Matches(/^\d{4}$/, { message: 'CARD_PREFIX must be exactly 4 digits' })
  CARD_PREFIX = '1108';

  @IsString()
  TIME_ZONE = 'Asia/Shanghai';

  /** Floor-area standards the indicators check (m²): subdistrict centres and community centres (seed 000). */
  @Transform(toInt)
  @IsInt({ message: 'SUBDISTRICT_CENTRE_MIN_AREA must be a whole number of square metres' })
  @Min(0, { message: 'SUBDISTRICT_CENTRE_MIN_AREA must be a whole number of square metres' })
  SUBDISTRICT_CENTRE_MIN_AREA = 1000;

  @Transform(toInt)
  @IsInt({ message: 'COMMUNITY_CENTRE_MIN_AREA must be a whole number of square metres' })
  @Min(0, { message: 'COMMUNITY_CENTRE_MIN_AREA must be a whole number of square metres' })
  COMMUNITY_CENTRE_MIN_AREA = 200;

  @Transform(toInt)
  @IsInt({ message: 'ACCESS_TOKEN_TTL_SECONDS must be a whole number of at least 30' })
  @Min(30, { message: 'ACCESS_TOKEN_TTL_SECONDS must be a whole number of at least 30' })
  ACCESS_TOKEN_TTL_SECONDS = 900;

  @Transform(toInt)
  @IsInt({ message: 'REFRESH_TOKEN_TTL_DAYS must be a whole number of at least 1' })
  @Min(1, { message: 'REFRESH_TOKEN_TTL_DAYS must be a whole number of at least 1' })
  REFRESH_TOKEN_TTL_DAYS = 30;

  @Transform(toInt)
  @IsInt({ message: 'CARD_QR_TTL_SECONDS must be a whole number from 10 to 600' })
  @Min(10, { message: 'CARD_QR_TTL_SECONDS must be a whole number from 10 to 600' })
  @Max(600, { message: 'CARD_QR_TTL_SECONDS must be a whole number from 10 to 600' })
  CARD_QR_TTL_SECONDS = 60;

  @Transform(toInt)
  @IsInt({ message: 'LOGIN_MAX_FAILURES must be a whole number of at least 1' })
  @Min(1, { message: 'LOGIN_MAX_FAILURES must be a whole number of at least 1' })
  LOGIN_MAX_FAILURES = 5;

  @Transform(toInt)
  @IsInt({ message: 'LOGIN_LOCK_SECONDS must be a whole number of at least 1' })
  @Min(1, { message: 'LOGIN_LOCK_SECONDS must be a whole number of at least 1' })
  LOGIN_LOCK_SECONDS = 900;

  /** How often the jobs expire overdue holds and close past bookings and sessions (no-shows); 0 turns them off. */
  @Transform(toInt)
  @IsInt({ message: 'HOUSEKEEPING_INTERVAL_SECONDS must be a whole number of at least 0' })
  @Min(0, { message: 'HOUSEKEEPING_INTERVAL_SECONDS must be a whole number of at least 0' })
  HOUSEKEEPING_INTERVAL_SECONDS = 300;

  /**
   * Days the personal-data access log is kept before the purge job removes a line. Three years by default:
   * PIPL art. 56 asks records of personal-information processing to be kept at least that long.
   */
  @Transform(toInt)
  @IsInt({ message: 'PERSONAL_DATA_LOG_DAYS must be a whole number of days from 30 to 36500' })
  @Min(30, { message: 'PERSONAL_DATA_LOG_DAYS must be a whole number of days from 30 to 36500' })
  @Max(36500, { message: 'PERSONAL_DATA_LOG_DAYS must be a whole number of days from 30 to 36500' })
  PERSONAL_DATA_LOG_DAYS = 1095;

  @Transform(toInt)
  @IsInt({ message: 'SIP2_PORT must be a whole number from 0 to 65535' })
  @Min(0, { message: 'SIP2_PORT must be a whole number from 0 to 65535' })
  @Max(65535, { message: 'SIP2_PORT must be a whole number from 0 to 65535' })
  SIP2_PORT = 6001;

  /** Character encoding on the SIP2 wire: UTF-8, or GB18030 for older kiosks. */
  @IsIn(['utf-8', 'gb18030'], { message: 'SIP2_ENCODING must be utf-8 or gb18030' })
  SIP2_ENCODING: 'utf-8' | 'gb18030' = 'utf-8';

  @Matches(/^[A-Za-z0-9_-]{1,32}$/, { message: 'SIP2_INSTITUTION_ID may hold 1-32 letters, digits, "_" or "-"' })
  SIP2_INSTITUTION_ID = 'culture';

  @Transform(toInt)
  @IsInt({ message: 'SIP2_IDLE_TIMEOUT_SECONDS must be a whole number of at least 1' })
  @Min(1, { message: 'SIP2_IDLE_TIMEOUT_SECONDS must be a whole number of at least 1' })
  SIP2_IDLE_TIMEOUT_SECONDS = 600;

  /** Who takes online fine payments: `log` (the default) writes each charge to the log and accepts it. */
  @IsIn(['log'], { message: 'PAYMENT_PROVIDER must be log' })
  PAYMENT_PROVIDER: 'log' = 'log';

  /** The no-show rule: this many no-shows within the window bar booking and registering for the ban. */
  @Transform(toInt)
  @IsInt({ message: 'NO_SHOW_LIMIT must be a whole number of at least 1' })
  @Min(1, { message: 'NO_SHOW_LIMIT must be a whole number of at least 1' })
  NO_SHOW_LIMIT = 3;

  @Transform(toInt)
  @IsInt({ message: 'NO_SHOW_WINDOW_DAYS must be a whole number of at least 1' })
  @Min(1, { message: 'NO_SHOW_WINDOW_DAYS must be a whole number of at least 1' })
  NO_SHOW_WINDOW_DAYS = 90;

  @Transform(toInt)
  @IsInt({ message: 'NO_SHOW_BAN_DAYS must be a whole number of at least 0' })
  @Min(0, { message: 'NO_SHOW_BAN_DAYS must be a whole number of at least 0' })
  NO_SHOW_BAN_DAYS = 30;

  /** A resident cancelling a confirmed seat less than this many hours before the start counts as a no-show. */
  @Transform(toInt)
  @IsInt({ message: 'REGISTRATION_CANCEL_DEADLINE_HOURS must be a whole number of at least 0' })
  @Min(0, { message: 'REGISTRATION_CANCEL_DEADLINE_HOURS must be a whole number of at least 0' })
  REGISTRATION_CANCEL_DEADLINE_HOURS = 2;

  /** Rate limits: `on` (the default) or `off` for load tests and benchmarks. */
  @IsIn(['on', 'off'], { message: 'RATE_LIMIT must be on or off' })
  RATE_LIMIT: 'on' | 'off' = 'on';

  /** Requests per minute per caller (signed-in person, else address) across the whole API. */
  @Transform(toInt)
  @IsInt({ message: 'RATE_LIMIT_PER_MINUTE must be a whole number of at least 1' })
  @Min(1, { message: 'RATE_LIMIT_PER_MINUTE must be a whole number of at least 1' })
  RATE_LIMIT_PER_MINUTE = 300;

  /** Log-ins, registrations of new residents and token refreshes per minute per address (each endpoint counted apart). */
  @Transform(toInt)
  @IsInt({ message: 'RATE_LIMIT_AUTH_PER_MINUTE must be a whole number of at least 1' })
  @Min(1, { message: 'RATE_LIMIT_AUTH_PER_MINUTE must be a whole number of at least 1' })
  RATE_LIMIT_AUTH_PER_MINUTE = 10;

  /** Activity registrations, venue bookings and holds per minute per person: a flash registration stays fair. */
  @Transform(toInt)
  @IsInt({ message: 'RATE_LIMIT_BOOKING_PER_MINUTE must be a whole number of at least 1' })
  @Min(1, { message: 'RATE_LIMIT_BOOKING_PER_MINUTE must be a whole number of at least 1' })
  RATE_LIMIT_BOOKING_PER_MINUTE = 6;

  /**
   * Where the background jobs run. `worker`: only `npm run start:worker` runs them; `api`: this API
   * instance runs them in-process too; `auto` (default): in-process when REDIS_URL is unset (one
   * instance, so no worker is needed for the two-command set-up), otherwise left to the worker.
   */
  @IsIn(['auto', 'api', 'worker'], { message: 'JOBS_RUN_IN must be auto, api or worker' })
  JOBS_RUN_IN: 'auto' | 'api' | 'worker' = 'auto';

  /** Residents are reminded this many days before a loan is due (once per loan). */
  @Transform(toInt)
  @IsInt({ message: 'DUE_SOON_DAYS must be a whole number from 1 to 30' })
  @Min(1, { message: 'DUE_SOON_DAYS must be a whole number from 1 to 30' })
  @Max(30, { message: 'DUE_SOON_DAYS must be a whole number from 1 to 30' })
  DUE_SOON_DAYS = 2;

  /** Comma-separated origins, or "*" for any. Empty: no cross-origin access. */
  @IsString()
  CORS_ORIGINS = '';

  @Matches(/^\d+(kb|mb)$/i, { message: 'BODY_LIMIT must look like 1mb or 512kb' })
  BODY_LIMIT = '1mb';

  /**
   * Behind a load balancer: which proxies to believe about the client's address (X-Forwarded-For), as
   * Express's "trust proxy" — a hop count ("1"), addresses or subnets ("10.0.0.0/8,loopback"), or "true".
   * Empty: the connection's own address (rate limits per address then see the balancer, not the caller).
   */
  @Matches(/^$|^\d+$|^true$|^[\w.:/,\s-]+$/, { message: 'TRUST_PROXY must be a hop count, true, or comma-separated addresses or subnets' })
  TRUST_PROXY = '';

  /**
   * How many API worker processes `apps/api/src/main.ts` runs on PORT (node:cluster): a whole number,
   * or `auto` for one per core (os.availableParallelism()). Default 1: one process, no primary, exactly
   * as before. More than one needs REDIS_URL: the workers are several instances of one deployment and
   * share rate limits, logouts and live pushes only through Redis. See apps/api/src/startup/cluster.ts.
   */
  @Matches(/^(auto|[1-9][0-9]?)$/, { message: 'API_WORKERS must be auto or a whole number from 1 to 99' })
  API_WORKERS = '1';

  /** The built web app (apps/web), served at `/`; relative paths are from the working directory. Not served when missing. */
  @IsString()
  WEB_DIR = 'dist/web';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
    message: 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
  })
  LOG_LEVEL = 'info';

  /**
   * `strict`: every JSON answer is checked against the response schema its operation declares in the
   * OpenAPI document, and one that does not match becomes a 500 naming the field (the e2e tests run so);
   * `off` (the default): answers are not checked.
   */
  @IsIn(['off', 'strict'], { message: 'RESPONSE_CHECK must be off or strict' })
  RESPONSE_CHECK: 'off' | 'strict' = 'off';
}

const ENV_KEYS: ReadonlyArray<keyof Env> = [
  'NODE_ENV', 'DATABASE_URL', 'REDIS_URL', 'REDIS_PREFIX', 'PORT', 'EMBEDDED_PG_PORT', 'EMBEDDED_PG_DIR',
  'SUBDISTRICT_CENTRE_MIN_AREA', 'COMMUNITY_CENTRE_MIN_AREA',
  'JWT_SECRET', 'PII_KEY', 'PII_KEYS_PREVIOUS', 'ADMIN_USERNAME', 'ADMIN_PASSWORD', 'SEED_DEMO', 'CARD_PREFIX', 'TIME_ZONE',
  'ACCESS_TOKEN_TTL_SECONDS', 'REFRESH_TOKEN_TTL_DAYS', 'CARD_QR_TTL_SECONDS', 'LOGIN_MAX_FAILURES',
  'LOGIN_LOCK_SECONDS', 'HOUSEKEEPING_INTERVAL_SECONDS', 'PERSONAL_DATA_LOG_DAYS', 'SIP2_PORT', 'SIP2_ENCODING', 'SIP2_INSTITUTION_ID',
  'SIP2_IDLE_TIMEOUT_SECONDS', 'PAYMENT_PROVIDER', 'NO_SHOW_LIMIT', 'NO_SHOW_WINDOW_DAYS', 'NO_SHOW_BAN_DAYS', 'REGISTRATION_CANCEL_DEADLINE_HOURS',
  'RATE_LIMIT', 'RATE_LIMIT_PER_MINUTE', 'RATE_LIMIT_AUTH_PER_MINUTE', 'RATE_LIMIT_BOOKING_PER_MINUTE', 'JOBS_RUN_IN', 'API_WORKERS', 'DUE_SOON_DAYS', 'CORS_ORIGINS', 'BODY_LIMIT', 'TRUST_PROXY', 'LOG_LEVEL', 'WEB_DIR', 'RESPONSE_CHECK',
];

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Never echoed back in an error: they are secrets, or URLs that may carry a password. */
const SECRET_KEYS = new Set(['JWT_SECRET', 'PII_KEY', 'PII_KEYS_PREVIOUS', 'ADMIN_PASSWORD', 'DATABASE_URL', 'REDIS_URL']);

function firstProblem(errors: ValidationError[]): string {
  const e = errors[0];
  const messages = Object.values(e.constraints ?? {});
  // A missing value fails every rule; say that it is required rather than that it is too short.
  const reason =
    (e.value === undefined ? messages.find((m) => m.includes('required')) : undefined) ??
    messages[0] ??
    `${e.property} is invalid`;
  const shown = e.value === undefined || SECRET_KEYS.has(e.property) ? '' : ` (got ${JSON.stringify(String(e.value))})`;
  return reason.includes(e.property) ? `${reason}${shown}` : `${e.property}: ${reason}${shown}`;
}

/** Reads and validates the environment; throws ConfigError with one readable line. */
export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const raw: Record<string, unknown> = {};
  for (const key of ENV_KEYS) {
    const v = source[key];
    if (v !== undefined && v !== '') raw[key] = v;
  }
  const env = plainToInstance(Env, raw);
  const errors = validateSync(env);
  if (errors.length) throw new ConfigError(`Invalid configuration: ${firstProblem(errors)}`);
  if (!IANAZone.isValidZone(env.TIME_ZONE)) {
    throw new ConfigError(`Invalid configuration: TIME_ZONE must be an IANA time zone (got "${env.TIME_ZONE}")`);
  }
  if (env.PII_KEYS_PREVIOUS && !env.PII_KEY) {
    throw new ConfigError('Invalid configuration: PII_KEYS_PREVIOUS needs PII_KEY, the key that seals personal data from now on');
  }
  const workers = apiWorkerCount(env);
  if (workers > 1 && !env.REDIS_URL) {
    throw new ConfigError(
      `Invalid configuration: API_WORKERS=${env.API_WORKERS} (${workers} processes) needs REDIS_URL: the workers share rate limits, logouts and live updates through Redis (set API_WORKERS=1 to run without it)`,
    );
  }
  return env;
}

/** API_WORKERS as a number of processes: `auto` is one per core the process may use. */
export function apiWorkerCount(env: Pick<Env, 'API_WORKERS'>): number {
  return env.API_WORKERS === 'auto' ? availableParallelism() : Number(env.API_WORKERS);
}
