import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { DateTime } from 'luxon';
import { Branch, BranchesService, dayHours, OpeningCalendar, validateOpeningIntervals, NetworkError } from '@lib/network';
import { CommonError } from '@lib/errors';
import { Venue } from '../entities/venue.entity';
import { VenueBooking } from '../entities/venue-booking.entity';
import { AvailabilityQuery, CreateVenueDto, FreeTodayView, UpdateVenueDto, VenueQuery } from '../dto/venue.dto';
import { BookingError } from '../booking.errors';
import { freeSpans, spansStillBookable } from '../rules/booking-window';

@Injectable()
export class VenuesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly branches: BranchesService,
  ) {}

  async create(input: CreateVenueDto): Promise<Venue> {
    checkHours(input.bookableHours);
    if ((input.maxMinutes ?? 240) < (input.minMinutes ?? 30)) {
      throw CommonError.VALIDATION_FAILED({ fields: 'maxMinutes', errors: [{ field: 'maxMinutes', messages: ['maxMinutes must not be below minMinutes'] }] });
    }
    await this.branches.assertExist([input.branchId], 'branchId');
    const repo = this.dataSource.getRepository(Venue);
    return repo.save(repo.create({ ...input, bookableHours: input.bookableHours ?? null, accessibility: input.accessibility ?? null }));
  }

  async update(id: string, input: UpdateVenueDto): Promise<Venue> {
    checkHours(input.bookableHours);
    return this.dataSource.transaction(async (em) => {
      const venue = await em.getRepository(Venue).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!venue) throw BookingError.VENUE_NOT_FOUND({ id });
      Object.assign(venue, input);
      if (venue.maxMinutes < venue.minMinutes) {
        throw CommonError.VALIDATION_FAILED({ fields: 'maxMinutes', errors: [{ field: 'maxMinutes', messages: ['maxMinutes must not be below minMinutes'] }] });
      }
      return em.getRepository(Venue).save(venue);
    });
  }

  async get(id: string, em: EntityManager = this.dataSource.manager): Promise<Venue> {
    const venue = await em.getRepository(Venue).findOneBy({ id });
    if (!venue) throw BookingError.VENUE_NOT_FOUND({ id });
    return venue;
  }

  list(filter: { branchId?: string; kind?: string }): Promise<Venue[]> {
    return this.dataSource.getRepository(Venue).find({
      where: { ...(filter.branchId ? { branchId: filter.branchId } : {}), ...(filter.kind ? { kind: filter.kind as Venue['kind'] } : {}), active: true },
      order: { name: 'ASC' },
      take: 500,
    });
  }

  /** The venue's bookable calendar: its own weekly hours if set, else the branch's; the branch's closures always apply. */
  async calendarOf(venue: Venue, range: { from: string; to: string }, em: EntityManager = this.dataSource.manager): Promise<OpeningCalendar> {
    const branch = await em.getRepository(Branch).findOneBy({ id: venue.branchId });
    if (!branch) throw NetworkError.BRANCH_NOT_FOUND({ id: venue.branchId });
    return withVenueHours(venue, await this.branches.calendarOf(branch, range, em));
  }

  /** Day by day: open intervals, taken spans (bookings, blocks, sessions) and what is free, in local time. */
  async availability(id: string, query: AvailabilityQuery) {
    const venue = await this.get(id);
    const from = DateTime.fromISO(query.from);
    const to = DateTime.fromISO(query.to ?? query.from);
    if (!from.isValid) throw NetworkError.DATE_INVALID({ field: 'from', value: query.from });
    if (!to.isValid || to < from || to.diff(from, 'days').days > 31) {
      throw NetworkError.DATE_INVALID({ field: 'to', value: query.to, reason: 'to must be on or after from, at most 31 days later' });
    }
    const calendar = await this.calendarOf(venue, { from: from.toISODate()!, to: to.toISODate()! });
    const zone = calendar.timeZone;
    const startsAt = DateTime.fromISO(from.toISODate()!, { zone }).toJSDate();
    const endsAt = DateTime.fromISO(to.toISODate()!, { zone }).plus({ days: 1 }).toJSDate();
    const taken = await this.takenSpans([id], startsAt, endsAt);
    const days = [];
    for (let d = from; d <= to; d = d.plus({ days: 1 })) days.push(dayOf(calendar, d.toISODate()!, taken));
    return { venueId: id, timeZone: zone, slotMinutes: venue.slotMinutes, days };
  }

  /**
   * Every active venue (of a branch, of a kind) that can still be booked today, with the spans a booking
   * made now could take. "Today" is each venue's branch's day in the branch's own time zone. One answer
   * instead of an availability request per venue; a handful of reads whatever the number of venues.
   */
  async freeToday(filter: VenueQuery, now: Date = new Date()): Promise<FreeTodayView> {
    const venues = await this.list(filter);
    const branches = venues.length ? await this.dataSource.getRepository(Branch).findBy({ id: In([...new Set(venues.map((v) => v.branchId))]) }) : [];
    const today = new Map(branches.map((b) => [b.id, DateTime.fromJSDate(now, { zone: b.timeZone })]));
    const dates = [...today.values()].map((local) => local.toISODate()!).sort();
    if (!dates.length) return { at: now.toISOString(), items: [] };
    const calendars = await this.branches.calendarsOf(branches, { from: dates[0], to: dates[dates.length - 1] });
    // Every zone's today lies within a day and a half of now.
    const taken = await this.takenSpans(venues.map((v) => v.id), new Date(now.getTime() - 36 * 3_600_000), new Date(now.getTime() + 36 * 3_600_000));
    const items: FreeTodayView['items'] = [];
    for (const venue of venues) {
      const local = today.get(venue.branchId)!;
      const calendar = withVenueHours(venue, calendars.get(venue.branchId)!);
      const day = dayOf(calendar, local.toISODate()!, taken.filter((b) => b.venueId === venue.id));
      const nowMinutes = local.hour * 60 + local.minute + (local.second + local.millisecond / 1000) / 60;
      const free = spansStillBookable(day.free, nowMinutes, venue);
      if (!free.length) continue;
      items.push({
        id: venue.id,
        name: venue.name,
        kind: venue.kind,
        branchId: venue.branchId,
        capacity: venue.capacity,
        requiresApproval: venue.requiresApproval,
        whoMayBook: venue.whoMayBook,
        slotMinutes: venue.slotMinutes,
        minMinutes: venue.minMinutes,
        timeZone: calendar.timeZone,
        date: day.date,
        free,
      });
    }
    return { at: now.toISOString(), items };
  }

  /** Live spans (bookings, blocks, activity sessions) of these venues overlapping [startsAt, endsAt). */
  private takenSpans(venueIds: string[], startsAt: Date, endsAt: Date): Promise<VenueBooking[]> {
    if (!venueIds.length) return Promise.resolve([]);
    return this.dataSource
      .getRepository(VenueBooking)
      .createQueryBuilder('b')
      .where('b.venueId IN (:...venueIds)', { venueIds })
      .andWhere(`b.status IN ('pending', 'confirmed', 'checked_in')`)
      .andWhere('b.startsAt < :endsAt AND b.endsAt > :startsAt', { startsAt, endsAt })
      .orderBy('b.startsAt')
      .getMany();
  }
}

