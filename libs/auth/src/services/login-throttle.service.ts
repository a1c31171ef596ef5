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
 * Counts login attempts per account (or per unknown login name) in PostgreSQL, so every instance and
 * every spelling of a phone number share one count. An attempt is reserved atomically before the
 * password is checked: of many parallel guesses only LOGIN_MAX_FAILURES ever reach the check, and
 * that many failures in a row lock the account for LOGIN_LOCK_SECONDS.
 */
@Injectable()
export class LoginThrottleService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly env: Env,
  ) {}

  /** A key that holds no personal data: HMAC of the account (or of the normalised login name). */
  keyFor(subject: string): string {
    return createHmac('sha256', this.env.JWT_SECRET ?? 'login-throttle').update(subject).digest('hex');
  }

  /** Takes one attempt from the allowance, or refuses with 429 when none is left. Returns the attempt's number. */
  async reserveAttempt(key: string): Promise<number> {
    const [row]: Array<{ failures: number; locked_for: number | null }> = await this.dataSource.query(
      `INSERT INTO login_throttle AS t (login_key, failures, last_failure_at) VALUES ($1, 1, now())
       ON CONFLICT (login_key) DO UPDATE SET
         failures = CASE WHEN t.locked_until IS NOT NULL AND t.locked_until <= now() THEN 1
                         WHEN t.locked_until > now() THEN t.failures
                         ELSE t.failures + 1 END,
         locked_until = CASE WHEN t.locked_until <= now() THEN NULL ELSE t.locked_until END,
         last_failure_at = now()
       RETURNING failures, ceil(extract(epoch FROM locked_until - now()))::int AS locked_for`,
      [key],
    );
    if (row.locked_for !== null && row.locked_for > 0) throw AuthError.LOGIN_LOCKED({ retryAfterSeconds: row.locked_for });
    if (row.failures > this.env.LOGIN_MAX_FAILURES) {
      await this.lock(key);
      throw AuthError.LOGIN_LOCKED({ retryAfterSeconds: this.env.LOGIN_LOCK_SECONDS });
    }
    return row.failures;
  }

  /** The reserved attempt failed: lock when it was the last one allowed, and answer more slowly. */
  async recordFailure(key: string, attempt: number): Promise<void> {
    if (attempt >= this.env.LOGIN_MAX_FAILURES) await this.lock(key);
    await sleep(failureDelayMs(attempt));
  }

  async recordSuccess(key: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM login_throttle WHERE login_key = $1`, [key]);
  }

  private async lock(key: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE login_throttle SET locked_until = now() + make_interval(secs => $2)
        WHERE login_key = $1 AND (locked_until IS NULL OR locked_until <= now())`,
      [key, this.env.LOGIN_LOCK_SECONDS],
    );
  }
}
