import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHmac } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import { Env } from '@lib/config';
import { AuthError } from '../auth.errors';

/** Delay after the n-th consecutive failure: nothing for the first, then 250 ms doubling, at most 2 s. */
export function failureDelayMs(failures: number): number {
  if (failures <= 1) return 0;
  return Math.min(250 * 2 ** (failures - 2), 2000);
}

/**
 * Counts failed logins per login name in PostgreSQL (so every instance shares the count): each
 * failure answers more slowly, and LOGIN_MAX_FAILURES in a row lock the name for LOGIN_LOCK_SECONDS.
 */
@Injectable()
export class LoginThrottleService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly env: Env,
  ) {}

  keyFor(login: string): string {
    return createHmac('sha256', this.env.JWT_SECRET ?? 'login-throttle').update(login.trim().toLowerCase()).digest('hex');
  }

  async assertNotLocked(key: string): Promise<void> {
    const rows: Array<{ seconds: number }> = await this.dataSource.query(
      `SELECT ceil(extract(epoch FROM locked_until - now()))::int AS seconds
         FROM login_throttle WHERE login_key = $1 AND locked_until > now()`,
      [key],
    );
    if (rows.length) throw AuthError.LOGIN_LOCKED({ retryAfterSeconds: Math.max(1, rows[0].seconds) });
  }

  /** Records a failure atomically, then waits the slow-down delay. */
  async recordFailure(key: string): Promise<void> {
    const [row]: Array<{ failures: number }> = await this.dataSource.query(
      `INSERT INTO login_throttle AS t (login_key, failures, last_failure_at) VALUES ($1, 1, now())
       ON CONFLICT (login_key) DO UPDATE SET
         failures = CASE WHEN t.locked_until IS NOT NULL AND t.locked_until <= now() THEN 1 ELSE t.failures + 1 END,
         locked_until = CASE
           WHEN t.locked_until IS NOT NULL AND t.locked_until <= now() THEN NULL
           WHEN t.failures + 1 >= $2 THEN now() + make_interval(secs => $3)
           ELSE t.locked_until END,
         last_failure_at = now()
       RETURNING failures`,
      [key, this.env.LOGIN_MAX_FAILURES, this.env.LOGIN_LOCK_SECONDS],
    );
    await sleep(failureDelayMs(row.failures));
  }

  async recordSuccess(key: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM login_throttle WHERE login_key = $1`, [key]);
  }
}
