import Redis from 'ioredis';

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
  abstract ping(): Promise<boolean>;
  abstract close(): Promise<void>;
  /** Called each time the store comes back after being unreachable (never for the in-process store). */
  onReconnect(_listener: () => void): void {}
}

export class RedisSharedStore extends SharedStore {
  readonly kind = 'redis' as const;

  private wasLost = false;
  private readonly reconnectListeners: Array<() => void> = [];

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
