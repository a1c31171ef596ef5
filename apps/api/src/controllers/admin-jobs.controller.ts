import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Answers } from '../http/answers';
import { JobsOverview, JobTriggered } from '../views/system.views';
import { Roles } from '@lib/auth';
import { JobRunner } from '@lib/jobs';
import { DomainError } from '@lib/errors';
import { CommonError } from '@lib/errors';

@ApiTags('admin')
@Controller('admin/jobs')
export class AdminJobsController {
  constructor(private readonly jobs: JobRunner) {}

  /** Background jobs: counts by state, schedules, and the last failures (with their reasons). */
  @Roles('admin')
  @Get()
  @Answers(JobsOverview)
  async overview() {
    try {
      return await this.jobs.overview();
    } catch (e) {
      // The queue lives in Redis: while it is away there is nothing to read, which is not a server fault.
      throw CommonError.SERVICE_UNAVAILABLE({ dependency: 'redis', reason: (e as Error).message });
    }
  }

  /** Runs a job now (e.g. `rebuild-usage-rollups`, which is never scheduled): queued for a worker with Redis, else started here. */
  @Roles('admin')
  @HttpCode(202)
  @Post(':name/run')
  @Answers(JobTriggered, { status: 202, description: 'Accepted' })
  async run(@Param('name') name: string) {
    try {
      return await this.jobs.trigger(name);
    } catch (e) {
      if (e instanceof DomainError) throw e;
      throw CommonError.SERVICE_UNAVAILABLE({ dependency: 'redis', reason: (e as Error).message });
    }
  }
}
