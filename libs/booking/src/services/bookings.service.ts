import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DateTime } from 'luxon';
import { Env } from '@lib/config';
import { CommonError } from '@lib/errors';
import { isPgError, PgErrorCode } from '@lib/db';
import { recordUsage } from '@lib/stats';
import { notify } from '@lib/notifications';
import { publishAfterCommit, rooms } from '@lib/realtime';
import { Venue } from '../entities/venue.entity';
import { BookingStatus, VenueBooking } from '../entities/venue-booking.entity';
import { BlockDto, CreateBookingDto } from '../dto/venue.dto';
import { BookingError } from '../booking.errors';
import { bookingWindowProblem } from '../rules/booking-window';
import { bookingBanUntil } from '../rules/no-show';
import { VenuesService } from './venues.service';

/** Who acts: a resident (patron) or staff with the branches they act at. */
export interface Actor {
  id: string;
  kind: 'patron' | 'staff';
  role: string;
  branchIds: string[];
}



@Injectable()
export class BookingsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly venues: VenuesService,
    private readonly env: Env,
  ) {}

  /**
   * A resident books a venue. The window rules, the no-show ban and the per-person limit are checked
   * under the resident's row lock; the exclusion constraint refuses an overlap however requests race.
   */
  async book(venueId: string, booker: Actor, input: CreateBookingDto): Promise<VenueBooking> {
    const startsAt = new Date(input.startsAt);
    const endsAt = new Date(input.endsAt);
    // Residents book for themselves; organizers and operators book for their community or organisation.
    const asOrganisation = booker.kind === 'staff';
    try {
      return await this.dataSource.transaction(async (em) => {
        const venue = await this.venues.get(venueId, em);
        if (!venue.active || !venue.whoMayBook.includes(asOrganisation ? 'organisation' : 'resident')) throw BookingError.VENUE_NOT_BOOKABLE();
        if ((input.attendees ?? 1) > venue.capacity) throw BookingError.BOOKING_TOO_MANY_PEOPLE({ field: 'attendees', capacity: venue.capacity });
        await this.assertWindow(em, venue, startsAt, endsAt);
        await em.query(`SELECT 1 FROM ${asOrganisation ? 'staff' : 'patron'} WHERE id = $1 FOR UPDATE`, [booker.id]);
        if (!asOrganisation) await this.assertNotBanned(em, booker.id);
        const [{ upcoming }] = await em.query(
          `SELECT count(*)::int AS upcoming FROM venue_booking WHERE ${asOrganisation ? 'staff_id' : 'patron_id'} = $1 AND kind = 'booking'
             AND status IN ('pending', 'confirmed') AND ends_at > now()`,
          [booker.id],
        );
        if (upcoming >= venue.maxUpcomingPerPerson) throw BookingError.BOOKING_LIMIT_REACHED({ max: venue.maxUpcomingPerPerson });
        const repo = em.getRepository(VenueBooking);
        const booking = await repo.save(
          repo.create({
            venueId,
            kind: 'booking',
            patronId: asOrganisation ? null : booker.id,
            staffId: asOrganisation ? booker.id : null,
            startsAt,
            endsAt,
            status: venue.requiresApproval ? 'pending' : 'confirmed',
            purpose: input.purpose ?? null,
            attendees: input.attendees ?? 1,
          }),
        );
        await recordUsage(em, { kind: 'venue_booking', branchId: venue.branchId, attributes: { venueKind: venue.kind, status: booking.status, by: asOrganisation ? 'organisation' : 'resident' } });
        announceAvailability(em, booking);
        return booking;
      });
    } catch (e) {
      if (isPgError(e, PgErrorCode.ExclusionViolation, 'venue_booking_no_overlap')) throw BookingError.BOOKING_OVERLAP({ field: 'startsAt' });
      throw e;
    }
  }

  /**
   * Holds a venue inside the caller's transaction for a use that is not a resident's booking (a
   * scheduled service order with no public activity). Kind 'activity', confirmed at once: the
   * exclusion constraint refuses an overlap, which the caller maps to BOOKING_OVERLAP.
   */
  async reserveIn(em: EntityManager, input: { venueId: string; startsAt: Date; endsAt: Date; staffId: string | null; purpose: string; field?: string }): Promise<VenueBooking> {
    const field = input.field ?? 'venueId';
    const venue = await em.getRepository(Venue).findOneBy({ id: input.venueId });
    if (!venue) throw CommonError.REFERENCE_NOT_FOUND({ field });
    if (!venue.active) throw BookingError.VENUE_NOT_BOOKABLE({ field });
    if (!(input.startsAt < input.endsAt)) throw CommonError.VALIDATION_FAILED({ fields: 'endsAt', errors: [{ field: 'endsAt', messages: ['endsAt must be after startsAt'] }] });
    const repo = em.getRepository(VenueBooking);
    const held = await repo.save(
      repo.create({ venueId: venue.id, kind: 'activity', staffId: input.staffId, startsAt: input.startsAt, endsAt: input.endsAt, status: 'confirmed', purpose: input.purpose.slice(0, 200) }),
    );
    announceAvailability(em, held);
    return held;
  }

  /** Releases a hold made by reserveIn, inside the caller's transaction (already released: nothing to do). */
  async releaseIn(em: EntityManager, bookingId: string, reason: string): Promise<void> {
    const [released] = await em.query(
      `UPDATE venue_booking SET status = 'cancelled', decision_reason = left($2, 200), decided_at = now() WHERE id = $1 AND status IN ('pending', 'confirmed')
        RETURNING venue_id, starts_at, ends_at, status, kind`,
      [bookingId, reason],
    );
    for (const b of released as Array<{ venue_id: string; starts_at: Date; ends_at: Date; status: VenueBooking['status']; kind: VenueBooking['kind'] }>) {
      announceAvailability(em, { venueId: b.venue_id, startsAt: b.starts_at, endsAt: b.ends_at, status: b.status, kind: b.kind });
    }
  }

  /** Staff block time (maintenance); with override, live bookings in the way are cancelled and told. */
  async block(venueId: string, actor: Actor, input: BlockDto): Promise<VenueBooking> {
    const startsAt = new Date(input.startsAt);
    const endsAt = new Date(input.endsAt);
    if (!(startsAt < endsAt)) throw CommonError.VALIDATION_FAILED({ fields: 'endsAt', errors: [{ field: 'endsAt', messages: ['endsAt must be after startsAt'] }] });
    try {
      return await this.dataSource.transaction(async (em) => {
        const venue = await this.venues.get(venueId, em);
        this.assertStaffAt(actor, venue.branchId);
        if (input.override) {
          const cancelled: VenueBooking[] = await em.query(
            `UPDATE venue_booking SET status = 'cancelled', decision_reason = $4, decided_at = now()
              WHERE venue_id = $1 AND kind = 'booking' AND status IN ('pending', 'confirmed') AND starts_at < $3 AND ends_at > $2 RETURNING patron_id, starts_at`,
            [venueId, startsAt, endsAt, input.purpose ?? 'venue blocked by staff'],
          ).then((r) => r[0] ?? []);
          for (const b of cancelled as unknown as Array<{ patron_id: string | null; starts_at: Date }>) {
            if (b.patron_id) {
              await notify(em, { recipientKind: 'patron', recipientId: b.patron_id, kind: 'booking_cancelled_by_staff', payload: { venue: venue.name, startsAt: b.starts_at } });
            }
          }
        }
        const repo = em.getRepository(VenueBooking);
        const block = await repo.save(repo.create({ venueId, kind: 'block', staffId: actor.id, startsAt, endsAt, status: 'confirmed', purpose: input.purpose ?? null }));
        announceAvailability(em, block);
        return block;
      });
    } catch (e) {
      if (isPgError(e, PgErrorCode.ExclusionViolation, 'venue_booking_no_overlap')) throw BookingError.BOOKING_OVERLAP({ field: 'startsAt' });
      throw e;
    }
  }

  approve(id: string, actor: Actor): Promise<VenueBooking> {
    return this.decide(id, actor, 'confirmed', 'approve');
  }

  reject(id: string, actor: Actor, reason?: string): Promise<VenueBooking> {
    return this.decide(id, actor, 'rejected', 'reject', reason);
  }

  /** The resident or staff cancel; a resident cancelling after the deadline counts as a no-show. */
  async cancel(id: string, actor: Actor): Promise<VenueBooking> {
    return this.dataSource.transaction(async (em) => {
      const { booking, venue } = await this.lockBooking(em, id, actor);
      const ownBooking = actor.kind === 'patron' || booking.staffId === actor.id;
      if (!ownBooking) this.assertStaffAt(actor, venue.branchId);
      if (booking.kind !== 'booking' && !ownBooking) throw BookingError.BOOKING_STATUS_INVALID({ status: booking.kind, action: 'cancel' });
      if (!['pending', 'confirmed'].includes(booking.status)) throw BookingError.BOOKING_STATUS_INVALID({ status: booking.status, action: 'cancel' });
      const late = ownBooking && booking.kind === 'booking' && booking.startsAt.getTime() - Date.now() < venue.cancelDeadlineHours * 3_600_000;
      await em.getRepository(VenueBooking).update({ id }, { status: late ? 'no_show' : 'cancelled', decidedAt: new Date(), decidedBy: ownBooking ? null : actor.id });
      const cancelled = await em.getRepository(VenueBooking).findOneByOrFail({ id });
      announceAvailability(em, cancelled);
      return cancelled;
    });
  }

  async checkIn(id: string, actor: Actor): Promise<VenueBooking> {
    return this.dataSource.transaction(async (em) => {
      const { booking, venue } = await this.lockBooking(em, id, actor);
      this.assertStaffAt(actor, venue.branchId);
      if (booking.status !== 'confirmed') throw BookingError.BOOKING_STATUS_INVALID({ status: booking.status, action: 'check in' });
      const now = Date.now();
      if (now < booking.startsAt.getTime() - 30 * 60_000 || now > booking.endsAt.getTime()) throw BookingError.BOOKING_CHECKIN_WINDOW();
      await em.getRepository(VenueBooking).update({ id }, { status: 'checked_in' });
      await recordUsage(em, { kind: 'venue_checkin', branchId: venue.branchId, quantity: booking.attendees, attributes: { venueKind: venue.kind } });
      return em.getRepository(VenueBooking).findOneByOrFail({ id });
    });
  }

  /** The desk's list: bookings of a branch's venues not yet over, by default those waiting for approval, soonest first. */
  atBranch(branchId: string, status: BookingStatus = 'pending'): Promise<VenueBooking[]> {
    return this.dataSource
      .getRepository(VenueBooking)
      .createQueryBuilder('b')
      .innerJoinAndSelect('b.venue', 'v')
      .where('v.branchId = :branchId', { branchId })
      .andWhere(`b.kind = 'booking'`)
      .andWhere('b.status = :status', { status })
      .andWhere('b.endsAt > now()')
      .orderBy('b.startsAt')
      .addOrderBy('b.id')
      .take(200)
      .getMany();
  }

  /** Venue bookings and activity registrations a resident still holds (not yet over): closing an account waits for them. */
  async openCommitmentsOf(em: EntityManager, patronId: string): Promise<{ bookings: number; registrations: number }> {
    const [row]: Array<{ bookings: number; registrations: number }> = await em.query(
      `SELECT (SELECT count(*)::int FROM venue_booking WHERE patron_id = $1 AND status IN ('pending', 'confirmed', 'checked_in') AND ends_at > now()) AS bookings,
              (SELECT count(*)::int FROM registration r JOIN activity_session s ON s.id = r.session_id
                WHERE r.patron_id = $1 AND r.status IN ('pending', 'confirmed', 'waitlisted') AND s.ends_at > now()) AS registrations`,
      [patronId],
    );
    return row;
  }

  mine(actor: Actor): Promise<VenueBooking[]> {
    const where = actor.kind === 'patron' ? { patronId: actor.id } : { staffId: actor.id, kind: 'booking' as const };
    return this.dataSource.getRepository(VenueBooking).find({ where, order: { startsAt: 'DESC' }, take: 200, relations: { venue: true } });
  }

  /** After their end: checked-in bookings complete, confirmed ones that nobody came to become no-shows. Idempotent. */
  async closePast(now: Date = new Date()): Promise<{ completed: number; noShows: number }> {
    const completed = await this.dataSource.query(`UPDATE venue_booking SET status = 'completed' WHERE status = 'checked_in' AND ends_at < $1`, [now]);
    const noShows = await this.dataSource.query(`UPDATE venue_booking SET status = 'no_show' WHERE status = 'confirmed' AND kind = 'booking' AND ends_at < $1`, [now]);
    return { completed: completed[1] ?? 0, noShows: noShows[1] ?? 0 };
  }

  /** What the resident sees: their recent no-shows and, if they add up to a ban, until when. */
  async noShowStatus(patronId: string): Promise<{ bannedUntil: Date | null; noShows: Array<{ kind: string; at: Date }> }> {
    const noShows: Array<{ kind: string; at: Date }> = await this.dataSource.query(
      `SELECT 'booking' AS kind, ends_at AS at FROM venue_booking WHERE patron_id = $1 AND status = 'no_show' AND ends_at > now() - make_interval(days => $2)
       UNION ALL
       SELECT 'registration', s.ends_at FROM registration r JOIN activity_session s ON s.id = r.session_id
        WHERE r.patron_id = $1 AND r.status = 'no_show' AND s.ends_at > now() - make_interval(days => $2)
       ORDER BY at DESC`,
      [patronId, this.env.NO_SHOW_WINDOW_DAYS],
    );
    return { bannedUntil: await this.banUntil(this.dataSource.manager, patronId), noShows };
  }

  /** Staff forgive a resident's recent no-shows (a good reason was given); the ban lifts with them. */
  async waiveNoShows(patronId: string): Promise<{ waived: number }> {
    return this.dataSource.transaction(async (em) => {
      const bookings = await em.query(
        `UPDATE venue_booking SET status = 'cancelled', decision_reason = 'no-show waived by staff' WHERE patron_id = $1 AND status = 'no_show'`,
        [patronId],
      );
      const registrations = await em.query(`UPDATE registration SET status = 'cancelled' WHERE patron_id = $1 AND status = 'no_show'`, [patronId]);
      return { waived: ((bookings as [unknown, number])[1] ?? 0) + ((registrations as [unknown, number])[1] ?? 0) };
    });
  }

  /** The ban from no-shows (bookings and activity registrations alike), if any. */
  async banUntil(em: EntityManager, patronId: string): Promise<Date | null> {
    const rows: Array<{ at: Date }> = await em.query(
      `SELECT ends_at AS at FROM venue_booking WHERE patron_id = $1 AND status = 'no_show' AND ends_at > now() - make_interval(days => $2)
       UNION ALL
       SELECT s.ends_at FROM registration r JOIN activity_session s ON s.id = r.session_id
        WHERE r.patron_id = $1 AND r.status = 'no_show' AND s.ends_at > now() - make_interval(days => $2)`,
      [patronId, this.env.NO_SHOW_WINDOW_DAYS],
    );
    return bookingBanUntil(
      rows.map((r) => r.at),
      new Date(),
      { limit: this.env.NO_SHOW_LIMIT, windowDays: this.env.NO_SHOW_WINDOW_DAYS, banDays: this.env.NO_SHOW_BAN_DAYS },
    );
  }

  async assertNotBanned(em: EntityManager, patronId: string): Promise<void> {
    const until = await this.banUntil(em, patronId);
    if (until) throw BookingError.BOOKING_BANNED({ until: DateTime.fromJSDate(until, { zone: this.env.TIME_ZONE }).toISODate(), untilAt: until.toISOString() });
  }

  private async assertWindow(em: EntityManager, venue: Venue, startsAt: Date, endsAt: Date): Promise<void> {
    if (!(startsAt < endsAt)) throw CommonError.VALIDATION_FAILED({ fields: 'endsAt', errors: [{ field: 'endsAt', messages: ['endsAt must be after startsAt'] }] });
    const from = startsAt.toISOString().slice(0, 10);
    const to = new Date(endsAt.getTime() + 86_400_000).toISOString().slice(0, 10);
    const calendar = await this.venues.calendarOf(venue, { from: shift(from, -1), to }, em);
    const problem = bookingWindowProblem(startsAt, endsAt, venue, calendar, new Date());
    if (problem) {
      const { code, ...details } = problem;
      throw BookingError[code]({ field: code === 'BOOKING_OUTSIDE_HOURS' || code === 'BOOKING_IN_PAST' ? 'startsAt' : 'endsAt', ...details });
    }
  }

  private async decide(id: string, actor: Actor, status: 'confirmed' | 'rejected', action: string, reason?: string): Promise<VenueBooking> {
    return this.dataSource.transaction(async (em) => {
      const { booking, venue } = await this.lockBooking(em, id, actor);
      this.assertStaffAt(actor, venue.branchId);
      // Only a pending booking can be decided, once: a second approval finds it confirmed and is refused.
      if (booking.status !== 'pending') throw BookingError.BOOKING_STATUS_INVALID({ status: booking.status, action });
      await em.getRepository(VenueBooking).update({ id }, { status, decidedBy: actor.id, decidedAt: new Date(), decisionReason: reason ?? null });
      // The booker hears the decision: a resident, or the organizer or operator who booked for their organisation.
      const booker = booking.patronId ? { kind: 'patron' as const, id: booking.patronId } : booking.kind === 'booking' && booking.staffId ? { kind: 'staff' as const, id: booking.staffId } : null;
      if (booker) {
        await notify(em, {
          recipientKind: booker.kind,
          recipientId: booker.id,
          kind: status === 'confirmed' ? 'booking_approved' : 'booking_rejected',
          payload: { bookingId: id, venue: venue.name, startsAt: booking.startsAt.toISOString(), reason: reason ?? null },
        });
      }
      const decided = await em.getRepository(VenueBooking).findOneByOrFail({ id });
      announceAvailability(em, decided);
      return decided;
    });
  }

  private async lockBooking(em: EntityManager, id: string, actor: Actor): Promise<{ booking: VenueBooking; venue: Venue }> {
    const booking = await em.getRepository(VenueBooking).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
    const own = actor.kind === 'patron' ? booking?.patronId === actor.id : actor.role === 'admin' || actor.role === 'librarian' || booking?.staffId === actor.id;
    if (!booking || !own) throw BookingError.BOOKING_NOT_FOUND({ id });
    return { booking, venue: await this.venues.get(booking.venueId, em) };
  }

  private assertStaffAt(actor: Actor, branchId: string): void {
    if (actor.kind !== 'staff') throw CommonError.FORBIDDEN({ role: actor.role });
    if (actor.role !== 'admin' && !actor.branchIds.includes(branchId)) throw CommonError.BRANCH_FORBIDDEN({ branchId });
  }
}

/** Watchers of the venue learn that a span changed (taken, freed, blocked); they read the availability again. */
function announceAvailability(em: EntityManager, b: Pick<VenueBooking, 'venueId' | 'startsAt' | 'endsAt' | 'status' | 'kind'>): void {
  publishAfterCommit(em, {
    room: rooms.venue(b.venueId),
    event: 'venue.availability',
    data: { venueId: b.venueId, startsAt: b.startsAt.toISOString(), endsAt: b.endsAt.toISOString(), status: b.status, kind: b.kind },
  });
}

function shift(date: string, days: number): string {
  return DateTime.fromISO(date, { zone: 'UTC' }).plus({ days }).toISODate()!;
}


