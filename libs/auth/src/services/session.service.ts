import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Env } from '@lib/config';
import { SharedFeed, SharedStore, SharedStoreUnavailable } from '@lib/redis';
import { publishAfterCommit, rooms, SESSION_ENDED } from '@lib/realtime';
import { AuthSession, SubjectKind } from '../entities/session.entity';
import { AuthError } from '../auth.errors';

const REVOKED_PREFIX = 'auth:revoked-session:';
/** Every revocation mirrored into Redis is also published here, as `<session id> <seconds its tokens may still live>`. */
const REVOKED_CHANNEL = 'auth:revoked-sessions';

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * Login sessions with rotating refresh tokens. Rotation is one conditional UPDATE, so two requests
 * racing with the same token cannot both win; the loser presents a used token and the session ends
 * (the standard reuse-detection answer to a stolen refresh token).
 */
@Injectable()
export class SessionService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Sessions');
  /**
   * With Redis: the sessions revoked in the last ACCESS_TOKEN_TTL_SECONDS, as this instance heard them
   * (session id → when the last of its access tokens has expired, ms). Answers revocation checks while
   * `feed` is current; otherwise the store and the database do, as without it.
   */
  private readonly revoked = new Map<string, number>();
  private feed: SharedFeed | null = null;
  private lastSweep = Date.now();

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
      // Subscribed first, then the recent revocations read from the database (the truth): one made during
      // the read arrives as a message, one made before it is in the read.
      this.feed = this.store.follow(REVOKED_CHANNEL, {
        message: (message) => this.heard(message),
        resync: () => this.loadRevocations(),
      });
      return;
    }
    await this.restoreRevocations();
  }

  onModuleDestroy(): void {
    this.feed?.close();
    this.feed = null;
  }

  /** Whether revocation checks are answered from this instance's copy (Redis configured, feed subscribed and in sync). */
  get revocationsHeardLocally(): boolean {
    return this.feed?.current() ?? false;
  }

  private recentRevocations(): Promise<Array<{ id: string; reason: string | null; left: number }>> {
    return this.dataSource.query(
      `SELECT id, revoked_reason AS reason, ceil($1 - extract(epoch FROM now() - revoked_at))::int AS left
         FROM auth_session WHERE revoked_at > now() - make_interval(secs => $1)`,
      [this.env.ACCESS_TOKEN_TTL_SECONDS],
    );
  }

  /** Puts the recent revocations into the store, and tells every instance again (they may have missed them). */
  private async restoreRevocations(): Promise<void> {
    for (const row of await this.recentRevocations()) {
      const left = Math.max(1, row.left);
      await this.store.setAndPublish(REVOKED_PREFIX + row.id, row.reason ?? 'revoked', left, REVOKED_CHANNEL, `${row.id} ${left}`);
    }
  }

  private async loadRevocations(): Promise<void> {
    for (const row of await this.recentRevocations()) this.keep(row.id, Math.max(1, row.left));
  }

  private heard(message: string): void {
    const [sessionId, left] = message.split(' ');
    const seconds = Number(left);
    if (!sessionId) return;
    // A message this version cannot read still names a revoked session: keep it for the longest a token lives.
    this.keep(sessionId, Number.isFinite(seconds) && seconds > 0 ? seconds : this.env.ACCESS_TOKEN_TTL_SECONDS);
  }

  private keep(sessionId: string, seconds: number): void {
    const now = Date.now();
    const until = now + seconds * 1000;
    if ((this.revoked.get(sessionId) ?? 0) < until) this.revoked.set(sessionId, until);
    if (now - this.lastSweep < 60_000) return;
    this.lastSweep = now;
    for (const [id, end] of this.revoked) if (end <= now) this.revoked.delete(id);
  }

  private heardRevoked(sessionId: string): boolean {
    const until = this.revoked.get(sessionId);
    if (until === undefined) return false;
    if (until > Date.now()) return true;
    this.revoked.delete(sessionId);
    return false;
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
   * This instance's copy answers while its feed is current (no round trip); otherwise the shared store
   * answers when it can, and while Redis is away the database does (the session row is the truth the
   * store only mirrors), so signed-in requests go on and a logout still holds.
   */
  async isRevoked(sessionId: string): Promise<boolean> {
    if (this.feed?.current()) return this.heardRevoked(sessionId);
    try {
      return (await this.store.get(REVOKED_PREFIX + sessionId)) !== null;
    } catch (e) {
      // Unavailable up front, or lost in the middle of the call: either way the database answers.
      if (!(e instanceof SharedStoreUnavailable)) this.logger.warn(`revocation check fell back to the database: ${(e as Error).message}`);
      const [row] = await this.dataSource.query(`SELECT revoked_at IS NOT NULL AS revoked FROM auth_session WHERE id = $1`, [sessionId]);
      return row ? row.revoked === true : true;
    }
  }

  /**
   * Mirrors a revocation into the shared store and publishes it to every instance's copy, in one step,
   * and returns only once Redis has handed it on; while Redis is away the database row is enough
   * (restored and published again on reconnect, and read by every feed when it resyncs).
   */
  private async remember(sessionId: string, reason: string): Promise<void> {
    // Live connections opened with this session's tokens close now, on every instance.
    publishAfterCommit(this.dataSource.manager, { room: rooms.login(sessionId), event: SESSION_ENDED, data: { reason } });
    const ttl = this.env.ACCESS_TOKEN_TTL_SECONDS;
    // This instance refuses the session at once, without waiting for its own message to come back.
    if (this.feed) this.keep(sessionId, ttl);
    try {
      await this.store.setAndPublish(REVOKED_PREFIX + sessionId, reason, ttl, REVOKED_CHANNEL, `${sessionId} ${ttl}`);
    } catch (e) {
      if (!(e instanceof SharedStoreUnavailable)) this.logger.warn(`revocation kept in the database only until Redis is back: ${(e as Error).message}`);
    }
  }

  private refreshExpiry(): Date {
    return new Date(Date.now() + this.env.REFRESH_TOKEN_TTL_DAYS * 86_400_000);
  }
}
