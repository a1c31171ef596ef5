import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@lib/auth';
import {
  CreateServiceOrderDto,
  DeliverOrderDto,
  OptionalNoteDto,
  RatingDto,
  ReasonDto,
  ScheduleOrderDto,
  ServiceOrderQuery,
  ServiceOrdersService,
} from '@lib/services';
import { Answers, AnswersCreated } from '../http/answers';
import { ServiceOrder, ServiceOrderPage, ServiceRating } from '../views/services.views';
import { UuidParam } from '../http/params';
import { Idempotent } from '../http/idempotency.interceptor';

/**
 * 点单: organizers (or librarians for their branch's community) order; the item's operator accepts or
 * declines, schedules, records the delivery; the orderer evaluates. Illegal moves are 409 naming the state.
 */
@ApiTags('services')
@Controller('service-orders')
export class ServiceOrdersController {
  constructor(private readonly orders: ServiceOrdersService) {}

  @Roles('organizer', 'librarian', 'admin')
  @Idempotent()
  @Post()
  @AnswersCreated(ServiceOrder)
  place(@Body() body: CreateServiceOrderDto, @CurrentPrincipal() principal: Principal) {
    return this.orders.place(body, principal);
  }

  @Roles('operator', 'organizer', 'librarian', 'admin')
  @Get()
  @Answers(ServiceOrderPage)
  list(@Query() query: ServiceOrderQuery, @CurrentPrincipal() principal: Principal) {
    return this.orders.list(query, principal);
  }

  /** The order with its history: every state change, who made it, when and why. */
  @Roles('operator', 'organizer', 'librarian', 'admin')
  @Get(':id')
  @Answers(ServiceOrder)
  get(@UuidParam('id') id: string, @CurrentPrincipal() principal: Principal) {
    return this.orders.get(id, principal);
  }

  @Roles('operator', 'admin')
  @HttpCode(200)
  @Post(':id/accept')
  @Answers(ServiceOrder)
  accept(@UuidParam('id') id: string, @Body() body: OptionalNoteDto, @CurrentPrincipal() principal: Principal) {
    return this.orders.act(id, { action: 'accept', note: body.note }, principal);
  }

  @Roles('operator', 'admin')
  @HttpCode(200)
  @Post(':id/decline')
  @Answers(ServiceOrder)
  decline(@UuidParam('id') id: string, @Body() body: ReasonDto, @CurrentPrincipal() principal: Principal) {
    return this.orders.act(id, { action: 'decline', reason: body.reason }, principal);
  }

  /** Date, time and place (again to reschedule, with the reason registrants are told); a public activity is created (for shows, lectures, exhibitions, films, trainings, reading events) and the venue booked. */
  @Roles('operator', 'admin')
  @HttpCode(200)
  @Post(':id/schedule')
  @Answers(ServiceOrder)
  schedule(@UuidParam('id') id: string, @Body() body: ScheduleOrderDto, @CurrentPrincipal() principal: Principal) {
    return this.orders.act(id, { action: 'schedule', input: body }, principal);
  }

  /** Attendance, notes, photo URLs, and optionally the residents served by card number (they may then rate it once each). */
  @Roles('operator', 'admin')
  @HttpCode(200)
  @Post(':id/deliver')
  @Answers(ServiceOrder)
  deliver(@UuidParam('id') id: string, @Body() body: DeliverOrderDto, @CurrentPrincipal() principal: Principal) {
    return this.orders.act(id, { action: 'deliver', input: body }, principal);
  }

  /**
   * 送达确认: the community organizer (or the orderer, or an admin) confirms a delivered service came,
   * once. The order stays delivered and shows confirmedAt/confirmedBy; the operator and the orderer are told unless they confirmed it.
   */
  @Roles('organizer', 'librarian', 'admin')
  @HttpCode(200)
  @Post(':id/confirm')
  @Answers(ServiceOrder)
  confirm(@UuidParam('id') id: string, @Body() body: OptionalNoteDto, @CurrentPrincipal() principal: Principal) {
    return this.orders.confirmDelivery(id, body.note, principal);
  }

  /** The orderer's (or the community organizer's) rating, 1-5 with a comment; it confirms the delivery too if no one has. */
  @Roles('organizer', 'librarian', 'admin')
  @HttpCode(200)
  @Post(':id/evaluate')
  @Answers(ServiceOrder)
  evaluate(@UuidParam('id') id: string, @Body() body: RatingDto, @CurrentPrincipal() principal: Principal) {
    return this.orders.act(id, { action: 'evaluate', input: body }, principal);
  }

  @Roles('operator', 'organizer', 'librarian', 'admin')
  @HttpCode(200)
  @Post(':id/cancel')
  @Answers(ServiceOrder)
  cancel(@UuidParam('id') id: string, @Body() body: ReasonDto, @CurrentPrincipal() principal: Principal) {
    return this.orders.act(id, { action: 'cancel', reason: body.reason }, principal);
  }

  /** A resident who attended (checked in) or was named as served rates the delivered service, once. */
  @Roles('resident')
  @Post(':id/ratings')
  @AnswersCreated(ServiceRating)
  rate(@UuidParam('id') id: string, @Body() body: RatingDto, @CurrentPrincipal() principal: Principal) {
    return this.orders.rateAsResident(id, principal.id, body);
  }
}
