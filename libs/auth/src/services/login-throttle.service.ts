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

  /**
   * Takes one attempt from the allowance. Failures plus attempts still being checked may not exceed
   * LOGIN_MAX_FAILURES, so parallel guesses cannot slip past the count; a locked account, or one whose
   * allowance is in use right now, is refused with 429 (only failures lock). Returns the attempt's number.
   */
  async reserveAttempt(key: string): Promise<number> {
    return this.dataSource.transaction(async (em) => {
      await em.query(`INSERT INTO login_throttle (login_key) VALUES ($1) ON CONFLICT (login_key) DO NOTHING`, [key]);
      const [row]: Array<{ failures: number; pending: number; locked_for: number | null; stale: boolean }> = await em.query(
        `SELECT failures, pending, ceil(extract(epoch FROM locked_until - now()))::int AS locked_for,
                last_attempt_at < now() - interval '2 minutes' AS stale
           FROM login_throttle WHERE login_key = $1 FOR UPDATE`,
        [key],
      );
      if (row.locked_for !== null && row.locked_for > 0) throw AuthError.LOGIN_LOCKED({ retryAfterSeconds: row.locked_for });
      const lockOver = row.locked_for !== null; // an expired lock starts a fresh count
      const failures = lockOver ? 0 : row.failures;
      const pending = lockOver || row.stale ? 0 : row.pending; // attempts of a crashed process do not count for ever
      if (failures + pending >= this.env.LOGIN_MAX_FAILURES) throw AuthError.LOGIN_LOCKED({ retryAfterSeconds: 1 });
      await em.query(
        `UPDATE login_throttle SET failures = $2, pending = $3, locked_until = NULL, last_attempt_at = now() WHERE login_key = $1`,
        [key, failures, pending + 1],
      );
      return failures + 1;
    });
  }

  /** The reserved attempt failed: one more failure, a lock when it was the last allowed, and a slower answer. */
  async recordFailure(key: string, attempt: number): Promise<void> {
    await this.dataSource.query(
      `UPDATE login_throttle SET pending = greatest(pending - 1, 0), failures = failures + 1, last_failure_at = now(),
              locked_until = CASE WHEN failures + 1 >= $2 THEN now() + make_interval(secs => $3) ELSE locked_until END
        WHERE login_key = $1`,
      [key, this.env.LOGIN_MAX_FAILURES, this.env.LOGIN_LOCK_SECONDS],
    );
    await sleep(failureDelayMs(attempt));
  }

  /** The right password: failures are forgotten; attempts still in flight keep their places. */
  async recordSuccess(key: string): Promise<void> {
    await this.dataSource.query(`UPDATE login_throttle SET failures = 0, pending = greatest(pending - 1, 0) WHERE login_key = $1`, [key]);
  }
}
