import { Body, Controller, Delete, Get, Post, Query } from '@nestjs/common';
import { Type } from '@sinclair/typebox';
import { Answers, AnswersCreated } from '../http/answers';
import { Hold, HoldShelfEntry, PullListEntry, Transit, TransitReceived } from '../views/circulation.views';
import { ApiTags } from '@nestjs/swagger';
import { ActingBranch, ActsAtBranch, CurrentPrincipal, Principal, Roles } from '@lib/auth';
import { AtBranchDto, HoldShelfQuery, HoldsService, PlaceHoldDto, TransitQuery, TransitsService } from '@lib/circulation';
import { UuidParam } from '../http/params';
import { Idempotent } from '../http/idempotency.interceptor';
import { RateLimit } from '../http/rate-limit';

@ApiTags('circulation')
@Controller()
export class HoldsController {
  constructor(
    private readonly holds: HoldsService,
    private readonly transits: TransitsService,
  ) {}

  /** A resident asks for a title (any copy) or one copy, to pick up at a branch of their choice. */
  @Roles('resident')
  @Idempotent()
  @RateLimit('booking')
  @Post('holds')
  @AnswersCreated(Hold)
  place(@Body() body: PlaceHoldDto, @CurrentPrincipal() principal: Principal) {
    return this.holds.place(principal.id, body);
  }

  @Roles('resident', 'librarian', 'admin')
  @Delete('holds/:id')
  @Answers(Hold)
  cancel(@UuidParam('id') id: string, @CurrentPrincipal() principal: Principal) {
    return this.holds.cancel(id, principal.kind === 'patron' ? { patronId: principal.id } : {});
  }

  /** The hold shelf: copies ready for pickup at a branch (or one stop of the mobile library), with whose they are. */
  @Roles('librarian', 'admin')
  @ActsAtBranch('query', 'branchId')
  @Get('holds/shelf')
  @Answers(Type.Array(HoldShelfEntry))
  shelf(@Query() query: HoldShelfQuery, @ActingBranch() branchId: string) {
    return this.holds.shelf(branchId, query.stopId);
  }

  /** 取书单: copies on this branch's shelves that holds have set aside, oldest hold first; a copy leaves it when checked in. */
  @Roles('librarian', 'admin')
  @ActsAtBranch('query', 'branchId')
  @Get('holds/pull-list')
  @Answers(Type.Array(PullListEntry))
  pullList(@Query() _query: AtBranchDto, @ActingBranch() branchId: string) {
    return this.holds.pullList(branchId);
  }

  /** Items on their way into or out of a branch. */
  @Roles('librarian', 'admin')
  @ActsAtBranch('query', 'branchId')
  @Get('transits')
  @Answers(Type.Array(Transit))
  listTransits(@Query() query: TransitQuery, @ActingBranch() branchId: string) {
    return this.transits.list(branchId, query.direction);
  }

  /** The destination branch receives a copy in transit. */
  @Roles('librarian', 'admin')
  @ActsAtBranch('body', 'branchId')
  @Post('transits/:id/receive')
  @AnswersCreated(TransitReceived)
  receive(@UuidParam('id') id: string, @Body() _body: AtBranchDto, @ActingBranch() branchId: string) {
    return this.transits.receive(id, branchId);
  }
}
