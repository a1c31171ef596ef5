import Redis from 'ioredis';
import { DEFAULT_FEED_TIMING, RedisFeed, SharedFeed, SharedFeedHandlers, SharedFeedTiming } from './shared-feed';

/** Redis is configured but not reachable right now; callers fall back to what the database knows. */
export class SharedStoreUnavailable extends Error {
  override name = 'SharedStoreUnavailable';
}

/**
 * Short-lived state that every API instance must see (revoked sessions). Redis when REDIS_URL is
 * set; an in-process map for a single instance. While Redis is away, calls fail at once with
 * SharedStoreUnavailable instead of waiting on reconnection, and `onReconnect` tells callers when it is
 * back so they can restore what they could not write meanwhile.
 */
export abstract class SharedStore {
  abstract readonly kind: 'redis' | 'memory';
  abstract set(key: string, value: string, ttlSeconds: number): Promise<void>;
  abstract get(key: string): Promise<string | null>;
  /**
   * Stores a value and tells every follower of `channel`, in one step: Redis applies both or neither, and
   * this resolves once Redis has handed the message to every subscriber. The in-process store only stores
   * (there is no one else to tell).
   */
  abstract setAndPublish(key: string, value: string, ttlSeconds: number, channel: string, message: string): Promise<void>;
  /** Follows `channel` on a connection of its own; null for the in-process store (nothing is published elsewhere). */
  follow(_channel: string, _handlers: SharedFeedHandlers, _timing?: SharedFeedTiming): SharedFeed | null {
    return null;
  }
  abstract ping(): Promise<boolean>;
  abstract close(): Promise<void>;
  /** Called each time the store comes back after being unreachable (never for the in-process store). */
  onReconnect(_listener: () => void): void {}
}

export class RedisSharedStore extends SharedStore {
  readonly kind = 'redis' as const;

  private wasLost = false;
  private readonly reconnectListeners: Array<() => void> = [];
  private readonly feeds = new Set<SharedFeed>();

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {
    super();
    redis.on('close', () => {
      this.wasLost = true;
    });
    redis.on('ready', () => {
      if (!this.wasLost) return;
      this.wasLost = false;
      for (const listener of this.reconnectListeners) listener();
    });
  }

  override onReconnect(listener: () => void): void {
    this.reconnectListeners.push(listener);
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    this.assertReady();
    await this.redis.set(this.prefix + key, value, 'EX', Math.max(1, Math.ceil(ttlSeconds)));
  }

  async get(key: string): Promise<string | null> {
    this.assertReady();
    return this.redis.get(this.prefix + key);
  }

  async setAndPublish(key: string, value: string, ttlSeconds: number, channel: string, message: string): Promise<void> {
    this.assertReady();
    const results = await this.redis
      .multi()
      .set(this.prefix + key, value, 'EX', Math.max(1, Math.ceil(ttlSeconds)))
      .publish(this.prefix + channel, message)
      .exec();
    const failed = results?.find(([error]) => error);
    if (!results || failed) throw failed?.[0] ?? new Error('transaction aborted');
  }

  override follow(channel: string, handlers: SharedFeedHandlers, timing: SharedFeedTiming = DEFAULT_FEED_TIMING): SharedFeed {
    const feed = new RedisFeed(this.redis, this.prefix + channel, handlers, timing);
    this.feeds.add(feed);
    return {
      current: () => feed.current(),
      close: () => {
        this.feeds.delete(feed);
        feed.close();
      },
    };
  }

  async ping(): Promise<boolean> {
    if (this.redis.status !== 'ready') return false;
    try {
      return (await this.redis.ping()) === 'PONG';
    } catch {
      return false;
    }
  }

  private assertReady(): void {
    if (this.redis.status !== 'ready') throw new SharedStoreUnavailable(`Redis is ${this.redis.status}`);
  }

  async close(): Promise<void> {
    for (const feed of this.feeds) feed.close();
    this.feeds.clear();
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

export class MemorySharedStore extends SharedStore {
  readonly kind = 'memory' as const;
  private readonly entries = new Map<string, { value: string; expiresAt: number }>();

  constructor(private readonly now: () => number = Date.now) {
    super();
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    this.sweep();
    this.entries.set(key, { value, expiresAt: this.now() + ttlSeconds * 1000 });
  }

  async setAndPublish(key: string, value: string, ttlSeconds: number): Promise<void> {
    await this.set(key, value, ttlSeconds);
  }

  async get(key: string): Promise<string | null> {
    const entry = this.entries.get(key);
    if (!entry) return null;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return null;
    }
    return entry.value;
  }

  async ping(): Promise<boolean> {
    return true;
  }

  async close(): Promise<void> {
    this.entries.clear();
  }

  private sweep(): void {
    if (this.entries.size < 10_000) return;
    const now = this.now();
    for (const [k, e] of this.entries) if (e.expiresAt <= now) this.entries.delete(k);
  }
}
