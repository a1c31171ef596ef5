import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import { Answers } from '../http/answers';
import { Health } from '../views/system.views';
import { Public } from '@lib/auth';
import { SharedStore } from '@lib/redis';

type Check = { status: 'up' | 'down'; [detail: string]: unknown };

@ApiTags('health')
// A load balancer polls this; a 429 here would take a healthy instance out of service.
@SkipThrottle({ caller: true, auth: true, booking: true })
@Controller('health')
export class HealthController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(SharedStore) private readonly store: SharedStore,
  ) {}

  /**
   * `ok`; `degraded` (200) when Redis is configured but unreachable — the instance still serves
   * everything that does not need it, with per-instance rate limits and no cross-instance live events,
   * so a load balancer should keep it; `error` (503) when the database is down.
   * Redis reports mode "single-instance" when not configured.
   */
  @Public()
  @Get()
  @Answers(Health)
  @Answers(Health, { status: 503, description: 'The database is down' })
  async check(@Res({ passthrough: true }) response: FastifyReply) {
    const [database, redis] = await Promise.all([this.database(), this.redis()]);
    const details: Record<string, Check> = { database, redis };
    const status = database.status === 'down' ? 'error' : redis.status === 'down' ? 'degraded' : 'ok';
    if (status === 'error') response.status(503);
    const pick = (state: Check['status']) => Object.fromEntries(Object.entries(details).filter(([, c]) => c.status === state));
    return { status, info: pick('up'), error: pick('down'), details };
  }

  private async database(): Promise<Check> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.dataSource.query('SELECT 1'),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error('timeout')), 3000);
        }),
      ]);
      return { status: 'up' };
    } catch {
      return { status: 'down' };
    } finally {
      clearTimeout(timer);
    }
  }

  private async redis(): Promise<Check> {
    if (this.store.kind === 'memory') return { status: 'up', mode: 'single-instance' };
    return { status: (await this.store.ping()) ? 'up' : 'down', mode: 'shared' };
  }
}
