import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Roles } from '@lib/auth';
import { JobRunner } from '@lib/jobs';
import { CommonError } from '@lib/errors';

@ApiTags('admin')
@Controller('admin/jobs')
export class AdminJobsController {
  constructor(private readonly jobs: JobRunner) {}

  /** Background jobs: counts by state, schedules, and the last failures (with their reasons). */
  @Roles('admin')
  @Get()
  async overview() {
    try {
      return await this.jobs.overview();
    } catch (e) {
      // The queue lives in Redis: while it is away there is nothing to read, which is not a server fault.
      throw CommonError.SERVICE_UNAVAILABLE({ dependency: 'redis', reason: (e as Error).message });
    }
  }
}
