import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ActsAtBranch, Roles } from '@lib/auth';
import { CountReportDto, DigitalAccessDto, StatsService, UsageQuery } from '@lib/stats';
import { Answers, AnswersCreated } from '../http/answers';
import { CountReport, UsageSeries } from '../views/indicators.views';
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
  @AnswersCreated(CountReport)
  visits(@Body() body: CountReportDto) {
    return this.stats.recordVisits(body);
  }

  /** The digital resource platform (a device account) reports accesses by a branch's readers over an interval. */
  @Roles('device', 'admin')
  @ActsAtBranch('body', 'branchId')
  @Idempotent()
  @Post('usage/digital-access')
  @AnswersCreated(CountReport)
  digitalAccess(@Body() body: DigitalAccessDto) {
    return this.stats.recordDigitalAccess(body);
  }

  @Roles('admin', 'librarian', 'operator')
  @Get('stats/usage')
  @Answers(UsageSeries)
  usage(@Query() query: UsageQuery) {
    return this.stats.usage(query);
  }
}
