import { Body, Controller, Get, HttpCode, Post, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ActingBranch, ActsAtBranch, AuthService, CurrentPrincipal, Principal, Roles } from '@lib/auth';
import { CheckinDto, CheckoutDto, CirculationService, HoldsService, PoliciesDto, PoliciesService } from '@lib/circulation';
import { UuidParam } from '../http/params';
import { Idempotent } from '../http/idempotency.interceptor';

@ApiTags('circulation')
@Controller('circulation')
export class CirculationController {
  constructor(
    private readonly circulation: CirculationService,
    private readonly holds: HoldsService,
    private readonly policies: PoliciesService,
    private readonly auth: AuthService,
  ) {}

  /** Lend a copy at this branch to a card (number, or the token of its dynamic QR code). */
  @Roles('librarian', 'kiosk', 'admin')
  @ActsAtBranch('body', 'branchId')
  @Idempotent()
  @Post('checkout')
  async checkout(@Body() body: CheckoutDto, @ActingBranch() branchId: string) {
    const cardNumber = body.cardToken ? (await this.auth.verifyCardQr(body.cardToken)).card.number : body.cardNumber!;
    return this.circulation.checkout({ cardNumber, barcode: body.barcode, branchId });
  }

  /** Take a copy back at this branch and say where it goes: shelve, hold shelf, or transit. */
  @Roles('librarian', 'kiosk', 'admin')
  @ActsAtBranch('body', 'branchId')
  @HttpCode(200)
  @Post('checkin')
  async checkin(@Body() body: CheckinDto, @ActingBranch() branchId: string, @CurrentPrincipal() principal: Principal) {
    const result = await this.circulation.checkin({ barcode: body.barcode, branchId });
    // A self-service screen is read by whoever stands at it: it says where the copy goes, not whose hold it is.
    return principal.role === 'kiosk' ? { ...result, holdFor: undefined } : result;
  }

  /** Residents renew their own loans; staff renew any. */
  @Roles('resident', 'librarian', 'kiosk', 'admin')
  @HttpCode(200)
  @Post('loans/:id/renew')
  renew(@UuidParam('id') id: string, @CurrentPrincipal() principal: Principal) {
    return this.circulation.renew(id, principal.kind === 'patron' ? { patronId: principal.id } : {});
  }

  @Roles('librarian', 'admin')
  @HttpCode(200)
  @Post('loans/:id/lost')
  declareLost(@UuidParam('id') id: string) {
    return this.circulation.declareLost(id);
  }

  @Roles('librarian', 'admin')
  @HttpCode(200)
  @Post('loans/:id/claims-returned')
  claimsReturned(@UuidParam('id') id: string) {
    return this.circulation.claimsReturned(id);
  }

  @Roles('librarian', 'admin')
  @Get('policies')
  getPolicies() {
    return this.policies.get();
  }

  /** Replace the whole policy matrix (it must keep the network default rule). */
  @Roles('admin')
  @Put('policies')
  putPolicies(@Body() body: PoliciesDto) {
    return this.policies.replace(body);
  }

  /** Expire ready holds past their pickup deadline now (the expire-holds background job also does it every HOUSEKEEPING_INTERVAL_SECONDS). */
  @Roles('admin')
  @HttpCode(200)
  @Post('holds/expire')
  expireHolds() {
    return this.holds.expireOverdue();
  }
}
