import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Env } from '@lib/config';
import { SharedStore, SharedStoreUnavailable } from '@lib/redis';
import { AuthSession, SubjectKind } from '../entities/session.entity';
import { AuthError } from '../auth.errors';

const REVOKED_PREFIX = 'auth:revoked-session:';

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * Login sessions with rotating refresh tokens. Rotation is one conditional UPDATE, so two requests
 * racing with the same token cannot both win; the loser presents a used token and the session ends
 * (the standard reuse-detection answer to a stolen refresh token).
 */
@Injectable()
export class SessionService implements OnModuleInit {
  private readonly logger = new Logger('Sessions');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly store: SharedStore,
    private readonly env: Env,
  ) {}

  /**
   * A single instance keeps revocations in memory; after a restart it reloads the recent ones from the
   * database, so a logout is not forgotten while that session's access tokens can still be valid.
   */
  async onModuleInit(): Promise<void> {
    if (this.store.kind !== 'memory') {
      // Logouts while Redis was away went to the database only; put them back where every instance looks.
      this.store.onReconnect(() => void this.restoreRevocations().catch((e: Error) => this.logger.warn(`revocations not restored: ${e.message}`)));
      return;
    }
    await this.restoreRevocations();
  }

  private async restoreRevocations(): Promise<void> {
    const ttl = this.env.ACCESS_TOKEN_TTL_SECONDS;
    const rows: Array<{ id: string; reason: string | null; left: number }> = await this.dataSource.query(
      `SELECT id, revoked_reason AS reason, ceil($1 - extract(epoch FROM now() - revoked_at))::int AS left
         FROM auth_session WHERE revoked_at > now() - make_interval(secs => $1)`,
      [ttl],
    );
    for (const row of rows) await this.store.set(REVOKED_PREFIX + row.id, row.reason ?? 'revoked', Math.max(1, row.left));
  }

  async open(subjectKind: SubjectKind, subjectId: string): Promise<{ sessionId: string; refreshToken: string }> {
    const refreshToken = randomBytes(32).toString('base64url');
    const repo = this.dataSource.getRepository(AuthSession);
    const session = await repo.save(
      repo.create({ subjectKind, subjectId, tokenHash: hashToken(refreshToken), expiresAt: this.refreshExpiry() }),
    );
    return { sessionId: session.id, refreshToken };
  }

  /** Swaps a refresh token for a new one; returns the session it belongs to. */
  async rotate(refreshToken: string): Promise<{ session: AuthSession; refreshToken: string }> {
    const oldHash = hashToken(refreshToken);
    const next = randomBytes(32).toString('base64url');
    const rows: AuthSession[] = await this.dataSource
      .createQueryBuilder()
      .update(AuthSession)
      .set({ tokenHash: hashToken(next), previousTokenHash: oldHash, rotatedAt: () => 'now()', expiresAt: this.refreshExpiry() })
      .where('token_hash = :oldHash AND revoked_at IS NULL AND expires_at > now()', { oldHash })
      .returning('*')
      .execute()
      .then((r) => r.raw);
    if (rows.length === 1) {
      const raw = rows[0] as unknown as Record<string, unknown>;
      const session = this.dataSource.getRepository(AuthSession).create({
        id: raw['id'] as string,
        subjectKind: raw['subject_kind'] as SubjectKind,
        subjectId: raw['subject_id'] as string,
      });
      return { session, refreshToken: next };
    }
    const reused = await this.dataSource
      .getRepository(AuthSession)
      .findOne({ where: { previousTokenHash: oldHash } });
    if (reused && !reused.revokedAt) {
      await this.revoke(reused.id, 'refresh_reused');
      throw AuthError.REFRESH_REUSED();
    }
    throw AuthError.REFRESH_INVALID();
  }

  async revoke(sessionId: string, reason: string): Promise<void> {
    await this.dataSource
      .getRepository(AuthSession)
      .createQueryBuilder()
      .update()
      .set({ revokedAt: () => 'now()', revokedReason: reason })
      .where('id = :sessionId AND revoked_at IS NULL', { sessionId })
      .execute();
    // Access tokens of this session stay valid until they expire unless every instance can see the revocation.
    await this.remember(sessionId, reason);
  }

  /** Ends every open session of an account (disabled, or its password changed). */
  async revokeAllOf(subjectKind: SubjectKind, subjectId: string, reason: string): Promise<number> {
    const result = await this.dataSource
      .createQueryBuilder()
      .update(AuthSession)
      .set({ revokedAt: () => 'now()', revokedReason: reason })
      .where('subject_kind = :subjectKind AND subject_id = :subjectId AND revoked_at IS NULL AND expires_at > now()', {
        subjectKind,
        subjectId,
      })
      .returning('id')
      .execute();
    const ended = result.raw as Array<{ id: string }>;
    for (const { id } of ended) await this.remember(id, reason);
    return ended.length;
  }

  /**
   * Deletes sessions that can no longer matter: expired ones, and ended ones whose access tokens have
   * all run out (their revocation is no longer needed anywhere). Idempotent.
   */
  async purgeEnded(batch = 5000): Promise<number> {
    const result = await this.dataSource.query(
      `DELETE FROM auth_session WHERE id IN (
         SELECT id FROM auth_session
          WHERE expires_at < now() OR revoked_at < now() - make_interval(secs => $1)
          LIMIT $2 FOR UPDATE SKIP LOCKED)`,
      [this.env.ACCESS_TOKEN_TTL_SECONDS, batch],
    );
    return (result as [unknown, number])[1] ?? 0;
  }

  /**
   * The shared store answers when it can; while Redis is away the database does (the session row is
   * the truth the store only mirrors), so signed-in requests go on and a logout still holds.
   */
  async isRevoked(sessionId: string): Promise<boolean> {
    try {
      return (await this.store.get(REVOKED_PREFIX + sessionId)) !== null;
    } catch (e) {
      // Unavailable up front, or lost in the middle of the call: either way the database answers.
      if (!(e instanceof SharedStoreUnavailable)) this.logger.warn(`revocation check fell back to the database: ${(e as Error).message}`);
      const [row] = await this.dataSource.query(`SELECT revoked_at IS NOT NULL AS revoked FROM auth_session WHERE id = $1`, [sessionId]);
      return row ? row.revoked === true : true;
    }
  }

  /** Mirrors a revocation into the shared store; while Redis is away the database row is enough (restored on reconnect). */
  private async remember(sessionId: string, reason: string): Promise<void> {
    try {
      await this.store.set(REVOKED_PREFIX + sessionId, reason, this.env.ACCESS_TOKEN_TTL_SECONDS);
    } catch (e) {
      if (!(e instanceof SharedStoreUnavailable)) this.logger.warn(`revocation kept in the database only until Redis is back: ${(e as Error).message}`);
    }
  }

  private refreshExpiry(): Date {
    return new Date(Date.now() + this.env.REFRESH_TOKEN_TTL_DAYS * 86_400_000);
  }
}
