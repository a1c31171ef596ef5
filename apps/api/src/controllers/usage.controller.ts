import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ActsAtBranch, Roles } from '@lib/auth';
import { StatsService, UsageQuery, VisitCountDto } from '@lib/stats';
import { Idempotent } from '../http/idempotency.interceptor';

/** Usage statistics: door-counter visits in, daily or monthly series out. No personal data either way. */
@ApiTags('indicators')
@Controller()
export class UsageController {
  constructor(private readonly stats: StatsService) {}

  /** A door counter (a device account bound to its branch) reports how many came in during an interval, once. */
  @Roles('device', 'admin')
  @ActsAtBranch('body', 'branchId')
  @Idempotent()
  @Post('usage/visits')
  visits(@Body() body: VisitCountDto) {
    return this.stats.recordVisits(body);
  }

  @Roles('admin', 'librarian', 'operator')
  @Get('stats/usage')
  usage(@Query() query: UsageQuery) {
    return this.stats.usage(query);
  }
}
