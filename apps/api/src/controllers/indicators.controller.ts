import { Body, Controller, Get, Headers, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, Principal, Roles } from '@lib/auth';
import {
  CreatePlanDto,
  IndicatorDetailQuery,
  IndicatorExportQuery,
  IndicatorExportService,
  IndicatorReportQuery,
  IndicatorsService,
  ManualValueDto,
} from '@lib/indicators';
import { Type } from '@sinclair/typebox';
import { Answers, AnswersCreated, AnswersFile } from '../http/answers';
import { IndicatorDetail, IndicatorManualValue, IndicatorPlan, IndicatorReport } from '../views/indicators.views';
import { localeOf } from '../http/locale';

/** 示范区指标: each indicator against the plan's target for a year and a region, with the compliance rate. */
@ApiTags('indicators')
@Controller()
export class IndicatorsController {
  constructor(
    private readonly indicators: IndicatorsService,
    private readonly exporter: IndicatorExportService,
  ) {}

  @Roles('admin')
  @Get('indicators')
  @Answers(IndicatorReport)
  report(@Query() query: IndicatorReportQuery, @Headers('accept-language') language?: string) {
    return this.indicators.report(query, localeOf(language));
  }

  /** The report as a spreadsheet: `format=csv` (UTF-8 with BOM) or `format=xlsx`. */
  @Roles('admin')
  @Get('indicators/export')
  @AnswersFile(['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'])
  async export(@Query() query: IndicatorExportQuery, @Res() res: FastifyReply, @Headers('accept-language') language?: string) {
    const file = await this.exporter.export(query, query.format, localeOf(language));
    return res.headers({ 'Content-Type': file.contentType, 'Content-Disposition': `attachment; filename="${file.filename}"` }).send(file.body);
  }

  /** One indicator with its trend, and a breakdown by branch, sub-region or month. */
  @Roles('admin')
  @Get('indicators/:code')
  @Answers(IndicatorDetail)
  detail(@Param('code') code: string, @Query() query: IndicatorDetailQuery, @Headers('accept-language') language?: string) {
    return this.indicators.detail(code, query, localeOf(language));
  }

  /** A figure entered by hand (or a correction of a computed one), with its source; earlier entries are kept. */
  @Roles('admin')
  @Put('indicators/:code/manual')
  @Answers(IndicatorManualValue)
  manual(@Param('code') code: string, @Body() body: ManualValueDto, @CurrentPrincipal() principal: Principal) {
    return this.indicators.enterManual(code, body, principal.id);
  }

  @Roles('admin')
  @Get('indicator-plans')
  @Answers(Type.Array(IndicatorPlan))
  plans() {
    return this.indicators.listPlans();
  }

  @Roles('admin')
  @Post('indicator-plans')
  @AnswersCreated(IndicatorPlan)
  createPlan(@Body() body: CreatePlanDto) {
    return this.indicators.createPlan(body);
  }
}
