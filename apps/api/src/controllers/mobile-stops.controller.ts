import { Body, Controller, Delete, Get, Patch, Post, Query } from '@nestjs/common';
import { Type } from '@sinclair/typebox';
import { Answers, AnswersCreated } from '../http/answers';
import { MobileStop, MobileStopDeleted } from '../views/circulation.views';
import { ApiTags } from '@nestjs/swagger';
import { ActingBranch, ActsAtBranch, Public, Roles } from '@lib/auth';
import { AtBranchDto } from '@lib/circulation';
import { CreateMobileStopDto, MobileStopQuery, MobileStopsService, ScheduleVisitsDto, UpdateMobileStopDto } from '@lib/network';
import { UuidParam } from '../http/params';

/** 流动图书车: the mobile library's stops and their visits; residents read the route, its librarians keep it. */
@ApiTags('network')
@Controller('mobile-stops')
export class MobileStopsController {
  constructor(private readonly stops: MobileStopsService) {}

  /** Stops with their upcoming visits (not yet ended), as the landing page and the pickup choice show them. */
  @Public()
  @Get()
  @Answers(Type.Array(MobileStop))
  list(@Query() query: MobileStopQuery) {
    return this.stops.list(query);
  }

  @Public()
  @Get(':id')
  @Answers(MobileStop)
  get(@UuidParam('id') id: string) {
    return this.stops.get(id);
  }

  @Roles('librarian', 'admin')
  @ActsAtBranch('body', 'branchId')
  @Post()
  @AnswersCreated(MobileStop)
  create(@Body() body: CreateMobileStopDto, @ActingBranch() branchId: string) {
    return this.stops.create(body, branchId);
  }

  @Roles('librarian', 'admin')
  @ActsAtBranch('body', 'branchId')
  @Patch(':id')
  @Answers(MobileStop)
  update(@UuidParam('id') id: string, @Body() body: UpdateMobileStopDto, @ActingBranch() branchId: string) {
    return this.stops.update(id, body, branchId);
  }

  @Roles('librarian', 'admin')
  @ActsAtBranch('query', 'branchId')
  @Delete(':id')
  @Answers(MobileStopDeleted)
  remove(@UuidParam('id') id: string, @Query() _query: AtBranchDto, @ActingBranch() branchId: string) {
    return this.stops.remove(id, branchId);
  }

  /** Visits on some dates at the same times (the branch's zone); all or none. */
  @Roles('librarian', 'admin')
  @ActsAtBranch('body', 'branchId')
  @Post(':id/visits')
  @AnswersCreated(MobileStop)
  schedule(@UuidParam('id') id: string, @Body() body: ScheduleVisitsDto, @ActingBranch() branchId: string) {
    return this.stops.schedule(id, body, branchId);
  }

  @Roles('librarian', 'admin')
  @ActsAtBranch('query', 'branchId')
  @Delete(':id/visits/:visitId')
  @Answers(MobileStop)
  cancelVisit(@UuidParam('id') id: string, @UuidParam('visitId') visitId: string, @Query() _query: AtBranchDto, @ActingBranch() branchId: string) {
    return this.stops.cancelVisit(id, visitId, branchId);
  }
}
