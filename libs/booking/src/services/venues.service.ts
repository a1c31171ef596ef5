import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DateTime } from 'luxon';
import { Branch, BranchesService, dayHours, OpeningCalendar, validateOpeningIntervals, NetworkError } from '@lib/network';
import { CommonError } from '@lib/errors';
import { Venue } from '../entities/venue.entity';
import { VenueBooking } from '../entities/venue-booking.entity';
import { AvailabilityQuery, CreateVenueDto, UpdateVenueDto } from '../dto/venue.dto';
import { BookingError } from '../booking.errors';
import { freeSpans } from '../rules/booking-window';

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
    const calendar = await this.branches.calendarOf(branch, range, em);
    return venue.bookableHours ? { ...calendar, weekly: venue.bookableHours as OpeningCalendar['weekly'] } : calendar;
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
    const taken = await this.dataSource
      .getRepository(VenueBooking)
      .createQueryBuilder('b')
      .where('b.venueId = :id', { id })
      .andWhere(`b.status IN ('pending', 'confirmed', 'checked_in')`)
      .andWhere('b.startsAt < :endsAt AND b.endsAt > :startsAt', { startsAt, endsAt })
      .orderBy('b.startsAt')
      .getMany();
    const days = [];
    for (let d = from; d <= to; d = d.plus({ days: 1 })) {
      const date = d.toISODate()!;
      const dayStart = DateTime.fromISO(date, { zone });
      const clock = (t: Date) => {
        const local = DateTime.fromJSDate(t, { zone });
        if (local < dayStart) return '00:00';
        if (local >= dayStart.plus({ days: 1 })) return '24:00';
        return local.toFormat('HH:mm');
      };
      const spans = taken
        .filter((b) => b.startsAt < dayStart.plus({ days: 1 }).toJSDate() && b.endsAt > dayStart.toJSDate())
        .map((b) => ({ from: clock(b.startsAt), to: clock(b.endsAt), kind: b.kind, status: b.status }));
      const open = dayHours(calendar, date).intervals;
      days.push({ date, open, taken: spans, free: freeSpans(open, spans) });
    }
    return { venueId: id, timeZone: zone, slotMinutes: venue.slotMinutes, days };
  }
}

function checkHours(hours: Array<{ weekday: number; opens: string; closes: string }> | undefined): void {
  if (!hours) return;
  const problems = validateOpeningIntervals(hours);
  if (problems.length) throw NetworkError.OPENING_HOURS_INVALID({ field: 'bookableHours', problems: problems.join('; ') });
}
