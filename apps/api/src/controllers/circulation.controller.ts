import { Body, Controller, Get, HttpCode, Logger, Post, Put, Query, Req } from '@nestjs/common';
import { Type } from '@sinclair/typebox';
import { Answers, AnswersCreated } from '../http/answers';
import { CheckinList, CheckinResult as CheckinResultView, CheckoutResult, HoldsExpired, LoanStatusChange, OfflineConflictList, OfflineConflictSettled, OfflineUpload, Policies, Renewal } from '../views/circulation.views';
import { ApiHeader, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ActingBranch, ActsAtBranch, AuthService, CurrentPrincipal, Principal, Roles } from '@lib/auth';
import {
  BulkCheckinService,
  CheckinDto,
  CheckinManyItem,
  CheckinResult,
  CheckoutDto,
  CirculationService,
  HoldsService,
  OfflineCirculationService,
  OfflineConflictQuery,
  OfflineUploadDto,
  PoliciesDto,
  PoliciesService,
  SettleOfflineConflictDto,
} from '@lib/circulation';
import { Locale } from '@lib/errors';
import { UuidParam } from '../http/params';
import { Idempotent } from '../http/idempotency.interceptor';
import { errorBody, ErrorBody, toDomainError } from '../http/http-error';
import { localeOf } from '../http/locale';

/** One copy of a cart as the desk reads it: its check-in, or its error in the platform's one error shape. */
export type CheckinListItem = ({ ok: true } & CheckinResult) | { ok: false; barcode: string; error: ErrorBody };

@ApiTags('circulation')
@Controller('circulation')
export class CirculationController {
  private readonly logger = new Logger('Circulation');

  constructor(
    private readonly circulation: CirculationService,
    private readonly bulk: BulkCheckinService,
    private readonly holds: HoldsService,
    private readonly policies: PoliciesService,
    private readonly auth: AuthService,
    private readonly offline: OfflineCirculationService,
  ) {}

  /** Lend a copy at this branch to a card (number, or the token of its dynamic QR code). */
  @Roles('librarian', 'kiosk', 'admin')
  @ActsAtBranch('body', 'branchId')
  @Idempotent()
  @Post('checkout')
  @AnswersCreated(CheckoutResult)
  async checkout(@Body() body: CheckoutDto, @ActingBranch() branchId: string) {
    const cardNumber = body.cardToken ? (await this.auth.verifyCardQr(body.cardToken)).card.number : body.cardNumber!;
    return this.circulation.checkout({ cardNumber, barcode: body.barcode, branchId, stopId: body.stopId });
  }

  /**
   * Take a copy back at this branch and say where it goes: shelve, hold shelf, or transit. With
   * `barcodes`, a whole cart: 200 with `{items}` in the order given, each copy's result or its error.
   */
  @Roles('librarian', 'kiosk', 'admin')
  @ActsAtBranch('body', 'branchId')
  @Idempotent()
  @ApiHeader({ name: 'Accept-Language', required: false, description: 'the language of the per-copy error messages of a list (zh-CN unless en)' })
  @HttpCode(200)
  @Post('checkin')
  @Answers(Type.Union([CheckinResultView, CheckinList]), { description: 'one copy: its CheckinResult; a cart (`barcodes`): `{items}`' })
  async checkin(@Body() body: CheckinDto, @ActingBranch() branchId: string, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest) {
    // A self-service screen is read by whoever stands at it: it says where the copy goes, not whose hold it is.
    const forScreen = <T extends CheckinResult>(result: T): T => (principal.role === 'kiosk' ? { ...result, holdFor: undefined } : result);
    if (body.barcodes) {
      const locale = localeOf(request.headers['accept-language']);
      const items = await this.bulk.checkinMany({ barcodes: body.barcodes, branchId, stopId: body.stopId });
      return { items: items.map((item): CheckinListItem => (item.ok ? forScreen(item) : { ok: false, barcode: item.barcode, error: this.errorOf(item.error, locale) })) };
    }
    return forScreen(await this.circulation.checkin({ barcode: body.barcode!, branchId, stopId: body.stopId }));
  }

