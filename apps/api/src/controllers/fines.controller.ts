import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { Answers, AnswersCreated } from '../http/answers';
import { Fine, FinesAccount, Receipt } from '../views/circulation.views';
import { ApiTags } from '@nestjs/swagger';
import { ActingBranch, ActsAtBranch, CurrentPrincipal, Principal, Roles } from '@lib/auth';
import { PatronsService, type StaffAccess } from '@lib/accounts';
import { StaffAccessOf } from '../http/staff-access';
import { FinesQuery, FinesService, PayFinesDto, WaiveFineDto } from '@lib/circulation';
import { Idempotent } from '../http/idempotency.interceptor';
import { UuidParam } from '../http/params';

/** The desk's fines: a resident's account by card, cash payments, waivers and receipts. */
@ApiTags('fines')
@Controller('circulation')
export class FinesController {
  constructor(
    private readonly fines: FinesService,
    private readonly patrons: PatronsService,
  ) {}

  /** A resident's fines, what they owe and their receipts, by the card scanned at the desk. */
  @Roles('librarian', 'admin')
  @Get('fines')
  @Answers(FinesAccount)
  account(@Query() query: FinesQuery, @StaffAccessOf() access?: StaffAccess) {
    return this.fines.accountByCard(query.cardNumber, access);
  }

  /** Cash at the desk: applied to the oldest fines first; more than is owed is refused (400 naming amount). Answers the receipt. */
  @Roles('librarian', 'admin')
  @ActsAtBranch('body', 'branchId')
  @Idempotent()
  @Post('fines/payments')
  @AnswersCreated(Receipt)
  async pay(@Body() body: PayFinesDto, @ActingBranch() branchId: string, @CurrentPrincipal() principal: Principal) {
    const { patronId } = await this.patrons.borrowerByCard(body.cardNumber);
    return this.fines.pay({ patronId, amount: body.amount, method: 'cash', actorId: principal.id, branchId });
  }

  /** Forgive all or part of one fine, with the reason. */
  @Roles('librarian', 'admin')
  @ActsAtBranch('body', 'branchId')
  @Idempotent()
  @Post('fines/:id/waive')
  @AnswersCreated(Fine)
  waive(@UuidParam('id') id: string, @Body() body: WaiveFineDto, @ActingBranch() branchId: string, @CurrentPrincipal() principal: Principal) {
    return this.fines.waive({ fineId: id, amount: body.amount, reason: body.reason.trim(), actorId: principal.id, branchId });
  }

  /** One receipt, to print. */
  @Roles('librarian', 'admin')
  @Get('receipts/:number')
  @Answers(Receipt)
  receipt(@Param('number') number: string) {
    return this.fines.receipt(number);
  }
}