/** The venue's own weekly bookable hours, if set, in place of the branch's; the branch's exceptions stay. */
function withVenueHours(venue: Venue, calendar: OpeningCalendar): OpeningCalendar {
  return venue.bookableHours ? { ...calendar, weekly: venue.bookableHours as OpeningCalendar['weekly'] } : calendar;
}

/** One local day of a venue: open intervals, taken spans (clipped to the day) and what is free, in "HH:mm". */
function dayOf(calendar: OpeningCalendar, date: string, taken: VenueBooking[]) {
  const zone = calendar.timeZone;
  const dayStart = DateTime.fromISO(date, { zone });
  const dayEnd = dayStart.plus({ days: 1 });
  const clock = (t: Date) => {
    const local = DateTime.fromJSDate(t, { zone });
    if (local < dayStart) return '00:00';
    if (local >= dayEnd) return '24:00';
    return local.toFormat('HH:mm');
  };
  const spans = taken
    .filter((b) => b.startsAt < dayEnd.toJSDate() && b.endsAt > dayStart.toJSDate())
    .map((b) => ({ from: clock(b.startsAt), to: clock(b.endsAt), kind: b.kind, status: b.status }));
  const open = dayHours(calendar, date).intervals;
  return { date, open, taken: spans, free: freeSpans(open, spans) };
}

function checkHours(hours: Array<{ weekday: number; opens: string; closes: string }> | undefined): void {
  if (!hours) return;
  const problems = validateOpeningIntervals(hours);
  if (problems.length) throw NetworkError.OPENING_HOURS_INVALID({ field: 'bookableHours', problems: problems.join('; ') });
}
