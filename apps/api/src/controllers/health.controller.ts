import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Public } from '@lib/auth';
import { SharedStore } from '@lib/redis';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    @Inject(SharedStore) private readonly store: SharedStore,
  ) {}

  /** Database and Redis; 503 when either is down. Redis reports "single-instance" when not configured. */
  @Public()
  @Get()
  @HealthCheck()
  check() {
    return this.health.check([
      () => this.db.pingCheck('database', { timeout: 3000 }),
      async () => {
        const indicator = this.indicators.check('redis');
        if (this.store.kind === 'memory') return indicator.up({ mode: 'single-instance' });
        return (await this.store.ping()) ? indicator.up({ mode: 'shared' }) : indicator.down({ mode: 'shared' });
      },
    ]);
  }
}