  /**
   * A desk's offline queue, uploaded on reconnect: applied in the order of each record's `at` (not the
   * list's order), every record in a transaction of its own. Answered `{items}` in that order, each
   * `applied`, `conflict` (kept for a librarian to settle, with its code and message in both languages)
   * or `duplicate` (its clientId was uploaded before: nothing applied again).
   */
  @Roles('librarian', 'admin')
  @ActsAtBranch('body', 'branchId')
  @HttpCode(200)
  @Post('offline')
  @Answers(OfflineUpload)
  async uploadOffline(@Body() body: OfflineUploadDto, @ActingBranch() branchId: string, @CurrentPrincipal() principal: Principal) {
    const records = body.transactions.map((t) => ({ clientId: t.clientId, type: t.type, at: new Date(t.at), cardNumber: t.cardNumber, barcode: t.barcode, stopId: t.stopId }));
    return { items: await this.offline.upload({ branchId, staffId: principal.kind === 'staff' ? principal.id : null, records }) };
  }

  /** Offline records the rules refused at this branch, for a librarian to settle (card numbers masked). */
  @Roles('librarian', 'admin')
  @ActsAtBranch('query', 'branchId')
  @Get('offline/conflicts')
  @Answers(OfflineConflictList)
  async offlineConflicts(@Query() query: OfflineConflictQuery, @ActingBranch() branchId: string) {
    return { items: await this.offline.conflicts(branchId, query.state) };
  }

  /** Mark a conflict settled, saying what was done (lent at the desk, returned, resident contacted …). */
  @Roles('librarian', 'admin')
  @ActsAtBranch('body', 'branchId')
  @HttpCode(200)
  @Post('offline/conflicts/:id/settle')
  @Answers(OfflineConflictSettled)
  settleOfflineConflict(@UuidParam('id') id: string, @Body() body: SettleOfflineConflictDto, @ActingBranch() branchId: string, @CurrentPrincipal() principal: Principal) {
    return this.offline.settle({ id, branchId, staffId: principal.kind === 'staff' ? principal.id : null, note: body.note });
  }

  /** One copy's failure, worded as the error filter would have answered it alone. */
  private errorOf(error: unknown, locale: Locale): ErrorBody {
    const domain = toDomainError(error);
    if (domain) return errorBody(domain, locale);
    // Name, message and stack only, as the error filter logs: a failed query's parameters may hold personal data.
    const err = error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : { value: String(error) };
    this.logger.error({ err }, 'unhandled error checking in one copy of a list');
    return { statusCode: 500, code: 'INTERNAL_ERROR', message: locale === 'en' ? 'Something went wrong on our side' : '服务器内部错误，请稍后再试', details: {} };
  }

  /** Residents renew their own loans; staff renew any. */
  @Roles('resident', 'librarian', 'kiosk', 'admin')
  @HttpCode(200)
  @Post('loans/:id/renew')
  @Answers(Renewal)
  renew(@UuidParam('id') id: string, @CurrentPrincipal() principal: Principal) {
    return this.circulation.renew(id, principal.kind === 'patron' ? { patronId: principal.id } : {});
  }

  @Roles('librarian', 'admin')
  @HttpCode(200)
  @Post('loans/:id/lost')
  @Answers(LoanStatusChange)
  declareLost(@UuidParam('id') id: string) {
    return this.circulation.declareLost(id);
  }

  @Roles('librarian', 'admin')
  @HttpCode(200)
  @Post('loans/:id/claims-returned')
  @Answers(LoanStatusChange)
  claimsReturned(@UuidParam('id') id: string) {
    return this.circulation.claimsReturned(id);
  }

  @Roles('librarian', 'admin')
  @Get('policies')
  @Answers(Policies)
  getPolicies() {
    return this.policies.get();
  }

  /** Replace the whole policy matrix (it must keep the network default rule). */
  @Roles('admin')
  @Put('policies')
  @Answers(Policies)
  putPolicies(@Body() body: PoliciesDto) {
    return this.policies.replace(body);
  }

  /** Expire ready holds past their pickup deadline now (the expire-holds background job also does it every HOUSEKEEPING_INTERVAL_SECONDS). */
  @Roles('admin')
  @HttpCode(200)
  @Post('holds/expire')
  @Answers(HoldsExpired)
  expireHolds() {
    return this.holds.expireOverdue();
  }
}
