import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Emitter } from '@socket.io/redis-emitter';
import type Redis from 'ioredis';
import { Env } from '@lib/config';
import { REDIS_CLIENT } from '@lib/redis';
import { namespaceOf } from './live-event';
import { LiveEvents } from './live-events';

/** The Redis channel prefix socket.io uses across instances: the API's adapter and every emitter agree on it. */
export const socketIoKey = (env: Pick<Env, 'REDIS_PREFIX'>) => `${env.REDIS_PREFIX}socket.io`;

/**
 * A publishing-only duplicate of the Redis client: it never queues while Redis is away, and a failed
 * publish is logged, never an unhandled rejection (socket.io's adapter and emitter do not await it).
 */
export function publisherClient(redis: Redis, logger: Logger): Redis {
  const pub = redis.duplicate({ enableOfflineQueue: false });
  pub.on('error', (e: Error) => logger.debug(`Redis publisher: ${e.message}`));
  const publish = pub.publish.bind(pub) as (channel: string, message: string | Buffer) => Promise<number>;
  (pub as unknown as { publish: typeof publish }).publish = (channel, message) =>
    publish(channel, message).catch((e: Error) => {
      logger.warn(`live event not relayed through Redis: ${e.message}`);
      return 0;
    });
  return pub;
}

/**
 * For apps without a socket server (the worker, the SIP2 server): live events go into socket.io's
 * Redis channels, and the API instances deliver them to their clients. Without Redis there is no one
 * to hand them to, and they are dropped (the inbox still has every notice).
 */
@Injectable()
export class SocketEmitterSink implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('LiveEmitter');
  private client: Redis | null = null;

  constructor(
    private readonly live: LiveEvents,
    private readonly env: Env,
    @Inject(REDIS_CLIENT) private readonly redis: Redis | null,
  ) {}

  onModuleInit(): void {
    if (!this.redis) return;
    this.client = publisherClient(this.redis, this.logger);
    const emitter = new Emitter(this.client, { key: socketIoKey(this.env) });
    this.live.attach({ deliver: (e) => void emitter.of(namespaceOf(e.room)).to(e.room).emit(e.event, e.data) });
  }

  onApplicationShutdown(): void {
    this.client?.disconnect();
  }
}
