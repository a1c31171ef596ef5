import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { Answers, AnswersCreated, AnswersNothing } from '../http/answers';
import { UuidParam } from '../http/params';
import { Branch, BranchPage, CalendarException, OpenAt, WeekHours } from '../views/network.views';
import { Type } from '@sinclair/typebox';
import { ApiTags } from '@nestjs/swagger';
import { ActsAtBranch, Public, Roles } from '@lib/auth';
import {
  BranchesService,
  BranchQuery,
  CalendarExceptionDto,
  CreateBranchDto,
  DateRangeQuery,
  OpenAtQuery,
  UpdateBranchDto,
  WeekQuery,
} from '@lib/network';

@ApiTags('network')
@Controller('branches')
export class BranchesController {
  constructor(private readonly branches: BranchesService) {}

  @Public()
  @Get()
  @Answers(BranchPage)
  list(@Query() query: BranchQuery) {
    return this.branches.list(query);
  }

  @Public()
  @Get(':id')
  @Answers(Branch)
  get(@UuidParam('id') id: string) {
    return this.branches.get(id);
  }

  @Roles('admin')
  @Post()
  @AnswersCreated(Branch)
  create(@Body() body: CreateBranchDto) {
    return this.branches.create(body);
  }

  @Roles('admin')
  @Patch(':id')
  @Answers(Branch)
  update(@UuidParam('id') id: string, @Body() body: UpdateBranchDto) {
    return this.branches.update(id, body);
  }

  /** Opening hours day by day for an ISO week, with the total. */
  @Public()
  @Get(':id/hours')
  @Answers(WeekHours)
  hours(@UuidParam('id') id: string, @Query() query: WeekQuery) {
    return this.branches.hoursInWeek(id, query.week);
  }

  /** Is the branch open at this instant (default: now)? */
  @Public()
  @Get(':id/open')
  @Answers(OpenAt)
  open(@UuidParam('id') id: string, @Query() query: OpenAtQuery) {
    return this.branches.isOpenAt(id, query.at);
  }

  @Public()
  @Get(':id/calendar/exceptions')
  @Answers(Type.Array(CalendarException))
  exceptions(@UuidParam('id') id: string, @Query() query: DateRangeQuery) {
    return this.branches.listExceptions(id, query.from, query.to);
  }

  /** Close the branch for a day, or give it special hours. Librarians for their own branches. */
  @Roles('admin', 'librarian')
  @ActsAtBranch('params', 'id')
  @Put(':id/calendar/exceptions/:date')
  @Answers(CalendarException)
  setException(@UuidParam('id') id: string, @Param('date') date: string, @Body() body: CalendarExceptionDto) {
    return this.branches.setException(id, date, body);
  }

  @Roles('admin', 'librarian')
  @ActsAtBranch('params', 'id')
  @HttpCode(204)
  @Delete(':id/calendar/exceptions/:date')
  @AnswersNothing()
  removeException(@UuidParam('id') id: string, @Param('date') date: string) {
    return this.branches.removeException(id, date);
  }
}
