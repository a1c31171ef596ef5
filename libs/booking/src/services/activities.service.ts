import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { maskPersonName, PatronsService } from '@lib/accounts';
import { Env } from '@lib/config';
import { isPgError, Page, PgErrorCode, pageWindow } from '@lib/db';
import { CommonError } from '@lib/errors';
import { BranchesService } from '@lib/network';
import { notify } from '@lib/notifications';
import { publishAfterCommit, rooms } from '@lib/realtime';
import { recordUsage } from '@lib/stats';
import { Activity, ActivitySession, Registration } from '../entities/activity.entity';
import { Venue } from '../entities/venue.entity';
import { VenueBooking } from '../entities/venue-booking.entity';
import { ActivityQuery, CreateActivityDto, RegisterDto } from '../dto/activity.dto';
import { ActivityError, BookingError } from '../booking.errors';
import { Actor, BookingsService } from './bookings.service';
import type { FeedEvent } from './calendar-feed';

export interface SessionView {
  id: string;
  startsAt: Date;
  endsAt: Date;
  capacity: number;
  walkInSeats: number;
  venueId: string | null;
  confirmed: number;
  waitlisted: number;
  seatsLeft: number;
  /** Where the read of these counts stands in the commit order, as in the `session.seats` push (see `seatCounts`). */
  asOf: number;
}

/**
 * A read's place in the database's commit order, from its snapshot (explained at `seatCounts`). The
 * HTTP reads of seats and the pushes use this one expression, so a client can order counts from both.
 */
const AS_OF_SQL = `(pg_snapshot_xmax(pg_current_snapshot())::text::numeric * 100000
                 - (SELECT count(*) FROM pg_snapshot_xip(pg_current_snapshot())))::text`;

export interface RegistrationResult {
  id: string;
  sessionId: string;
  status: 'confirmed' | 'waitlisted' | 'pending' | 'rejected';
  position?: number;
}

/** What a check-in answers: who came (name masked), to what, and whether the code was scanned before. */
export interface CheckinView {
  registrationId: string;
  sessionId: string;
  status: 'attended';
  /** The code was scanned before: nothing recorded again. */
  already: boolean;
  activityId: string;
  title: string;
  startsAt: Date;
  endsAt: Date;
  /** The resident's name masked (张*, 王*明), enough for the desk to ask "is this you?". */
  patronName: string;
}

/**
 * The waiting list a session's registrations join: a series has one for all its sessions (its residents wait
 * for every session together, with one ticket each, so they compare across sessions), any other session its own.
 */
function waitlistOf(series: boolean, activityId: string, sessionId: string): string {
  return series ? activityId : sessionId;
}

/** The sequence a waiting list draws its tickets from, made with the session or series (`createIn`). */
export function waitlistSequence(listId: string): string {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(listId)) throw new Error(`not a waiting list: ${listId}`);
  return `waitlist_${listId.replace(/-/g, '')}`;
}

/** What `register` reads first: the activity and the sessions asked for. */
interface RegisterTarget {
  id: string;
  branch_id: string;
  category: string;
  series: boolean;
  mode: 'first_come' | 'approval';
  per_person_quota: number;
  registration_opens_at: Date | null;
  registration_closes_at: Date | null;
  cancelled_at: Date | null;
  sessions: Array<{ id: string; startsAt: string }>;
}

interface CheckinRow {
  id: string;
  status: string;
  branch_id: string;
  category: string;
  activity_id: string;
  title: string;
  session_id: string;
  starts_at: Date;
  ends_at: Date;
  patron_name: string;
}

/**
 * Activities and registration. A seat is a row: registering takes the first free one with
 * FOR UPDATE SKIP LOCKED, so two thousand residents pressing at once queue on nothing and no seat is
 * ever given twice (a unique index on the seat's holder). No seat left: the waiting list, in
 * arrival order, a ticket drawn from the list's sequence (`joinWaitlists`), so joiners do not queue
 * either. A cancelled seat goes straight to the first person waiting, in the same transaction.
 */
