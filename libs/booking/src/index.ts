export * from './entities';
export * from './dto/venue.dto';
export { BookingError } from './booking.errors';
export { BookingModule } from './booking.module';
export { VenuesService } from './services/venues.service';
export { BookingsService } from './services/bookings.service';
export type { Actor } from './services/bookings.service';
export { bookingWindowProblem, freeSpans } from './rules/booking-window';
export { bookingBanUntil, DEFAULT_NO_SHOW_RULE } from './rules/no-show';
