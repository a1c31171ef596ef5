import { ExecutionContext, Injectable, Logger, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerGuard,
  ThrottlerLimitDetail,
  ThrottlerModuleOptions,
  ThrottlerRequest,
  ThrottlerStorage,
  ThrottlerStorageService,
} from '@nestjs/throttler';
import type { FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import type Redis from 'ioredis';
import { Principal, TokenService } from '@lib/auth';
import { Env } from '@lib/config';
import { CommonError } from '@lib/errors';

const LIMIT_CLASS = 'http:rate-limit-class';

/**
 * Tighter limits on top of the per-caller one: `auth` (log-in, sign-up, refresh; per address) and
 * `booking` (registrations, bookings, holds; per resident, so one cannot flood a flash registration —
 * staff registering residents at the desk are not held to it).
 */
export type RateLimitClass = 'auth' | 'booking';
export const RateLimit = (limitClass: RateLimitClass) => SetMetadata(LIMIT_CLASS, limitClass);

const classOf = (context: ExecutionContext): RateLimitClass | undefined =>
  Reflect.getMetadata(LIMIT_CLASS, context.getHandler()) ?? Reflect.getMetadata(LIMIT_CLASS, context.getClass());

const addressOf = (req: Record<string, unknown>) => `ip:${String((req as unknown as FastifyRequest).ip ?? 'unknown')}`;

/** The throttlers, from configuration; counts live in Redis when configured, so every instance shares them. */
export function rateLimitOptions(env: Env, redis: Redis | null): ThrottlerModuleOptions {
  return {
    throttlers: [
      { name: 'caller', ttl: 60_000, limit: env.RATE_LIMIT_PER_MINUTE },
      { name: 'auth', ttl: 60_000, limit: env.RATE_LIMIT_AUTH_PER_MINUTE, skipIf: (c) => classOf(c) !== 'auth', getTracker: addressOf },
      { name: 'booking', ttl: 60_000, limit: env.RATE_LIMIT_BOOKING_PER_MINUTE, skipIf: (c) => classOf(c) !== 'booking' },
    ],
    storage: new SharedRateLimitStorage(redis),
  };
}

/**
 * Redis counts (shared by every instance) while Redis answers; this instance's own counts while it
 * does not, so an outage loosens the limits to per-instance ones instead of failing every request.
 */
export class SharedRateLimitStorage implements ThrottlerStorage {
  private readonly logger = new Logger('RateLimit');
  private readonly local = new ThrottlerStorageService();
  private readonly shared: ThrottlerStorageRedisService | null;
  private usingLocal = false;

  constructor(private readonly redis: Redis | null) {
    this.shared = redis ? new ThrottlerStorageRedisService(redis) : null;
  }

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string) {
    if (this.shared && this.redis?.status === 'ready') {
      try {
        const record = await this.shared.increment(key, ttl, limit, blockDuration, throttlerName);
        if (this.usingLocal) this.logger.log('Redis is back: rate limits are shared again');
        this.usingLocal = false;
        return record;
      } catch (e) {
        this.fallBack((e as Error).message);
      }
    } else if (this.shared) {
      this.fallBack(`Redis ${this.redis?.status}`);
    }
    return this.local.increment(key, ttl, limit, blockDuration, throttlerName);
  }

  private fallBack(reason: string): void {
    if (!this.usingLocal) this.logger.warn(`rate limits counted per instance while Redis is unavailable (${reason})`);
    this.usingLocal = true;
  }

  onApplicationShutdown(): void {
    this.local.onApplicationShutdown();
  }
}

/**
 * The global rate-limit guard. A caller is the signed-in person (the access token's subject, checked
 * here because guards' order is not the auth guard's business) or else the address. Keys carry the
 * deployment's Redis prefix. Over the limit: 429 `TOO_MANY_REQUESTS` with `Retry-After`.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    private readonly env: Env,
    private readonly tokens: TokenService,
  ) {
    super(options, storage, reflector);
  }

  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    return this.env.RATE_LIMIT === 'off' || context.getType() !== 'http';
  }

  protected override async getTracker(req: Record<string, unknown>): Promise<string> {
    const caller = this.callerOf(req);
    return caller ? `person:${caller.id}` : addressOf(req);
  }

  /** The booking limit is for residents pressing for themselves; staff at a desk register one resident after another. */
  protected override async handleRequest(props: ThrottlerRequest): Promise<boolean> {
    if (props.throttler.name === 'booking') {
      const caller = this.callerOf(props.context.switchToHttp().getRequest());
      if (caller && caller.kind !== 'patron') return true;
    }
    return super.handleRequest(props);
  }

  /** The signed-in caller from a valid bearer token, read once per request (the auth guard refuses bad ones anyway). */
  private callerOf(req: Record<string, unknown>): Principal | null {
    if ('rateLimitCaller' in req) return req.rateLimitCaller as Principal | null;
    const header = (req as unknown as FastifyRequest).headers?.authorization;
    let caller: Principal | null = null;
    if (header?.startsWith('Bearer ')) {
      try {
        caller = this.tokens.verifyAccess(header.slice(7));
      } catch {
        caller = null;
      }
    }
    req.rateLimitCaller = caller;
    return caller;
  }

  protected override generateKey(context: ExecutionContext, tracker: string, name: string): string {
    // The per-caller limit spans the whole API; the tighter ones count each endpoint apart.
    const scope = name === 'caller' ? 'api' : `${context.getClass().name}.${context.getHandler().name}`;
    return `${this.env.REDIS_PREFIX}rate:${name}:${createHash('sha256').update(`${scope}|${tracker}`).digest('hex').slice(0, 32)}`;
  }

  protected override async throwThrottlingException(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    throw CommonError.TOO_MANY_REQUESTS({ retryAfterSeconds: Math.max(1, Math.ceil(detail.timeToBlockExpire || detail.timeToExpire)), limit: detail.limit });
  }
}
