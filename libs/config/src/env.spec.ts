import { availableParallelism } from 'node:os';
import { apiWorkerCount, ConfigError, loadEnv } from './env';

describe('loadEnv', () => {
  it('applies defaults for an empty environment', () => {
    const env = loadEnv({});
    expect(env.PORT).toBe(3000);
    expect(env.NODE_ENV).toBe('development');
    expect(env.TIME_ZONE).toBe('Asia/Shanghai');
    expect(env.SEED_DEMO).toBeUndefined();
    expect(env.RATE_LIMIT).toBe('on'); // limits are never off unless asked
    expect(env.JOBS_RUN_IN).toBe('auto');
  });

  it('converts numbers and booleans', () => {
    const env = loadEnv({ PORT: '8080', SEED_DEMO: 'false', SUBDISTRICT_CENTRE_MIN_AREA: '1200', COMMUNITY_CENTRE_MIN_AREA: '150' });
    expect(env.PORT).toBe(8080);
    expect(env.SEED_DEMO).toBe(false);
    expect([env.SUBDISTRICT_CENTRE_MIN_AREA, env.COMMUNITY_CENTRE_MIN_AREA]).toEqual([1200, 150]);
  });

  it.each([
    [{ PORT: 'abc' }, /PORT must be a whole number/],
    [{ PORT: '70000' }, /PORT must be a whole number/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL must be a postgres/],
    [{ REDIS_URL: 'localhost:6379' }, /REDIS_URL must be a redis/],
    [{ NODE_ENV: 'production', PII_KEY: 'k'.repeat(32) }, /JWT_SECRET is required when NODE_ENV=production/],
    [{ JWT_SECRET: 'short' }, /JWT_SECRET must be at least 32 characters/],
    [{ ADMIN_USERNAME: 'admin' }, /ADMIN_PASSWORD is required/],
    [{ SEED_DEMO: 'maybe' }, /SEED_DEMO must be true or false/],
    [{ TIME_ZONE: 'Mars/Olympus' }, /TIME_ZONE must be an IANA time zone/],
    [{ RATE_LIMIT: 'maybe' }, /RATE_LIMIT must be on or off/],
    [{ RATE_LIMIT_AUTH_PER_MINUTE: '0' }, /RATE_LIMIT_AUTH_PER_MINUTE must be a whole number/],
    [{ JOBS_RUN_IN: 'everywhere' }, /JOBS_RUN_IN must be auto, api or worker/],
    [{ API_WORKERS: '0' }, /API_WORKERS must be auto or a whole number from 1 to 99/],
    [{ API_WORKERS: 'two' }, /API_WORKERS must be auto or a whole number from 1 to 99/],
    [{ PII_KEY: 'k'.repeat(32), PII_KEYS_PREVIOUS: 'short' }, /PII_KEYS_PREVIOUS must be comma-separated keys of at least 32/],
    [{ PII_KEY: 'k'.repeat(32), PII_KEYS_PREVIOUS: `${'a'.repeat(32)},` }, /PII_KEYS_PREVIOUS must be comma-separated keys/],
    [{ PII_KEYS_PREVIOUS: 'a'.repeat(32) }, /PII_KEYS_PREVIOUS needs PII_KEY/],
    [{ API_WORKERS: '2' }, /API_WORKERS=2 \(2 processes\) needs REDIS_URL/],
  ])('rejects %j with one clear line', (source, message) => {
    let error: unknown;
    try {
      loadEnv(source);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
  });

  it('takes online fine payments through the log provider unless told otherwise, and refuses a provider it does not have', () => {
    expect(loadEnv({}).PAYMENT_PROVIDER).toBe('log');
    expect(() => loadEnv({ PAYMENT_PROVIDER: 'alipay' })).toThrow(/^Invalid configuration: PAYMENT_PROVIDER must be log \(got "alipay"\)$/);
  });

  it('never repeats a secret value in the error', () => {
    expect(() => loadEnv({ JWT_SECRET: 'hunter2' })).toThrow(/^Invalid configuration: JWT_SECRET must be at least 32 characters$/);
    expect(() => loadEnv({ DATABASE_URL: 'mysql://u:pw@db/x' })).toThrow(/^Invalid configuration: DATABASE_URL must be a postgres:\/\/ URL$/);
  });

  it('reads API_WORKERS as a number of processes, auto as one per core', () => {
    expect(apiWorkerCount(loadEnv({}))).toBe(1);
    expect(apiWorkerCount(loadEnv({ API_WORKERS: '3', REDIS_URL: 'redis://127.0.0.1:6379' }))).toBe(3);
    expect(apiWorkerCount({ API_WORKERS: 'auto' })).toBe(availableParallelism());
    // auto on one core is one process, which needs no Redis
    if (availableParallelism() > 1) expect(() => loadEnv({ API_WORKERS: 'auto' })).toThrow(/API_WORKERS=auto \(\d+ processes\) needs REDIS_URL/);
  });

  it('accepts a complete production environment', () => {
    const env = loadEnv({ NODE_ENV: 'production', JWT_SECRET: 's'.repeat(32), PII_KEY: 'p'.repeat(32) });
    expect(env.NODE_ENV).toBe('production');
  });
});
