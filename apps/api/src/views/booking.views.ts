import { Type } from '@sinclair/typebox';
import { Day, Nullable, OneOf, Page, Shape, Timestamp, Uuid, View } from '../http/answers';

const VENUE_KINDS = ['room', 'hall', 'court', 'e_reading_room', 'outdoor_square'] as const;
const BOOKING_STATUSES = ['pending', 'confirmed', 'checked_in', 'completed', 'cancelled', 'rejected', 'no_show'] as const;
/** Local "HH:mm" to "HH:mm" of one day. */
const LocalSpan = Shape({ from: Type.String(), to: Type.String() });
const OpeningInterval = Shape({ opens: Type.String(), closes: Type.String() });

export const Venue = View(
  'Venue',
  Shape({
    id: Uuid(),
    branchId: Uuid(),
    name: Type.String(),
    kind: OneOf(VENUE_KINDS),
    capacity: Type.Integer(),
    amenities: Type.Array(Type.String()),
    accessibility: Nullable(Type.String()),
    bookableHours: Nullable(
      Type.Array(Type.Composite([Shape({ weekday: Type.Integer() }), OpeningInterval]), { description: 'weekly bookable hours; null: the branch’s opening hours' }),
    ),
    slotMinutes: Type.Integer(),
    minMinutes: Type.Integer(),
    maxMinutes: Type.Integer(),
    maxDaysAhead: Type.Integer(),
    requiresApproval: Type.Boolean(),
    whoMayBook: Type.Array(OneOf(['resident', 'team', 'organisation'] as const)),
    maxUpcomingPerPerson: Type.Integer(),
    cancelDeadlineHours: Type.Integer({ description: 'hours before the start after which a cancellation counts as a no-show' }),
    active: Type.Boolean(),
    createdAt: Timestamp(),
    updatedAt: Timestamp(),
  }),
);

/** Open, taken and free spans per day of a venue, in the branch's local time. */
export const Availability = View(
  'Availability',
  Shape({
    venueId: Uuid(),
    timeZone: Type.String(),
    slotMinutes: Type.Integer(),
    days: Type.Array(
      Shape({
        date: Day(),
        open: Type.Array(OpeningInterval),
        taken: Type.Array(Type.Composite([LocalSpan, Shape({ kind: OneOf(['booking', 'block', 'activity'] as const), status: OneOf(BOOKING_STATUSES) })])),
        free: Type.Array(LocalSpan),
      }),
    ),
  }),
);

/** Venues still bookable today, each on its branch's own day and zone. */
export const FreeToday = View(
  'FreeToday',
  Shape({
    at: Timestamp({ description: 'the instant the answer was worked out for' }),
    items: Type.Array(
      Shape({
        id: Uuid(),
        name: Type.String(),
        kind: OneOf(VENUE_KINDS),
        branchId: Uuid(),
        capacity: Type.Integer(),
        requiresApproval: Type.Boolean(),
        whoMayBook: Type.Array(Type.String()),
        slotMinutes: Type.Integer(),
        minMinutes: Type.Integer(),
        timeZone: Type.String(),
        date: Day(),
        free: Type.Array(LocalSpan, { description: 'local "HH:mm" spans a booking made now could take; never empty' }),
      }),
    ),
  }),
);

const VenueBookingFields = {
  id: Uuid(),
  venueId: Uuid(),
  kind: OneOf(['booking', 'block', 'activity'] as const),
  patronId: Nullable(Uuid()),
  staffId: Nullable(Uuid({ description: 'staff who blocked the time, or the organizer/operator who booked for their organisation' })),
  startsAt: Timestamp(),
  endsAt: Timestamp(),
  status: OneOf(BOOKING_STATUSES),
  purpose: Nullable(Type.String()),
  attendees: Type.Integer(),
  decisionReason: Nullable(Type.String()),
  decidedBy: Nullable(Uuid()),
  decidedAt: Nullable(Timestamp()),
  createdAt: Timestamp(),
};

/** A span of a venue: a booking, a staff block or an activity's hold. Lists carry the venue. */
export const VenueBooking = View('VenueBooking', Shape({ ...VenueBookingFields, venue: Type.Optional(Venue) }));

/** What a booking request got: pending when the venue needs approval, else confirmed. */
export const BookingCreated = View(
  'BookingCreated',
  Shape({ id: Uuid(), status: OneOf(['pending', 'confirmed'] as const), startsAt: Timestamp(), endsAt: Timestamp() }),
);