@Injectable()
export class ActivitiesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly branches: BranchesService,
    private readonly bookings: BookingsService,
    private readonly patrons: PatronsService,
    private readonly env: Env,
  ) {}

  async create(input: CreateActivityDto, actor: Actor): Promise<{ id: string }> {
    try {
      return { id: await this.dataSource.transaction((em) => this.createIn(em, input, actor)) };
    } catch (e) {
      if (isPgError(e, PgErrorCode.ExclusionViolation, 'venue_booking_no_overlap')) throw BookingError.BOOKING_OVERLAP({ field: 'sessions' });
      throw e;
    }
  }

  /**
   * Creates an activity with its sessions, seat rows and venue bookings inside the caller's
   * transaction (a scheduled service order creates its public activity this way).
   */
  async createIn(em: EntityManager, input: CreateActivityDto, actor: Actor): Promise<string> {
    if (actor.role === 'librarian' && !actor.branchIds.includes(input.branchId)) throw CommonError.BRANCH_FORBIDDEN({ branchId: input.branchId });
    await this.branches.assertExist([input.branchId], 'branchId', em);
    const sessions = input.sessions.map((s, i) => {
      const startsAt = new Date(s.startsAt);
      const endsAt = new Date(s.endsAt);
      if (!(startsAt < endsAt)) throw ActivityError.SESSIONS_INVALID({ field: `sessions.${i}.endsAt`, reason: `session ${i + 1} ends before it starts` });
      if ((s.walkInSeats ?? 0) > s.capacity) throw ActivityError.SESSIONS_INVALID({ field: `sessions.${i}.walkInSeats`, reason: `session ${i + 1} keeps more seats than it has` });
      return { ...s, startsAt, endsAt };
    });
    const activity = await em.getRepository(Activity).save(
      em.getRepository(Activity).create({
        title: input.title,
        description: input.description ?? null,
        category: input.category,
        branchId: input.branchId,
        organiserStaffId: actor.kind === 'staff' ? actor.id : null,
        ageMin: input.ageMin ?? null,
        ageMax: input.ageMax ?? null,
        specialGroups: input.specialGroups ?? [],
        registrationOpensAt: input.registrationOpensAt ? new Date(input.registrationOpensAt) : null,
        registrationClosesAt: input.registrationClosesAt ? new Date(input.registrationClosesAt) : null,
        perPersonQuota: input.perPersonQuota ?? 1,
        series: input.series ?? false,
        mode: input.mode ?? 'first_come',
      }),
    );
    if (activity.series) await this.createWaitlist(em, activity.id);
    for (const s of sessions) {
      let venueBookingId: string | null = null;
      if (s.venueId) {
        const venue = await em.getRepository(Venue).findOneBy({ id: s.venueId });
        if (!venue) throw BookingError.VENUE_NOT_FOUND({ id: s.venueId, field: 'venueId' });
        if (venue.branchId !== input.branchId || !venue.active) throw BookingError.VENUE_NOT_BOOKABLE({ field: 'venueId' });
        const booking = await em.getRepository(VenueBooking).save(
          em.getRepository(VenueBooking).create({ venueId: venue.id, kind: 'activity', staffId: activity.organiserStaffId, startsAt: s.startsAt, endsAt: s.endsAt, status: 'confirmed', purpose: input.title }),
        );
        venueBookingId = booking.id;
        publishAfterCommit(em, { room: rooms.venue(venue.id), event: 'venue.availability', data: { venueId: venue.id, startsAt: s.startsAt.toISOString(), endsAt: s.endsAt.toISOString(), status: 'confirmed', kind: 'activity' } });
      }
      const session = await em.getRepository(ActivitySession).save(
        em.getRepository(ActivitySession).create({
          activityId: activity.id,
          startsAt: s.startsAt,
          endsAt: s.endsAt,
          capacity: s.capacity,
          walkInSeats: s.walkInSeats ?? 0,
          venueId: s.venueId ?? null,
          venueBookingId,
        }),
      );
      // The kept seats are the last ones, so walk-in seats never depend on the order of a flash crowd.
      await em.query(
        `INSERT INTO session_seat (session_id, seat_no, walk_in) SELECT $1, n, n > $2 - $3 FROM generate_series(1, $2) AS n`,
        [session.id, s.capacity, s.walkInSeats ?? 0],
      );
      if (!activity.series) await this.createWaitlist(em, session.id);
    }
    return activity.id;
  }

  /** A waiting list's ticket sequence, made in the caller's transaction (DDL is transactional: a rollback takes it back). */
  private async createWaitlist(em: EntityManager, listId: string): Promise<void> {
    await em.query(`CREATE SEQUENCE ${waitlistSequence(listId)} AS integer OWNED BY registration.waitlist_ticket`);
  }

  /**
   * Calls an activity off inside the caller's transaction: registration closes, every live
   * registration is cancelled and its resident told, seats and venue bookings are released.
   */
  async cancelIn(em: EntityManager, activityId: string, reason: string): Promise<number> {
    const [activity] = await em.query(`UPDATE activity SET cancelled_at = coalesce(cancelled_at, now()) WHERE id = $1 RETURNING title`, [activityId]);
    if (!activity?.length) throw ActivityError.ACTIVITY_NOT_FOUND({ id: activityId });
    const title = activity[0].title as string;
    // Registrations in flight hold a key-share lock on their session row (the foreign key check of their
    // INSERT) until they commit: wait for them here, so the UPDATE below sees them. Later ones find the
    // activity called off when they check again before committing (`assertNotCalledOff`, or the ticket draw in `joinWaitlists`).
    await em.query(`SELECT 1 FROM activity_session WHERE activity_id = $1 FOR UPDATE`, [activityId]);
    const [cancelled] = await em.query(
      `UPDATE registration r SET status = 'cancelled', cancelled_at = now() FROM activity_session s
        WHERE s.id = r.session_id AND s.activity_id = $1 AND r.status IN ('pending', 'confirmed', 'waitlisted')
        RETURNING r.id, r.patron_id, s.starts_at`,
      [activityId],
    );
    await em.query(`UPDATE session_seat x SET registration_id = NULL FROM activity_session s WHERE s.id = x.session_id AND s.activity_id = $1 AND x.registration_id IS NOT NULL`, [activityId]);
    const [freed] = await em.query(
      `UPDATE venue_booking b SET status = 'cancelled', decision_reason = left($2, 200), decided_at = now() FROM activity_session s
        WHERE s.venue_booking_id = b.id AND s.activity_id = $1 AND b.status IN ('pending', 'confirmed')
        RETURNING b.venue_id, b.starts_at, b.ends_at`,
      [activityId, reason],
    );
    for (const b of freed as Array<{ venue_id: string; starts_at: Date; ends_at: Date }>) {
      publishAfterCommit(em, { room: rooms.venue(b.venue_id), event: 'venue.availability', data: { venueId: b.venue_id, startsAt: b.starts_at.toISOString(), endsAt: b.ends_at.toISOString(), status: 'cancelled', kind: 'activity' } });
    }
    const sessionIds: Array<{ id: string }> = await em.query(`SELECT id FROM activity_session WHERE activity_id = $1`, [activityId]);
    this.announceSeats(em, sessionIds.map((x) => x.id));
    for (const r of cancelled as Array<{ id: string; patron_id: string; starts_at: Date }>) {
      await notify(em, { recipientKind: 'patron', recipientId: r.patron_id, kind: 'activity_cancelled', payload: { registrationId: r.id, title, startsAt: r.starts_at, reason } });
    }
    return cancelled.length;
  }

  async get(id: string): Promise<Activity & { sessions: SessionView[] }> {
    const activity = await this.dataSource.getRepository(Activity).findOneBy({ id });
    if (!activity) throw ActivityError.ACTIVITY_NOT_FOUND({ id });
    return { ...activity, sessions: await this.sessionsOf([id]).then((m) => m.get(id) ?? []) };
  }

  async list(query: ActivityQuery): Promise<Page<Activity & { sessions: SessionView[] }>> {
    const { skip, take, page, pageSize } = pageWindow(query);
    // Called-off activities are not offered (their page stays readable by id).
    const qb = this.dataSource.getRepository(Activity).createQueryBuilder('a').where('a.cancelledAt IS NULL').orderBy('a.createdAt', 'DESC').skip(skip).take(take);
    if (query.branchId) qb.andWhere('a.branchId = :branchId', { branchId: query.branchId });
    if (query.category) qb.andWhere('a.category = :category', { category: query.category });
    if (query.from || query.to) {
      qb.andWhere(
        `EXISTS (SELECT 1 FROM activity_session s WHERE s.activity_id = a.id
           AND s.starts_at >= (:from::date)::timestamp AT TIME ZONE :zone AND s.starts_at < (:to::date + 1)::timestamp AT TIME ZONE :zone)`,
        { from: query.from ?? '1900-01-01', to: query.to ?? '2200-12-31', zone: this.env.TIME_ZONE },
      );
    }
    const [rows, total] = await qb.getManyAndCount();
    const sessions = await this.sessionsOf(rows.map((a) => a.id));
    return { items: rows.map((a) => ({ ...a, sessions: sessions.get(a.id) ?? [] })), total, page, pageSize };
  }

  /**
   * Registers a resident (or, at the desk, the holder of `cardNumber` into a kept seat first) for a
   * session, or for every session of a series.
   */
  async register(activityId: string, actor: Actor, input: RegisterDto): Promise<RegistrationResult[]> {
    const atDesk = actor.kind === 'staff';
    const patronId = atDesk ? (await this.patrons.borrowerByCard(input.cardNumber ?? '')).patronId : actor.id;
    if (atDesk && !input.cardNumber) throw CommonError.VALIDATION_FAILED({ fields: 'cardNumber', errors: [{ field: 'cardNumber', messages: ['cardNumber is required at the desk'] }] });
    try {
      return await this.dataSource.transaction(async (em) => {
        // One round trip: the activity, the sessions asked for (every one for a series), and the resident's row
        // locked, so one resident's registrations run one at a time and the quota holds under parallel requests
        // (the checks that need it read in the next statement, after the lock).
        const [row]: Array<RegisterTarget> = await em.query(
          `SELECT a.id, a.branch_id, a.category, a.series, a.mode, a.per_person_quota, a.registration_opens_at, a.registration_closes_at, a.cancelled_at,
                  coalesce((SELECT json_agg(json_build_object('id', s.id, 'startsAt', s.starts_at) ORDER BY s.starts_at) FROM activity_session s
                             WHERE s.activity_id = a.id AND (a.series OR $2 OR s.id = $3)), '[]') AS sessions,
                  (SELECT true FROM patron WHERE id = $4 FOR UPDATE) AS patron_locked
             FROM activity a WHERE a.id = $1`,
          [activityId, input.series === true, input.series ? null : (input.sessionId ?? null), patronId],
        );
        if (!row) throw ActivityError.ACTIVITY_NOT_FOUND({ id: activityId });
        if (row.cancelled_at) throw ActivityError.ACTIVITY_CANCELLED();
        if (atDesk && actor.role === 'librarian' && !actor.branchIds.includes(row.branch_id)) throw CommonError.BRANCH_FORBIDDEN({ branchId: row.branch_id });
        const now = new Date();
        if (!atDesk && row.registration_opens_at && now < row.registration_opens_at) {
          throw ActivityError.REGISTRATION_NOT_OPEN({ opensAt: row.registration_opens_at.toISOString() });
        }
        if (row.registration_closes_at && now >= row.registration_closes_at) throw ActivityError.REGISTRATION_CLOSED();
        const sessions = row.sessions.map((x) => ({ id: x.id, startsAt: new Date(x.startsAt) }));
        if (!row.series && !input.series && !sessions.length) throw ActivityError.SESSION_NOT_FOUND({ id: input.sessionId, field: 'sessionId' });
        // One round trip for the three checks: already registered, the per-person quota, recent no-shows.
        const [state]: Array<{ already: number; held: number; has_no_shows: boolean }> = await em.query(
          `SELECT count(*) FILTER (WHERE r.session_id = ANY($2::uuid[]))::int AS already,
                  count(*)::int AS held,
                  EXISTS (SELECT 1 FROM registration n WHERE n.patron_id = $1 AND n.status = 'no_show')
                    OR EXISTS (SELECT 1 FROM venue_booking b WHERE b.patron_id = $1 AND b.status = 'no_show') AS has_no_shows
             FROM registration r JOIN activity_session s ON s.id = r.session_id
            WHERE s.activity_id = $3 AND r.patron_id = $1 AND r.status IN ('pending', 'confirmed', 'waitlisted', 'attended')`,
          [patronId, sessions.map((x) => x.id), row.id],
        );
        if (state.already) throw ActivityError.ALREADY_REGISTERED({ field: 'sessionId' });
        if (!row.series && state.held + sessions.length > row.per_person_quota) throw ActivityError.QUOTA_REACHED({ quota: row.per_person_quota });
        if (state.has_no_shows) await this.bookings.assertNotBanned(em, patronId);
        if (row.mode === 'approval' && !atDesk) {
          // Staff decide who gets a seat: the request waits, holding nothing.
          const pending: RegistrationResult[] = [];
          for (const session of sessions) {
            if (session.startsAt <= now) throw ActivityError.SESSION_STARTED({ field: 'sessionId' });
            const registration = await em.getRepository(Registration).save(
              em.getRepository(Registration).create({ sessionId: session.id, patronId, status: 'pending' }),
            );
            pending.push({ id: registration.id, sessionId: session.id, status: 'pending' });
          }
          await this.assertNotCalledOff(em, row.id);
          return pending;
        }
        const results: RegistrationResult[] = [];
        const held: string[] = [];
        for (const session of sessions) {
          if (session.startsAt <= now) throw ActivityError.SESSION_STARTED({ field: 'sessionId' });
          // One statement: the first free seat (skipping seats others are taking this instant; kept seats only
          // at the desk) and the registration holding it, confirmed, or else waiting (its ticket comes below).
          const id = randomUUID();
          const [{ status }]: Array<{ status: 'confirmed' | 'waitlisted' }> = await em.query(
            `WITH seat AS (
               UPDATE session_seat SET registration_id = $1
                WHERE (session_id, seat_no) = (
                  SELECT session_id, seat_no FROM session_seat
                   WHERE session_id = $2 AND registration_id IS NULL AND (walk_in = false OR $4)
                   ORDER BY walk_in DESC, seat_no LIMIT 1 FOR UPDATE SKIP LOCKED)
                RETURNING seat_no)
             INSERT INTO registration (id, session_id, patron_id, status, by_staff, confirmed_at)
             SELECT $1, $2, $3, CASE WHEN seat.seat_no IS NULL THEN 'waitlisted' ELSE 'confirmed' END, $4, CASE WHEN seat.seat_no IS NOT NULL THEN now() END
               FROM (SELECT 1) AS one LEFT JOIN seat ON true
             RETURNING status`,
            [id, session.id, patronId, atDesk],
          );
          if (status === 'confirmed') held.push(id);
          results.push({ id, sessionId: session.id, status });
        }
        // The usage record comes last: its rollup rows are shared by every registration and locked to commit.
        const recorded = (waitlisted: boolean) =>
          recordUsage(em, { kind: 'activity_registration', branchId: row.branch_id, quantity: results.length, attributes: { category: row.category, waitlisted } });
        if (held.length === sessions.length) {
          await this.assertNotCalledOff(em, row.id);
          await recorded(false);
          this.announceSeats(em, sessions.map((x) => x.id));
          return results;
        }
        // A series is all or nothing: without a seat in every session, the resident waits for all of them.
        const [givenBack]: [Array<{ session_id: string; seat_no: number; walk_in: boolean }>, number] = held.length
          ? await em.query(`UPDATE session_seat SET registration_id = NULL WHERE registration_id = ANY($1::uuid[]) RETURNING session_id, seat_no, walk_in`, [held])
          : [[], 0];
        const listOf = (sessionId: string) => waitlistOf(row.series, row.id, sessionId);
        // Seats given back go on to whoever waits for them (below): that is a promotion, so its lock is exclusive.
        await this.lockWaitlists(em, sessions.map((x) => listOf(x.id)), givenBack.length > 0);
        const positions = await this.joinWaitlists(em, results.map((r) => ({ id: r.id, list: listOf(r.sessionId) })), row.id);
        for (const r of results) Object.assign(r, { status: 'waitlisted', position: positions.get(r.id) });
        if (row.series) {
          if (givenBack.length) await this.promoteSeries(em, row.id);
        } else {
          // Sessions registered together outside a series are separate lists: a seat given back goes to the
          // first waiting in its session, as a cancelled one does, but not back to this resident.
          for (const seat of givenBack) if (!seat.walk_in) await this.promote(em, seat.session_id, seat.seat_no, patronId);
        }
        await recorded(true);
        this.announceSeats(em, sessions.map((x) => x.id));
        return results;
      });
    } catch (e) {
      if (isPgError(e, PgErrorCode.UniqueViolation, 'registration_one_per_person_key')) throw ActivityError.ALREADY_REGISTERED({ field: 'sessionId' });
      throw e;
    }
  }

  /** Cancels a registration; a freed seat goes at once to the first person waiting, who is told. */
  async cancel(registrationId: string, actor: Actor): Promise<{ id: string; status: string; promoted: string | null }> {
    return this.dataSource.transaction(async (em) => {
      const registration = await em.getRepository(Registration).findOne({ where: { id: registrationId }, lock: { mode: 'pessimistic_write' } });
      if (!registration || (actor.kind === 'patron' && registration.patronId !== actor.id)) throw ActivityError.REGISTRATION_NOT_FOUND({ id: registrationId });
      if (actor.kind === 'staff') await this.assertRunsActivity(em, actor, registration.sessionId);
      if (!['pending', 'confirmed', 'waitlisted'].includes(registration.status)) {
        throw ActivityError.REGISTRATION_STATUS_INVALID({ status: registration.status, action: 'cancel' });
      }
      // A resident letting a confirmed seat go shortly before the start counts as a no-show (the seat is hard to fill by then).
      const [{ starts_at: startsAt }] = await em.query(`SELECT starts_at FROM activity_session WHERE id = $1`, [registration.sessionId]);
      const late = actor.kind === 'patron' && registration.status === 'confirmed' && startsAt.getTime() - Date.now() < this.env.REGISTRATION_CANCEL_DEADLINE_HOURS * 3_600_000;
      await em.query(`UPDATE registration SET status = $2, cancelled_at = now() WHERE id = $1`, [registrationId, late ? 'no_show' : 'cancelled']);
      let promoted: string | null = null;
      if (registration.status === 'confirmed') {
        const [seat] = await em.query(`SELECT seat_no, walk_in FROM session_seat WHERE registration_id = $1 FOR UPDATE`, [registrationId]);
        await em.query(`UPDATE session_seat SET registration_id = NULL WHERE registration_id = $1`, [registrationId]);
        const [{ series }] = await em.query(`SELECT a.series FROM activity_session s JOIN activity a ON a.id = s.activity_id WHERE s.id = $1`, [registration.sessionId]);
        if (series) {
          promoted = await this.promoteSeries(em, null, registration.sessionId);
          const others: Array<{ id: string }> = await em.query(
            `SELECT o.id FROM activity_session s JOIN activity_session o ON o.activity_id = s.activity_id WHERE s.id = $1`,
            [registration.sessionId],
          );
          this.announceSeats(em, others.map((o) => o.id));
        } else if (seat && !seat.walk_in) {
          promoted = await this.promote(em, registration.sessionId, seat.seat_no);
        }
      }
      this.announceSeats(em, [registration.sessionId]);
      return { id: registrationId, status: late ? 'no_show' : 'cancelled', promoted };
    });
  }

  /**
   * Staff approve a pending registration: it takes a free seat (or joins the waiting list), once.
   * Reject closes it. Staff act at the activity's branch.
   */
  async decide(registrationId: string, actor: Actor, approve: boolean): Promise<RegistrationResult> {
    return this.dataSource.transaction(async (em) => {
      const [row] = await em.query(
        `SELECT r.id, r.status, r.session_id, r.patron_id, a.id AS activity_id, a.series, a.branch_id FROM registration r JOIN activity_session s ON s.id = r.session_id
           JOIN activity a ON a.id = s.activity_id WHERE r.id = $1 FOR UPDATE OF r`,
        [registrationId],
      );
      if (!row) throw ActivityError.REGISTRATION_NOT_FOUND({ id: registrationId });
      await this.assertRunsActivity(em, actor, row.session_id);
      if (row.status !== 'pending') throw ActivityError.REGISTRATION_STATUS_INVALID({ status: row.status, action: approve ? 'approve' : 'reject' });
      if (!approve) {
        await em.query(`UPDATE registration SET status = 'rejected', cancelled_at = now() WHERE id = $1`, [registrationId]);
        await notify(em, { recipientKind: 'patron', recipientId: row.patron_id, kind: 'registration_rejected', payload: { registrationId } });
        return { id: registrationId, sessionId: row.session_id, status: 'rejected' };
      }
      const seat = await this.takeSeat(em, row.session_id, registrationId, false);
      let position: number | undefined;
      if (seat !== null) {
        await em.query(`UPDATE registration SET status = 'confirmed', confirmed_at = now() WHERE id = $1`, [registrationId]);
      } else {
        const list = waitlistOf(row.series, row.activity_id, row.session_id);
        await this.lockWaitlists(em, [list], false);
        position = (await this.joinWaitlists(em, [{ id: registrationId, list }], null)).get(registrationId);
      }
      const status = seat !== null ? 'confirmed' : 'waitlisted';
      this.announceSeats(em, [row.session_id]);
      await notify(em, { recipientKind: 'patron', recipientId: row.patron_id, kind: 'registration_approved', payload: { registrationId, status } });
      return { id: registrationId, sessionId: row.session_id, status, ...(position !== undefined ? { position } : {}) };
    });
  }

  /**
   * Records attendance: the registration's resident is here. Staff act only at the activity's branch.
   * The answer names what was checked in (the activity, the session's times, the resident's masked name —
   * never the phone or ID number), read by the same locking query, so the desk needs no second look-up.
   */
  async checkIn(target: { registrationId: string } | { patronId: string; sessionId?: string }, actor: Actor): Promise<CheckinView> {
    return this.dataSource.transaction(async (em) => {
      const now = new Date();
      const namedRegistration = `r.id, r.status, a.branch_id, a.category, a.id AS activity_id, a.title, s.id AS session_id, s.starts_at, s.ends_at, p.name AS patron_name
         FROM registration r JOIN activity_session s ON s.id = r.session_id JOIN activity a ON a.id = s.activity_id JOIN patron p ON p.id = r.patron_id`;
      const rows: CheckinRow[] =
        'registrationId' in target
          ? await em.query(`SELECT ${namedRegistration} WHERE r.id = $1 FOR UPDATE OF r`, [target.registrationId])
          : await em.query(
              `SELECT ${namedRegistration}
                WHERE r.patron_id = $1 AND r.status IN ('confirmed', 'attended') AND ($2::uuid IS NULL OR s.id = $2)
                  AND ($2::uuid IS NOT NULL OR (s.starts_at <= now() + interval '1 hour' AND s.ends_at >= now()))
                ORDER BY s.starts_at LIMIT 1 FOR UPDATE OF r`,
              [target.patronId, target.sessionId ?? null],
            );
      const r = rows[0];
      if (!r) throw ActivityError.CHECKIN_NOT_FOUND();
      await this.assertRunsActivity(em, actor, r.session_id);
      const view = (already: boolean): CheckinView => ({
        registrationId: r.id,
        sessionId: r.session_id,
        status: 'attended',
        already,
        activityId: r.activity_id,
        title: r.title,
        startsAt: r.starts_at,
        endsAt: r.ends_at,
        patronName: maskPersonName(r.patron_name),
      });
      if (r.status === 'attended') return view(true);
      if (r.status !== 'confirmed') throw ActivityError.REGISTRATION_STATUS_INVALID({ status: r.status, action: 'check in' });
      if (now.getTime() < r.starts_at.getTime() - 3_600_000 || now > r.ends_at) throw ActivityError.CHECKIN_WINDOW();
      await em.query(`UPDATE registration SET status = 'attended', checked_in_at = now() WHERE id = $1`, [r.id]);
      await recordUsage(em, { kind: 'activity_attendance', branchId: r.branch_id, attributes: { category: r.category } });
      return view(false);
    });
  }

  /** After a session ends, confirmed registrations nobody checked in become no-shows. Idempotent. */
  async markNoShows(now: Date = new Date()): Promise<number> {
    const result = await this.dataSource.query(
      `UPDATE registration r SET status = 'no_show' FROM activity_session s
        WHERE s.id = r.session_id AND r.status = 'confirmed' AND s.ends_at < $1`,
      [now],
    );
    return (result as [unknown, number])[1] ?? 0;
  }

  /** The session end, for a registration's check-in code to expire with it; the resident's own only. */
  async registrationOf(registrationId: string, patronId: string): Promise<{ id: string; endsAt: Date }> {
    const [row] = await this.dataSource.query(
      `SELECT r.id, s.ends_at FROM registration r JOIN activity_session s ON s.id = r.session_id WHERE r.id = $1 AND r.patron_id = $2`,
      [registrationId, patronId],
    );
    if (!row) throw ActivityError.REGISTRATION_NOT_FOUND({ id: registrationId });
    return { id: row.id, endsAt: row.ends_at };
  }

  /** A resident's bookings and registrations as iCalendar events (cancelled ones left out). */
  async feedEventsOf(patronId: string): Promise<FeedEvent[]> {
    const rows: Array<{ uid: string; start: Date; end: Date; summary: string; location: string | null; tentative: boolean }> = await this.dataSource.query(
      `SELECT 'booking-' || b.id AS uid, b.starts_at AS start, b.ends_at AS "end", v.name || coalesce('：' || b.purpose, '') AS summary,
              br.name || ' ' || v.name AS location, b.status = 'pending' AS tentative
         FROM venue_booking b JOIN venue v ON v.id = b.venue_id JOIN branch br ON br.id = v.branch_id
        WHERE b.patron_id = $1 AND b.status IN ('pending', 'confirmed', 'checked_in', 'completed')
       UNION ALL
       SELECT 'registration-' || r.id, s.starts_at, s.ends_at, a.title, br.name, r.status = 'waitlisted'
         FROM registration r JOIN activity_session s ON s.id = r.session_id JOIN activity a ON a.id = s.activity_id JOIN branch br ON br.id = a.branch_id
        WHERE r.patron_id = $1 AND r.status IN ('confirmed', 'waitlisted', 'attended')
        ORDER BY 2 LIMIT 500`,
      [patronId],
    );
    return rows.map((r) => ({ ...r, uid: `${r.uid}@culture-platform` }));
  }

  async activityFeed(id: string): Promise<{ title: string; events: FeedEvent[] }> {
    const activity = await this.get(id);
    const [branch] = await this.dataSource.query(`SELECT name FROM branch WHERE id = $1`, [activity.branchId]);
    return {
      title: activity.title,
      events: activity.sessions.map((s) => ({
        uid: `session-${s.id}@culture-platform`,
        start: s.startsAt,
        end: s.endsAt,
        summary: activity.title,
        location: branch?.name ?? null,
        description: activity.description,
      })),
    };
  }

  async mine(patronId: string) {
    return this.dataSource.query(
      `SELECT r.id, r.status, r.session_id AS "sessionId", s.starts_at AS "startsAt", s.ends_at AS "endsAt", a.id AS "activityId", a.title,
              CASE WHEN r.status = 'waitlisted' THEN (SELECT count(*)::int FROM registration w WHERE w.session_id = r.session_id AND w.status = 'waitlisted'
                                                       AND w.waitlist_ticket <= r.waitlist_ticket) END AS position
         FROM registration r JOIN activity_session s ON s.id = r.session_id JOIN activity a ON a.id = s.activity_id
        WHERE r.patron_id = $1 ORDER BY s.starts_at DESC LIMIT 200`,
      [patronId],
    );
  }

  /**
   * The last step of registering, after the registration rows exist (their foreign key check holds the
   * session rows): an activity called off meanwhile is seen here (a new statement, a fresh snapshot),
   * and the registration rolls back. Cheaper than a shared lock on the activity row for a flash crowd.
   */
  private async assertNotCalledOff(em: EntityManager, activityId: string): Promise<void> {
    const [row] = await em.query(`SELECT cancelled_at FROM activity WHERE id = $1`, [activityId]);
    if (row?.cancelled_at) throw ActivityError.ACTIVITY_CANCELLED();
  }

  /**
   * Seats left, waiting list and confirmed count of a session, as watchers see them, with `asOf`: where the
   * read stands in the database's commit order, so a client hearing pushes from several instances keeps the
   * newest. It is the read's snapshot — `xmax` (the next transaction id not yet finished) scaled up, minus
   * the number of transactions still running below it. A later read never has a smaller value (xmax only
   * grows; at equal xmax the running set only shrinks), and a read that sees more commits always has a
   * larger one; equal values see the same commits, hence the same counts. (Exact while xmax < 2^53 / 10^5.)
   */
  async seatCounts(
    sessionId: string,
  ): Promise<{ sessionId: string; capacity: number; confirmed: number; seatsLeft: number; waitlisted: number; asOf: number } | null> {
    const [row] = await this.dataSource.query(
      `SELECT s.capacity,
              (SELECT count(*)::int FROM session_seat x WHERE x.session_id = s.id AND x.registration_id IS NOT NULL) AS confirmed,
              (SELECT count(*)::int FROM session_seat x WHERE x.session_id = s.id AND x.registration_id IS NULL AND NOT x.walk_in) AS seats_left,
              (SELECT count(*)::int FROM registration r WHERE r.session_id = s.id AND r.status = 'waitlisted') AS waitlisted,
              ${AS_OF_SQL} AS as_of
         FROM activity_session s WHERE s.id = $1`,
      [sessionId],
    );
    return row
      ? { sessionId, capacity: row.capacity, confirmed: row.confirmed, seatsLeft: row.seats_left, waitlisted: row.waitlisted, asOf: Number(row.as_of) }
      : null;
  }

  /**
   * After the commit, watchers of these sessions get the counts read then (coalesced per session, so a
   * flash crowd costs a few reads, and the last read always follows the last commit).
   */
  private announceSeats(em: EntityManager, sessionIds: string[]): void {
    publishAfterCommit(
      em,
      ...[...new Set(sessionIds)].map((id) => ({ room: rooms.session(id), event: 'session.seats', key: `session.seats:${id}`, load: () => this.seatCounts(id) })),
    );
  }

  /** Staff act on an activity's registrations if it is at their branch, or they organise it; admins always. */
  private async assertRunsActivity(em: EntityManager, actor: Actor, sessionId: string): Promise<void> {
    if (actor.role === 'admin') return;
    const [a] = await em.query(
      `SELECT a.branch_id, a.organiser_staff_id FROM activity_session s JOIN activity a ON a.id = s.activity_id WHERE s.id = $1`,
      [sessionId],
    );
    if (!a || (a.organiser_staff_id !== actor.id && !actor.branchIds.includes(a.branch_id))) throw CommonError.BRANCH_FORBIDDEN({ branchId: a?.branch_id });
  }

  /** The first free seat, skipping seats other registrations are taking this instant; kept seats only for staff. */
  private async takeSeat(em: EntityManager, sessionId: string, registrationId: string, atDesk: boolean): Promise<number | null> {
    const rows: Array<{ seat_no: number }> = await em.query(
      `UPDATE session_seat SET registration_id = $2
        WHERE (session_id, seat_no) = (
          SELECT session_id, seat_no FROM session_seat
           WHERE session_id = $1 AND registration_id IS NULL AND (walk_in = false OR $3)
           ORDER BY walk_in DESC, seat_no LIMIT 1 FOR UPDATE SKIP LOCKED)
        RETURNING seat_no`,
      [sessionId, registrationId, atDesk],
    );
    const taken = (rows as unknown as [Array<{ seat_no: number }>, number])[0] ?? [];
    return taken.length ? taken[0].seat_no : null;
  }

  /**
   * Gives a freed seat of a session outside a series to the first in line, once every ticket drawn before is
   * settled (the list's lock, exclusive); a waiting row being cancelled right now is skipped, not waited for.
   */
  private async promote(em: EntityManager, sessionId: string, seatNo: number, exceptPatronId: string | null = null): Promise<string | null> {
    await this.lockWaitlists(em, [sessionId], true);
    const [next] = await em.query(
      `SELECT id, patron_id FROM registration WHERE session_id = $1 AND status = 'waitlisted' AND patron_id IS DISTINCT FROM $2
        ORDER BY waitlist_ticket LIMIT 1 FOR UPDATE SKIP LOCKED`,
      [sessionId, exceptPatronId],
    );
    if (!next) return null;
    await em.query(`UPDATE session_seat SET registration_id = $3 WHERE session_id = $1 AND seat_no = $2`, [sessionId, seatNo, next.id]);
    await em.query(`UPDATE registration SET status = 'confirmed', confirmed_at = now() WHERE id = $1`, [next.id]);
    const [info] = await em.query(
      `SELECT a.title, s.starts_at FROM activity_session s JOIN activity a ON a.id = s.activity_id WHERE s.id = $1`,
      [sessionId],
    );
    await notify(em, { recipientKind: 'patron', recipientId: next.patron_id, kind: 'registration_promoted', payload: { registrationId: next.id, title: info.title, startsAt: info.starts_at } });
    return next.id as string;
  }

  /**
   * A series is all or nothing: the first resident waiting (lowest ticket of the series' list, once every
   * ticket drawn before is settled) is seated only when a seat is free in every session they wait for; then
   * the next, until someone cannot be seated.
   */
  private async promoteSeries(em: EntityManager, activityId: string | null, sessionId?: string): Promise<string | null> {
    const [{ id }] = activityId ? [{ id: activityId }] : await em.query(`SELECT activity_id AS id FROM activity_session WHERE id = $1`, [sessionId]);
    await this.lockWaitlists(em, [id], true);
    let first: string | null = null;
    for (;;) {
      const [next] = await em.query(
        `SELECT r.patron_id FROM registration r JOIN activity_session s ON s.id = r.session_id
          WHERE s.activity_id = $1 AND r.status = 'waitlisted' ORDER BY r.waitlist_ticket LIMIT 1`,
        [id],
      );
      if (!next) return first;
      const waiting: Array<{ id: string; session_id: string }> = await em.query(
        `SELECT r.id, r.session_id FROM registration r JOIN activity_session s ON s.id = r.session_id
          WHERE s.activity_id = $1 AND r.patron_id = $2 AND r.status = 'waitlisted' FOR UPDATE OF r`,
        [id, next.patron_id],
      );
      const seated: string[] = [];
      for (const w of waiting) if ((await this.takeSeat(em, w.session_id, w.id, false)) !== null) seated.push(w.id);
      if (seated.length < waiting.length) {
        for (const rid of seated) await em.query(`UPDATE session_seat SET registration_id = NULL WHERE registration_id = $1`, [rid]);
        return first;
      }
      await em.query(`UPDATE registration SET status = 'confirmed', confirmed_at = now() WHERE id = ANY($1::uuid[])`, [waiting.map((w) => w.id)]);
      const [{ title }] = await em.query(`SELECT title FROM activity WHERE id = $1`, [id]);
      await notify(em, { recipientKind: 'patron', recipientId: next.patron_id, kind: 'registration_promoted', payload: { registrationId: waiting[0].id, title } });
      first ??= waiting[0].id;
    }
  }

  /**
   * The lock of waiting lists, which nobody holds long. Joiners hold it shared, so they never wait for one
   * another; a promotion holds it exclusive, so it starts only once every ticket drawn before it is committed
   * or rolled back, and sees the true head of the list (else a seat freed while an earlier ticket was still
   * committing would go to a later one). Joiners ask for it in a statement of its own after their inserts
   * (and the foreign-key locks those take), and wait for nothing after; several lists are locked sorted.
   */
  private async lockWaitlists(em: EntityManager, lists: string[], exclusive: boolean): Promise<void> {
    await em.query(
      `SELECT ${exclusive ? 'pg_advisory_xact_lock' : 'pg_advisory_xact_lock_shared'}(hashtextextended('waitlist:' || k, 0)) FROM unnest($1::text[]) AS k`,
      [[...new Set(lists)].sort()],
    );
  }

  /**
   * Puts registrations on their waiting lists (the caller holds the lists' lock, `lockWaitlists`) and answers
   * each one's position. A list numbers its arrivals with its own sequence: nextval makes nobody wait and is
   * never rolled back, so a crowd joins in parallel and the tickets are dense, in order of arrival. The
   * position is the ticket less the earlier tickets that have visibly left the list (seated, cancelled …):
   * earlier ones still committing count as ahead, which they are. This statement starts after the lock was
   * granted, so it sees every promotion committed before its tickets were drawn. Exact but for gaps: a
   * transaction that rolls back after drawing (or a crash, after which a sequence may skip up to 32) leaves a
   * number nobody holds, and answers given on joining after it are high by the gaps until the next read —
   * reads (`mine`) count those still waiting with a ticket up to one's own. Tickets are drawn late (only the
   * usage record, and a promotion of seats given back, come after), so gaps are rare. A series draws one ticket for
   * all its sessions (a staff approval in a series, one session at a time, leaves gaps in the others). Draws
   * nothing if the activity has been called off meanwhile (`calledOffOf`; see `assertNotCalledOff`).
   */
  private async joinWaitlists(em: EntityManager, entries: Array<{ id: string; list: string }>, calledOffOf: string | null): Promise<Map<string, number>> {
    const lists = [...new Set(entries.map((e) => e.list))];
    const [rows]: [Array<{ id: string; position: number }>, number] = await em.query(
      `WITH ticket AS MATERIALIZED (
         SELECT list, nextval(seq::regclass) AS n FROM unnest($2::text[], $3::text[]) AS l(list, seq)
          WHERE NOT EXISTS (SELECT 1 FROM activity WHERE id = $4 AND cancelled_at IS NOT NULL))
       UPDATE registration r SET status = 'waitlisted', confirmed_at = NULL, waitlisted_at = clock_timestamp(), waitlist_ticket = t.n
         FROM unnest($1::uuid[], $5::text[]) AS e(id, list) JOIN ticket t USING (list)
        WHERE r.id = e.id
       RETURNING r.id, r.waitlist_ticket - (SELECT count(*)::int FROM registration gone WHERE gone.session_id = r.session_id
                                              AND gone.waitlist_ticket < r.waitlist_ticket AND gone.status <> 'waitlisted') AS position`,
      [entries.map((e) => e.id), lists, lists.map(waitlistSequence), calledOffOf, entries.map((e) => e.list)],
    );
    if (rows.length < entries.length) throw ActivityError.ACTIVITY_CANCELLED();
    return new Map(rows.map((r) => [r.id, r.position]));
  }

  private async sessionsOf(activityIds: string[]): Promise<Map<string, SessionView[]>> {
    const map = new Map<string, SessionView[]>();
    if (!activityIds.length) return map;
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `SELECT s.id, s.activity_id, s.starts_at, s.ends_at, s.capacity, s.walk_in_seats, s.venue_id,
              (SELECT count(*)::int FROM session_seat x WHERE x.session_id = s.id AND x.registration_id IS NOT NULL) AS confirmed,
              (SELECT count(*)::int FROM session_seat x WHERE x.session_id = s.id AND x.registration_id IS NULL AND NOT x.walk_in) AS seats_left,
              (SELECT count(*)::int FROM registration r WHERE r.session_id = s.id AND r.status = 'waitlisted') AS waitlisted,
              ${AS_OF_SQL} AS as_of
         FROM activity_session s WHERE s.activity_id = ANY($1::uuid[]) ORDER BY s.starts_at`,
      [activityIds],
    );
    for (const r of rows) {
      const list = map.get(r.activity_id as string) ?? [];
      list.push({
        id: r.id as string,
        startsAt: r.starts_at as Date,
        endsAt: r.ends_at as Date,
        capacity: r.capacity as number,
        walkInSeats: r.walk_in_seats as number,
        venueId: r.venue_id as string | null,
        confirmed: r.confirmed as number,
        waitlisted: r.waitlisted as number,
        seatsLeft: r.seats_left as number,
        asOf: Number(r.as_of),
      });
      map.set(r.activity_id as string, list);
    }
    return map;
  }
}
