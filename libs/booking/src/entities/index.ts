import { Venue } from './venue.entity';
import { VenueBooking } from './venue-booking.entity';
import { Activity, ActivitySession, Registration, SessionSeat } from './activity.entity';

export * from './venue.entity';
export * from './venue-booking.entity';
export * from './activity.entity';
export const BOOKING_ENTITIES = [Venue, VenueBooking, Activity, ActivitySession, Registration, SessionSeat];