export const BookingStatus = View(
  'BookingStatus',
  Shape({
    bannedUntil: Nullable(Timestamp({ description: 'until when no-shows bar the resident from booking; null: not barred' })),
    noShows: Type.Array(Shape({ kind: OneOf(['booking', 'registration'] as const), at: Timestamp() })),
  }),
);

export const NoShowsWaived = View('NoShowsWaived', Shape({ waived: Type.Integer() }));

export const Session = View(
  'Session',
  Shape({
    id: Uuid(),
    startsAt: Timestamp(),
    endsAt: Timestamp(),
    capacity: Type.Integer(),
    walkInSeats: Type.Integer({ description: 'seats kept for the desk' }),
    venueId: Nullable(Uuid()),
    confirmed: Type.Integer(),
    waitlisted: Type.Integer(),
    seatsLeft: Type.Integer(),
    asOf: Type.Number({ description: 'the read’s place in the database’s commit order, as in the `session.seats` push: the larger is newer' }),
  }),
);

export const Activity = View(
  'Activity',
  Shape({
    id: Uuid(),
    title: Type.String(),
    description: Nullable(Type.String()),
    category: OneOf(['class', 'lecture', 'performance', 'exhibition', 'film_screening', 'training', 'reading_event'] as const),
    branchId: Uuid(),
    organiserStaffId: Nullable(Uuid()),
    ageMin: Nullable(Type.Integer()),
    ageMax: Nullable(Type.Integer()),
    specialGroups: Type.Array(OneOf(['elderly', 'minors', 'disabled', 'migrant_workers', 'left_behind'] as const)),
    registrationOpensAt: Nullable(Timestamp()),
    registrationClosesAt: Nullable(Timestamp()),
    perPersonQuota: Type.Integer(),
    series: Type.Boolean({ description: 'one registration takes every session (all or nothing)' }),
    mode: OneOf(['first_come', 'approval'] as const),
    cancelledAt: Nullable(Timestamp({ description: 'when the activity was called off' })),
    createdAt: Timestamp(),
    updatedAt: Timestamp(),
    sessions: Type.Array(Session),
  }),
);
export const ActivityPage = View('ActivityPage', Page(Activity));
export const ActivityCreated = View('ActivityCreated', Shape({ id: Uuid() }));

const REGISTRATION_STATUSES = ['pending', 'confirmed', 'waitlisted', 'cancelled', 'rejected', 'attended', 'no_show'] as const;

/** One registration made or decided: confirmed with a seat, waitlisted with a position, pending approval, or rejected. */
const RegistrationResultFields = {
  id: Uuid(),
  sessionId: Uuid(),
  status: OneOf(['confirmed', 'waitlisted', 'pending', 'rejected'] as const),
  position: Type.Optional(Type.Integer({ description: 'place on the waiting list' })),
};
export const RegistrationResult = View('RegistrationResult', Shape(RegistrationResultFields));
/** The first (or only) registration; a series also lists every session's. */
export const RegistrationMade = View(
  'RegistrationMade',
  Shape({ ...RegistrationResultFields, registrations: Type.Optional(Type.Array(RegistrationResult, { description: 'one per session of a series' })) }),
);
export const RegistrationCancelled = View(
  'RegistrationCancelled',
  Shape({ id: Uuid(), status: OneOf(['cancelled', 'no_show'] as const), promoted: Nullable(Uuid({ description: 'the registration that took the freed seat' })) }),
);

export const Registration = View(
  'Registration',
  Shape({
    id: Uuid(),
    status: OneOf(REGISTRATION_STATUSES),
    sessionId: Uuid(),
    startsAt: Timestamp(),
    endsAt: Timestamp(),
    activityId: Uuid(),
    title: Type.String(),
    position: Nullable(Type.Integer({ description: 'place on the waiting list; null unless waitlisted' })),
  }),
);

export const AttendanceCheckin = View(
  'AttendanceCheckin',
  Shape({
    registrationId: Uuid(),
    sessionId: Uuid(),
    status: OneOf(['attended'] as const),
    already: Type.Boolean({ description: 'the code was scanned before: nothing recorded again' }),
    activityId: Uuid(),
    title: Type.String(),
    startsAt: Timestamp(),
    endsAt: Timestamp(),
    patronName: Type.String({ description: 'masked (张*, 王*明)' }),
  }),
);

export const RegistrationQr = View('RegistrationQr', Shape({ token: Type.String(), expiresAt: Timestamp({ description: 'the session’s end' }) }));
export const CalendarUrl = View('CalendarUrl', Shape({ url: Type.String({ description: 'the private iCalendar feed' }) }));
