import { Body, Controller, Get, Header, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Env } from '@lib/config';
import { ApiTags } from '@nestjs/swagger';
import { AuthService, CurrentPrincipal, Principal, Public, Roles, TokenService } from '@lib/auth';
import { ActivitiesService, ActivityError, ActivityQuery, AttendanceCheckinDto, CreateActivityDto, RegisterDto, renderCalendar } from '@lib/booking';
import { Type } from '@sinclair/typebox';
import { Answers, AnswersCreated, AnswersFile } from '../http/answers';
import { UuidParam } from '../http/params';
import { ActivityCreated, Activity, ActivityPage, AttendanceCheckin, CalendarUrl, Registration, RegistrationCancelled, RegistrationMade, RegistrationQr, RegistrationResult } from '../views/booking.views';
import { Idempotent } from '../http/idempotency.interceptor';
import { RateLimit } from '../http/rate-limit';

@ApiTags('booking')
@Controller()
export class ActivitiesController {
  constructor(
    private readonly activities: ActivitiesService,
    private readonly tokens: TokenService,
    private readonly auth: AuthService,
    private readonly env: Env,
  ) {}

  /** The address of the resident's private calendar feed (bookings and registrations), for any calendar app. */
  @Roles('resident')
  @Get('me/calendar-url')
  @Answers(CalendarUrl)
  calendarUrl(@CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest) {
    const token = this.tokens.signFor('calendar', principal.id, new Date(Date.now() + 5 * 365 * 86_400_000));
    return { url: `${request.protocol}://${request.headers.host}/api/calendar/${token}.ics` };
  }

  /** The private feed itself: whoever holds the address may read it, as with any calendar subscription. */
  @Public()
  @Get('calendar/:file')
  @Header('Content-Type', 'text/calendar; charset=utf-8')
  @AnswersFile(['text/calendar'])
  async feed(@Param('file') file: string) {
    const patronId = this.tokens.subjectFor('calendar', file.replace(/\.ics$/, ''));
    if (!patronId) throw ActivityError.CALENDAR_TOKEN_INVALID();
    return renderCalendar('我的预约与报名', await this.activities.feedEventsOf(patronId), this.env.TIME_ZONE);
  }

  @Public()
  @Get('activities/:id/calendar.ics')
  @Header('Content-Type', 'text/calendar; charset=utf-8')
  @AnswersFile(['text/calendar'])
  async activityCalendar(@UuidParam('id') id: string) {
    const { title, events } = await this.activities.activityFeed(id);
    return renderCalendar(title, events, this.env.TIME_ZONE);
  }

  /** The registration's check-in code (a signed token, valid until the session ends). */
  @Roles('resident')
  @Get('registrations/:id/qr')
  @Answers(RegistrationQr)
  async qr(@UuidParam('id') id: string, @CurrentPrincipal() principal: Principal) {
    const registration = await this.activities.registrationOf(id, principal.id);
    return { token: this.tokens.signFor('registration', registration.id, registration.endsAt), expiresAt: registration.endsAt };
  }

  /** Staff scan a registration's code or the resident's dynamic card code; attendance is recorded. */
  @Roles('librarian', 'operator', 'admin')
  @HttpCode(200)
  @Post('checkins')
  @Answers(AttendanceCheckin)
  async checkIn(@Body() body: AttendanceCheckinDto, @CurrentPrincipal() principal: Principal) {
    const registrationId = this.tokens.subjectFor('registration', body.token);
    if (registrationId) return this.activities.checkIn({ registrationId }, principal);
    const card = await this.auth.verifyCardQr(body.token).catch(() => {
      throw ActivityError.CHECKIN_TOKEN_INVALID({ field: 'token' });
    });
    return this.activities.checkIn({ patronId: card.patron.id, sessionId: body.sessionId }, principal);
  }

  /** Activities with their sessions: capacity, confirmed, waitlisted and seats left. */
  @Public()
  @Get('activities')
  @Answers(ActivityPage)
  list(@Query() query: ActivityQuery) {
    return this.activities.list(query);
  }

  @Public()
  @Get('activities/:id')
  @Answers(Activity)
  get(@UuidParam('id') id: string) {
    return this.activities.get(id);
  }

  @Roles('librarian', 'operator', 'admin')
  @Post('activities')
  @AnswersCreated(ActivityCreated)
  create(@Body() body: CreateActivityDto, @CurrentPrincipal() principal: Principal) {
    return this.activities.create(body, principal);
  }

  /**
   * A resident registers (confirmed while seats remain, else waitlisted with a position); staff at the
   * desk register a card into a kept seat first. A series registration covers every session.
   */
  @Roles('resident', 'librarian', 'admin')
  @Idempotent()
  @RateLimit('booking')
  @Post('activities/:id/registrations')
  @AnswersCreated(RegistrationMade)
  async register(@UuidParam('id') id: string, @Body() body: RegisterDto, @CurrentPrincipal() principal: Principal) {
    const results = await this.activities.register(id, principal, body);
    return { ...results[0], ...(results.length > 1 ? { registrations: results } : {}) };
  }

  @Roles('resident', 'librarian', 'admin')
  @HttpCode(200)
  @Post('registrations/:id/cancel')
  @Answers(RegistrationCancelled)
  cancel(@UuidParam('id') id: string, @CurrentPrincipal() principal: Principal) {
    return this.activities.cancel(id, principal);
  }

  /** Staff approve a pending registration (activities in approval mode): it takes a seat or joins the waiting list. */
  @Roles('librarian', 'operator', 'admin')
  @HttpCode(200)
  @Post('registrations/:id/approve')
  @Answers(RegistrationResult)
  approve(@UuidParam('id') id: string, @CurrentPrincipal() principal: Principal) {
    return this.activities.decide(id, principal, true);
  }

  @Roles('librarian', 'operator', 'admin')
  @HttpCode(200)
  @Post('registrations/:id/reject')
  @Answers(RegistrationResult)
  reject(@UuidParam('id') id: string, @CurrentPrincipal() principal: Principal) {
    return this.activities.decide(id, principal, false);
  }

  @Roles('resident')
  @Get('me/registrations')
  @Answers(Type.Array(Registration))
  mine(@CurrentPrincipal() principal: Principal) {
    return this.activities.mine(principal.id);
  }
}
