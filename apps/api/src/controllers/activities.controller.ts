import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Public, Roles } from '@lib/auth';
import { ActivitiesService, ActivityQuery, CreateActivityDto, RegisterDto } from '@lib/booking';
import { UuidParam } from '../http/params';
import { Idempotent } from '../http/idempotency.interceptor';

@ApiTags('booking')
@Controller()
export class ActivitiesController {
  constructor(private readonly activities: ActivitiesService) {}

  /** Activities with their sessions: capacity, confirmed, waitlisted and seats left. */
  @Public()
  @Get('activities')
  list(@Query() query: ActivityQuery) {
    return this.activities.list(query);
  }

  @Public()
  @Get('activities/:id')
  get(@UuidParam('id') id: string) {
    return this.activities.get(id);
  }

  @Roles('librarian', 'operator', 'admin')
  @Post('activities')
  create(@Body() body: CreateActivityDto, @CurrentPrincipal() principal: Principal) {
    return this.activities.create(body, principal);
  }

  /**
   * A resident registers (confirmed while seats remain, else waitlisted with a position); staff at the
   * desk register a card into a kept seat first. A series registration covers every session.
   */
  @Roles('resident', 'librarian', 'admin')
  @Idempotent()
  @Post('activities/:id/registrations')
  async register(@UuidParam('id') id: string, @Body() body: RegisterDto, @CurrentPrincipal() principal: Principal) {
    const results = await this.activities.register(id, principal, body);
    return { ...results[0], ...(results.length > 1 ? { registrations: results } : {}) };
  }

  @Roles('resident', 'librarian', 'admin')
  @HttpCode(200)
  @Post('registrations/:id/cancel')
  cancel(@UuidParam('id') id: string, @CurrentPrincipal() principal: Principal) {
    return this.activities.cancel(id, principal);
  }

  @Roles('resident')
  @Get('me/registrations')
  mine(@CurrentPrincipal() principal: Principal) {
    return this.activities.mine(principal.id);
  }
}
