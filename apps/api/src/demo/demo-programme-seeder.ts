import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PatronsService, StaffService } from '@lib/accounts';
import { Activity, ActivitiesService, Actor, BookingsService, SessionInputDto, Venue, VenueBooking, VenuesService } from '@lib/booking';
import { DomainError } from '@lib/errors';
import { Branch, BranchesService, OpeningCalendar } from '@lib/network';
import { DEMO_ACTIVITIES, DEMO_BOOKINGS, DEMO_REGISTRATIONS, DEMO_VENUES, DemoActivity } from './demo-programme';
import { firstFittingDay, instantAt, localDate, minutesAfter, plusDays } from './demo-time';

/** How far ahead a session or booking may be looked for. */
const SEARCH_DAYS = 60;

/**
 * Loads what residents can book and register for, through the booking lib's use cases (venue
 * creation, booking with its window rules, activity creation, registration), so the demo obeys every
 * rule they check. Idempotent: venues by branch and name, bookings by venue and resident, activities
 * by branch and title, registrations by activity and resident.
 */
@Injectable()
export class DemoProgrammeSeeder {
  private readonly logger = new Logger('Demo');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly venues: VenuesService,
    private readonly bookings: BookingsService,
    private readonly activities: ActivitiesService,
    private readonly branches: BranchesService,
    private readonly staff: StaffService,
    private readonly patrons: PatronsService,
  ) {}

  /** Records created; `now` is the one instant every relative date is taken from. */
  async seed(now: Date): Promise<number> {
    const branches = new Map((await this.dataSource.getRepository(Branch).find()).filter((b) => b.code).map((b) => [b.code!, b]));
    let created = await this.seedVenues(branches);
    created += await this.seedBookings(branches, now);
    created += await this.seedActivities(branches, now);
    created += await this.seedRegistrations(branches);
    return created;
  }

  private async seedVenues(branches: Map<string, Branch>): Promise<number> {
    let created = 0;
    for (const v of DEMO_VENUES) {
      const branch = branches.get(v.branch);
      if (!branch || (await this.findVenue(branch, v.name))) continue;
      await this.venues.create({
        branchId: branch.id,
        name: v.name,
        kind: v.kind,
        capacity: v.capacity,
        amenities: v.amenities,
        accessibility: v.accessibility,
        bookableHours: v.bookableHours?.flatMap((h) => h.weekdays.map((weekday) => ({ weekday, opens: h.opens, closes: h.closes }))),
        slotMinutes: v.slotMinutes,
        minMinutes: v.minMinutes,
        maxMinutes: v.maxMinutes,
        maxDaysAhead: v.maxDaysAhead,
        requiresApproval: v.requiresApproval ?? false,
        whoMayBook: v.whoMayBook,
        maxUpcomingPerPerson: v.maxUpcomingPerPerson,
        cancelDeadlineHours: v.cancelDeadlineHours,
      });
      created++;
    }
    return created;
  }

  /** Residents' bookings on the first days the venue takes them (its own hours or the branch's, closures skipped). */
  private async seedBookings(branches: Map<string, Branch>, now: Date): Promise<number> {
    let created = 0;
    for (const b of DEMO_BOOKINGS) {
      const branch = branches.get(b.venue[0]);
      const venue = branch && (await this.findVenue(branch, b.venue[1]));
      const resident = await this.patrons.findForLogin(b.resident);
      if (!branch || !venue || !resident) continue;
      if (await this.dataSource.getRepository(VenueBooking).exists({ where: { venueId: venue.id, patronId: resident.patron.id } })) continue;
      const today = localDate(now, branch.timeZone);
      const calendar = await this.venues.calendarOf(venue, { from: today, to: plusDays(today, venue.maxDaysAhead + 1) });
      const day = firstFittingDay(calendar, plusDays(today, b.when.fromDays), { weekday: b.when.weekday, clock: b.when.at, minutes: b.when.minutes }, venue.maxDaysAhead - b.when.fromDays);
      if (!day) {
        this.logger.warn(`Demo booking of ${venue.name} skipped: no open day within ${venue.maxDaysAhead} days`);
        continue;
      }
      const span = this.span(calendar, day, b.when.at, b.when.minutes);
      const booker = { id: resident.patron.id, kind: 'patron' as const, role: 'resident', branchIds: [] };
      if (await this.refusedIsFine(`booking of ${venue.name}`, () => this.bookings.book(venue.id, booker, { ...span, purpose: b.purpose, attendees: b.attendees }))) created++;
    }
    return created;
  }

  private async seedActivities(branches: Map<string, Branch>, now: Date): Promise<number> {
    let created = 0;
    for (const a of DEMO_ACTIVITIES) {
      const branch = branches.get(a.branch);
      const organiser = await this.actor(a.organiser);
      if (!branch || !organiser) continue;
      if (await this.dataSource.getRepository(Activity).exists({ where: { branchId: branch.id, title: a.title } })) continue;
      const sessions = await this.sessionsOf(a, branch, now);
      if (!sessions.length) {
        this.logger.warn(`Demo activity ${a.title} skipped: no open day for its sessions within ${SEARCH_DAYS} days`);
        continue;
      }
      await this.activities.create(
        {
          title: a.title,
          description: a.description,
          category: a.category,
          branchId: branch.id,
          ageMin: a.ageMin,
          ageMax: a.ageMax,
          specialGroups: a.specialGroups,
          series: a.series,
          mode: a.mode,
          perPersonQuota: a.perPersonQuota,
          registrationOpensAt: a.opensInMinutes === undefined ? undefined : minutesAfter(now, a.opensInMinutes).toISOString(),
          registrationClosesAt: a.closesHoursBefore === undefined ? undefined : new Date(Date.parse(sessions[0].startsAt) - a.closesHoursBefore * 3_600_000).toISOString(),
          sessions,
        },
        organiser,
      );
      created++;
    }
    return created;
  }

  /** The sessions' spans: the first fitting day from `fromDays` on, then every `everyDays` (a week later when that day is closed). */
  private async sessionsOf(a: DemoActivity, branch: Branch, now: Date): Promise<SessionInputDto[]> {
    const s = a.sessions;
    const today = localDate(now, branch.timeZone);
    const calendar = await this.branches.calendarOf(branch, { from: today, to: plusDays(today, SEARCH_DAYS * 2) });
    const venue = s.venue ? await this.findVenue(branch, s.venue) : null;
    const fit = { weekday: s.weekday, clock: s.at, minutes: s.minutes };
    const out: SessionInputDto[] = [];
    let day = firstFittingDay(calendar, plusDays(today, s.fromDays), fit, SEARCH_DAYS);
    for (let i = 0; i < (s.count ?? 1) && day; i++) {
      out.push({ ...this.span(calendar, day, s.at, s.minutes), capacity: s.capacity, walkInSeats: s.walkInSeats, ...(venue ? { venueId: venue.id } : {}) });
      day = firstFittingDay(calendar, plusDays(day, s.everyDays ?? 7), fit, SEARCH_DAYS);
    }
    return out;
  }

  /** Demo residents already signed up: by themselves, or at the desk into a kept seat (phone booking). */
  private async seedRegistrations(branches: Map<string, Branch>): Promise<number> {
    let created = 0;
    for (const r of DEMO_REGISTRATIONS) {
      const definition = DEMO_ACTIVITIES.find((a) => a.title === r.activity);
      const branch = definition && branches.get(definition.branch);
      const activity = branch && (await this.dataSource.getRepository(Activity).findOneBy({ branchId: branch.id, title: r.activity }));
      const resident = await this.patrons.findForLogin(r.resident);
      if (!activity || !resident) continue;
      const [{ n }] = await this.dataSource.query(
        `SELECT count(*)::int AS n FROM registration g JOIN activity_session s ON s.id = g.session_id WHERE s.activity_id = $1 AND g.patron_id = $2`,
        [activity.id, resident.patron.id],
      );
      if (n) continue;
      const desk = r.atDesk ? await this.actor(r.atDesk) : null;
      const [first] = (await this.activities.get(activity.id)).sessions;
      const input = r.series ? { series: true } : { sessionId: first.id };
      const registered = () =>
        desk
          ? this.activities.register(activity.id, desk, { ...input, cardNumber: resident.card?.number ?? undefined })
          : this.activities.register(activity.id, { id: resident.patron.id, kind: 'patron', role: 'resident', branchIds: [] }, input);
      if (await this.refusedIsFine(`registration for ${r.activity}`, registered)) created++;
    }
    return created;
  }

  /**
   * Runs a booking or registration; a refusal by the rules (a session begun since an interrupted first
   * load, a limit reached) is logged and skipped: the demo must never keep the platform from starting.
   */
  private async refusedIsFine(what: string, action: () => Promise<unknown>): Promise<boolean> {
    try {
      await action();
      return true;
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      this.logger.warn(`Demo ${what} skipped: ${e.message}`);
      return false;
    }
  }

  private span(calendar: OpeningCalendar, day: string, at: string, minutes: number): { startsAt: string; endsAt: string } {
    const startsAt = instantAt(day, at, calendar.timeZone);
    return { startsAt: startsAt.toISOString(), endsAt: new Date(startsAt.getTime() + minutes * 60_000).toISOString() };
  }

  private findVenue(branch: Branch, name: string): Promise<Venue | null> {
    return this.dataSource.getRepository(Venue).findOneBy({ branchId: branch.id, name });
  }

  private async actor(username: string): Promise<Actor | null> {
    const found = await this.staff.findForLogin(username);
    return found ? { id: found.staff.id, kind: 'staff', role: found.staff.role, branchIds: found.branchIds } : null;
  }
}
