import { INestApplicationContext, Logger } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import type Redis from 'ioredis';
import type { Server, ServerOptions } from 'socket.io';
import { apiWorkerCount, Env } from '@lib/config';
import { REDIS_CLIENT } from '@lib/redis';
import { publisherClient, socketIoKey } from '@lib/realtime';

/**
 * socket.io on the API's HTTP port (immich's `websocket.adapter.ts` idea): with Redis, the
 * `@socket.io/redis-adapter` relays every room broadcast to the other instances, so a client on one
 * instance hears what an action on another caused; without Redis, rooms stay in this process.
 * Publishing never throws while Redis is away: the local clients are served and the others miss it.
 * Under API_WORKERS > 1 the server takes the websocket transport only: connections are handed to the
 * workers in turn, and long-polling needs each of a client's requests on one process (see startup/cluster.ts).
 * A polling client is then refused at once (engine.io "Transport unknown") instead of losing its session
 * on every other request.
 */
export class LiveSocketAdapter extends IoAdapter {
  private readonly logger = new Logger('LiveSocketAdapter');
  private readonly clients: Redis[] = [];

  constructor(private readonly app: INestApplicationContext) {
    super(app);
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const env = this.app.get(Env);
    const origins = env.CORS_ORIGINS.split(',').map((o) => o.trim()).filter(Boolean);
    const server: Server = super.createIOServer(port, {
      ...options,
      ...(apiWorkerCount(env) > 1 ? { transports: ['websocket'] as const } : {}),
      cors: origins.length ? { origin: origins.includes('*') ? true : origins, credentials: true } : undefined,
    });
    const redis = this.app.get<Redis | null>(REDIS_CLIENT);
    if (redis) {
      const pub = publisherClient(redis, this.logger);
      const sub = redis.duplicate();
      sub.on('error', (e: Error) => this.logger.debug(`socket.io Redis subscriber: ${e.message}`));
      // The adapter neither awaits nor catches its (un)subscribe calls: one still pending when dispose()
      // disconnects rejects with "Connection is closed", unhandled, and ends the process (seen once in
      // about twenty cluster starts, at the seeding app's close). Their failures are only logged here.
      for (const name of ['subscribe', 'psubscribe', 'unsubscribe', 'punsubscribe'] as const) {
        const command = (sub[name] as (...args: unknown[]) => Promise<unknown>).bind(sub);
        (sub as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
          const reply = command(...args);
          reply.catch((e: Error) => this.logger.debug(`socket.io Redis ${name}: ${e.message}`));
          return reply;
        };
      }
      this.clients.push(pub, sub);
      server.adapter(createAdapter(pub, sub, { key: socketIoKey(env) }));
    }
    return server;
  }

  override async dispose(): Promise<void> {
    await super.dispose();
    for (const c of this.clients.splice(0)) c.disconnect();
  }
}
