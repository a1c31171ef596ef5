import { Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { Env } from '@lib/config';
import { MemorySharedStore, RedisSharedStore, SharedStore } from './shared-store';

/** The ioredis client, or null when REDIS_URL is unset (single-instance mode). */
export const REDIS_CLIENT = Symbol('REDIS_CLIENT');

@Global()
@Module({
  providers: [
    {
      provide: REDIS_CLIENT,
      inject: [Env],
      useFactory: (env: Env): Redis | null => {
        if (!env.REDIS_URL) {
          new Logger('Redis').warn(
            'REDIS_URL not set: running as a single instance with in-process fallbacks (sessions, limits, live updates stay in this process)',
          );
          return null;
        }
        const client = new Redis(env.REDIS_URL, { maxRetriesPerRequest: 2, enableOfflineQueue: true, lazyConnect: false });
        // Reconnection is automatic; while it lasts the API serves what does not need Redis and /api/health says "degraded".
        const logger = new Logger('Redis');
        let down = false;
        client.on('error', (e: Error) => {
          if (!down) logger.warn(`Redis unavailable (${e.message}): running degraded until it is back`);
          down = true;
        });
        client.on('ready', () => {
          if (down) logger.log('Redis is back');
          down = false;
        });
        return client;
      },
    },
    {
      provide: SharedStore,
      inject: [REDIS_CLIENT, Env],
      useFactory: (redis: Redis | null, env: Env): SharedStore =>
        redis ? new RedisSharedStore(redis, env.REDIS_PREFIX) : new MemorySharedStore(),
    },
  ],
  exports: [REDIS_CLIENT, SharedStore],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Inject(SharedStore) private readonly store: SharedStore) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
