import { Body, Controller, Get, Header, Headers, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { Type } from '@sinclair/typebox';
import { Answers, AnswersCreated, AnswersFile } from '../http/answers';
import { ClosedAccount } from '../views/privacy.views';
import { Card, CardQr, Me, Notification, NotificationRead } from '../views/accounts.views';
import { FinesAccount, Hold, Loan, LoanHistorySetting, Receipt } from '../views/circulation.views';
import { ApiTags } from '@nestjs/swagger';
import { CloseAccountDto, PatronsService } from '@lib/accounts';
import { AccountClosureService, PersonalDataExportService } from '@lib/privacy';
import { ALL_ROLES, AuthService, CurrentPrincipal, Principal, Roles } from '@lib/auth';
import { CirculationService, FinesService, HoldsService, LoanHistoryDto, PayOwnFinesDto } from '@lib/circulation';
import { InboxQuery, LoansQuery } from '../http/me-queries';
import { NotificationsService } from '@lib/notifications';
import { localeOf } from '../http/locale';
import { UuidParam } from '../http/params';
import { Idempotent } from '../http/idempotency.interceptor';

@ApiTags('me')
@Controller('me')
export class MeController {
  constructor(
    private readonly auth: AuthService,
    private readonly patrons: PatronsService,
    private readonly circulation: CirculationService,
    private readonly holds: HoldsService,
    private readonly fines: FinesService,
    private readonly notifications: NotificationsService,
    private readonly personalData: PersonalDataExportService,
    private readonly closure: AccountClosureService,
  ) {}

  /** Download everything the platform keeps about me (PIPL), unmasked, as one JSON file. */
  @Roles('resident')
  @Header('content-disposition', 'attachment; filename="my-personal-data.json"')
  @Header('cache-control', 'no-store')
  @Get('export')
  @AnswersFile(['application/json'], { description: 'everything kept about the resident, as a JSON attachment' })
  exportMine(@CurrentPrincipal() principal: Principal) {
    return this.personalData.exportOf(principal.id);
  }

  /**
   * Close my account (PIPL), confirming with the password: refused (409 ACCOUNT_HAS_OPEN_ITEMS, listing them)
   * while loans, fines, holds, bookings or registrations are open; else cards end, personal data is erased and
   * every session ends. Usage statistics keep their anonymous counts.
   */
  @Roles('resident')
  @HttpCode(200)
  @Post('close')
  @Answers(ClosedAccount)
  closeMine(@CurrentPrincipal() principal: Principal, @Body() body: CloseAccountDto) {
    return this.closure.close(principal.id, body.password);
  }

  /** The in-app inbox, newest first, in the caller's language. */
  @Roles(...ALL_ROLES)
  @Get('notifications')
  @Answers(Type.Array(Notification))
  inbox(@CurrentPrincipal() principal: Principal, @Query() query: InboxQuery, @Headers('accept-language') language?: string) {
    return this.notifications.inbox(principal.id, localeOf(language), query.unread === true);
  }

  @Roles(...ALL_ROLES)
  @HttpCode(200)
  @Post('notifications/:id/read')
  @Answers(NotificationRead)
  markRead(@CurrentPrincipal() principal: Principal, @UuidParam('id') id: string) {
    return this.notifications.markRead(principal.id, id);
  }

  /** Loans out now; with history=true also returned ones (kept only if the resident opted in). */
  @Roles('resident')
  @Get('loans')
  @Answers(Type.Array(Loan))
  loans(@CurrentPrincipal() principal: Principal, @Query() query: LoansQuery) {
    return this.circulation.loansOf(principal.id, query.history === true);
  }

  @Roles('resident')
  @Get('holds')
  @Answers(Type.Array(Hold))
  myHolds(@CurrentPrincipal() principal: Principal) {
    return this.holds.list({ patronId: principal.id });
  }

  /** My fines, what I owe and my receipts. */
  @Roles('resident')
  @Get('fines')
  @Answers(FinesAccount)
  myFines(@CurrentPrincipal() principal: Principal) {
    return this.fines.account(principal.id);
  }

  /** Pay my fines online (through the configured payment provider); answers the receipt. Send an Idempotency-Key: a retry is never charged twice. */
  @Roles('resident')
  @Idempotent()
  @Post('fines/payments')
  @AnswersCreated(Receipt)
  payMyFines(@CurrentPrincipal() principal: Principal, @Body() body: PayOwnFinesDto) {
    return this.fines.pay({ patronId: principal.id, amount: body.amount, method: 'online', actorId: principal.id, branchId: null });
  }

  /** One of my receipts. */
  @Roles('resident')
  @Get('receipts/:number')
  @Answers(Receipt)
  myReceipt(@CurrentPrincipal() principal: Principal, @Param('number') number: string) {
    return this.fines.receipt(number, principal.id);
  }

  /** Keep my loan history, or forget it (off by default). */
  @Roles('resident')
  @Put('loan-history')
  @Answers(LoanHistorySetting)
  loanHistory(@CurrentPrincipal() principal: Principal, @Body() body: LoanHistoryDto) {
    return this.circulation.setLoanHistory(principal.id, body.keep);
  }

  /** The caller's account; personal data masked. */
  @Roles(...ALL_ROLES)
  @Get()
  @Answers(Me)
  me(@CurrentPrincipal() principal: Principal) {
    return this.auth.me(principal);
  }

  /** A signed token for the card QR code, valid about a minute. */
  @Roles('resident')
  @Get('card/qr')
  @Answers(CardQr)
  cardQr(@CurrentPrincipal() principal: Principal) {
    return this.auth.cardQr(principal);
  }

  /** Every card the resident has had, newest first. */
  @Roles('resident')
  @Get('cards')
  @Answers(Type.Array(Card))
  cards(@CurrentPrincipal() principal: Principal) {
    return this.patrons.cardHistory(principal.id);
  }

  /** Report the card lost and get a new number at once; the old number is refused from now on. */
  @Roles('resident')
  @HttpCode(201)
  @Post('card/reissue')
  @AnswersCreated(Card)
  reissue(@CurrentPrincipal() principal: Principal) {
    return this.patrons.reissueCard(principal.id, 'reported lost by the resident');
  }
}
