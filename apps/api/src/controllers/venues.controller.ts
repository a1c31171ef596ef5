import { Body, Controller, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ActingBranch, ActsAtBranch, CurrentPrincipal, Principal, Public, Roles } from '@lib/auth';
import { AvailabilityQuery, BlockDto, BookingsService, BranchBookingsQuery, CreateBookingDto, CreateVenueDto, DecisionDto, UpdateVenueDto, VenueQuery, VenuesService } from '@lib/booking';
import { Type } from '@sinclair/typebox';
import { Answers, AnswersCreated } from '../http/answers';
import { UuidParam } from '../http/params';
import { Availability, BookingCreated, BookingStatus, FreeToday, NoShowsWaived, Venue, VenueBooking } from '../views/booking.views';
import { Idempotent } from '../http/idempotency.interceptor';
import { RateLimit } from '../http/rate-limit';

@ApiTags('booking')
@Controller()
export class VenuesController {
  constructor(
    private readonly venues: VenuesService,
    private readonly bookings: BookingsService,
  ) {}

  @Public()
  @Get('venues')
  @Answers(Type.Array(Venue))
  list(@Query() query: VenueQuery) {
    return this.venues.list(query);
  }

  /**
   * Venues that can still be booked today (each on its branch's day, in the branch's time zone), with the
   * spans left: one request for a "free today" list instead of an availability request per venue.
   * Declared before `venues/:id` so the path is not read as an id.
   */
  @Public()
  @Get('venues/free-today')
  @Answers(FreeToday)
  freeToday(@Query() query: VenueQuery) {
    return this.venues.freeToday(query);
  }

  @Roles('admin', 'librarian')
  @ActsAtBranch('body', 'branchId')
  @Post('venues')
  @AnswersCreated(Venue)
  create(@Body() body: CreateVenueDto) {
    return this.venues.create(body);
  }

  @Public()
  @Get('venues/:id')
  @Answers(Venue)
  get(@UuidParam('id') id: string) {
    return this.venues.get(id);
  }

  @Roles('admin')
  @Patch('venues/:id')
  @Answers(Venue)
  update(@UuidParam('id') id: string, @Body() body: UpdateVenueDto) {
    return this.venues.update(id, body);
  }

  /** Open, taken and free spans per day (local time), respecting the calendar and blocks. */
  @Public()
  @Get('venues/:id/availability')
  @Answers(Availability)
  availability(@UuidParam('id') id: string, @Query() query: AvailabilityQuery) {
    return this.venues.availability(id, query);
  }

  /**
   * A resident books a span, or an organizer or operator books for their community or organisation
   * (when the venue takes organisations); pending when the venue needs approval, else confirmed.
   */
  @Roles('resident', 'organizer', 'operator')
  @Idempotent()
  @RateLimit('booking')
  @Post('venues/:id/bookings')
  @AnswersCreated(BookingCreated)
  book(@UuidParam('id') id: string, @Body() body: CreateBookingDto, @CurrentPrincipal() principal: Principal) {
    return this.bookings.book(id, principal, body).then(({ id: bookingId, status, startsAt, endsAt }) => ({ id: bookingId, status, startsAt, endsAt }));
  }

  /** Staff block time for maintenance; `override` cancels bookings in the way and tells their residents. */
  @Roles('admin', 'librarian')
  @Post('venues/:id/blocks')
  @AnswersCreated(VenueBooking)
  block(@UuidParam('id') id: string, @Body() body: BlockDto, @CurrentPrincipal() principal: Principal) {
    return this.bookings.block(id, principal, body);
  }

  @Roles('admin', 'librarian')
  @HttpCode(200)
  @Post('bookings/:id/approve')
  @Answers(VenueBooking)
  approve(@UuidParam('id') id: string, @CurrentPrincipal() principal: Principal) {
    return this.bookings.approve(id, principal);
  }

  @Roles('admin', 'librarian')
  @HttpCode(200)
  @Post('bookings/:id/reject')
  @Answers(VenueBooking)
  reject(@UuidParam('id') id: string, @Body() body: DecisionDto, @CurrentPrincipal() principal: Principal) {
    return this.bookings.reject(id, principal, body.reason);
  }

  @Roles('resident', 'organizer', 'operator', 'admin', 'librarian')
  @HttpCode(200)
  @Post('bookings/:id/cancel')
  @Answers(VenueBooking)
  cancel(@UuidParam('id') id: string, @CurrentPrincipal() principal: Principal) {
    return this.bookings.cancel(id, principal);
  }

  @Roles('admin', 'librarian')
  @HttpCode(200)
  @Post('bookings/:id/checkin')
  @Answers(VenueBooking)
  checkIn(@UuidParam('id') id: string, @CurrentPrincipal() principal: Principal) {
    return this.bookings.checkIn(id, principal);
  }

  /** My recent no-shows and whether they bar me from booking, and until when. */
  @Roles('resident')
  @Get('me/booking-status')
  @Answers(BookingStatus)
  bookingStatus(@CurrentPrincipal() principal: Principal) {
    return this.bookings.noShowStatus(principal.id);
  }

  /** Staff forgive a resident's no-shows; the ban lifts. */
  @Roles('librarian', 'admin')
  @HttpCode(200)
  @Post('patrons/:id/no-shows/waive')
  @Answers(NoShowsWaived)
  waive(@UuidParam('id') id: string) {
    return this.bookings.waiveNoShows(id);
  }

  /** The desk's list of a branch's bookings not yet over: by default those waiting for approval. */
  @Roles('admin', 'librarian')
  @ActsAtBranch('query', 'branchId')
  @Get('bookings')
  @Answers(Type.Array(VenueBooking))
  atBranch(@Query() query: BranchBookingsQuery, @ActingBranch() branchId: string) {
    return this.bookings.atBranch(branchId, query.status);
  }

  @Roles('resident', 'organizer', 'operator')
  @Get('me/bookings')
  @Answers(Type.Array(VenueBooking))
  mine(@CurrentPrincipal() principal: Principal) {
    return this.bookings.mine(principal);
  }
}
