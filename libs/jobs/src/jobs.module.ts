import { DynamicModule, Inject, Injectable, Logger, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AccountsModule } from '@lib/accounts';
import { AuthModule } from '@lib/auth';
import { BookingModule } from '@lib/booking';
import { CirculationModule } from '@lib/circulation';
import { StatsModule } from '@lib/stats';
import { Env } from '@lib/config';
import { BullJobRunner } from './bullmq-runner';
import { InProcessJobRunner } from './in-process-runner';
import { JobCatalogue } from './job-catalogue';
import { JobRunner } from './job-runner';

export type JobsHost = 'api' | 'worker';
const JOBS_HOST = Symbol('JOBS_HOST');

/**
 * Does this process run the jobs? The worker always does. An API instance does when told
 * (`JOBS_RUN_IN=api`) or, by default, when there is no Redis: then it is the only instance, and
 * `npm start` alone keeps holds expiring without a second command.
 */
export function runsJobs(host: JobsHost, env: Env): boolean {
  if (host === 'worker') return true;
  if (env.JOBS_RUN_IN === 'auto') return !env.REDIS_URL;
  return env.JOBS_RUN_IN === 'api';
}

@Injectable()
class JobsLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Jobs');

  constructor(
    private readonly runner: JobRunner,
    private readonly env: Env,
    @Inject(JOBS_HOST) private readonly host: JobsHost,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (runsJobs(this.host, this.env)) await this.runner.start();
    else this.logger.log('background jobs are left to the worker (npm run start:worker)');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.runner.stop();
  }
}

/** The background jobs, on BullMQ when REDIS_URL is set and on in-process timers otherwise. */
@Module({})
export class JobsModule {
  static forRoot(host: JobsHost): DynamicModule {
    return {
      module: JobsModule,
      imports: [CirculationModule, BookingModule, AuthModule, AccountsModule, StatsModule],
      providers: [
        JobCatalogue,
        { provide: JOBS_HOST, useValue: host },
        {
          provide: JobRunner,
          inject: [JobCatalogue, Env],
          useFactory: (catalogue: JobCatalogue, env: Env): JobRunner =>
            env.REDIS_URL ? new BullJobRunner(catalogue, env.REDIS_URL, `${env.REDIS_PREFIX}bull`) : new InProcessJobRunner(catalogue),
        },
        JobsLifecycle,
      ],
      exports: [JobRunner, JobCatalogue],
    };
  }
}
