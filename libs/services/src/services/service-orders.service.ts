import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DateTime } from 'luxon';
import { ActivitiesService, ActivityCategory, BookingError, BookingsService, Venue, VenuesService } from '@lib/booking';
import { Env } from '@lib/config';
import { isPgError, Page, PageQuery, PgErrorCode, pageWindow } from '@lib/db';
import { CommonError } from '@lib/errors';
import { NetworkError, RegionsService } from '@lib/network';
import { notify } from '@lib/notifications';
import { recordUsage } from '@lib/stats';
import { ServiceCategory, ServiceItem } from '../entities/service-item.entity';
import { OrderStatus, OrderStep, ServiceOrder, ServiceOrderEvent, ServiceRating } from '../entities/service-order.entity';
import { CreateServiceOrderDto, DeliverOrderDto, RatingDto, ScheduleOrderDto, ServiceOrderQuery } from '../dto/service-order.dto';
import { ServicesError } from '../services.errors';
import { CAPACITY_USING_STATUSES, nextOrderStatus, OrderAction, PUBLIC_ACTIVITY_CATEGORY } from '../rules/workflow';
import { monthOf } from '../rules/satisfaction';
import { invalidField, ServiceActor } from './actor';

export type ActionInput =
  | { action: 'accept'; note?: string }
  | { action: 'decline'; reason: string }
  | { action: 'schedule'; input: ScheduleOrderDto }
  | { action: 'deliver'; input: DeliverOrderDto }
  | { action: 'evaluate'; input: RatingDto }
  | { action: 'cancel'; reason: string };

/** A delivered service a resident attended or was served by (`GET /api/me/services`). */
export interface AttendedService {
  orderId: string;
  title: string;
  category: string;
  provider: string;
  startsAt: Date;
  deliveredAt: Date;
  myScore: number | null;
}

export type OrderView = Omit<ServiceOrder, 'item'> & { item: Pick<ServiceItem, 'id' | 'title' | 'category' | 'provider' | 'operatorId'>; history?: ServiceOrderEvent[] };

/**
 * 点单: communities order menu items. An order takes one of the item's monthly deliveries under the
 * item's row lock, so parallel orders never exceed the capacity; each step is one transaction that
 * locks the order, checks the move is allowed from its current state, and records who, when and why.
 */
@Injectable()
export class ServiceOrdersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly regions: RegionsService,
    private readonly venues: VenuesService,
    private readonly activities: ActivitiesService,
    private readonly bookings: BookingsService,
    private readonly env: Env,
  ) {}

  async place(input: CreateServiceOrderDto, actor: ServiceActor): Promise<OrderView> {
    return this.dataSource.transaction(async (em) => {
      const item = await em.getRepository(ServiceItem).findOne({ where: { id: input.itemId }, lock: { mode: 'pessimistic_write' } });
      if (!item || item.status === 'draft') throw ServicesError.ITEM_NOT_FOUND({ id: input.itemId, field: 'itemId' });
      if (item.status !== 'published') throw ServicesError.ITEM_NOT_ORDERABLE({ status: item.status });
      const ancestors = await this.regionChain(em, input.regionId);
      if (!(await this.servesRegion(em, actor, ancestors))) throw ServicesError.REGION_NOT_YOURS({ field: 'regionId' });
      if (!item.regionIds.some((r) => ancestors.includes(r))) throw ServicesError.ITEM_NOT_SERVING_REGION({ field: 'regionId' });
      if (input.preferredTo < input.preferredFrom) throw invalidField('preferredTo', 'preferredTo must not be before preferredFrom');
      const earliest = DateTime.now().setZone(this.env.TIME_ZONE).plus({ days: item.leadTimeDays }).toISODate()!;
      if (input.preferredFrom < earliest) throw invalidField('preferredFrom', `preferredFrom must be on or after ${earliest} (${item.leadTimeDays} days' notice)`);
      if (input.expectedAudience < item.audienceMin || input.expectedAudience > item.audienceMax) {
        throw invalidField('expectedAudience', `expectedAudience must be between ${item.audienceMin} and ${item.audienceMax}`);
      }
      if (!input.venueId && !input.address) throw invalidField('address', 'give a venueId or an address');
      if (input.venueId) await this.bookableVenue(em, input.venueId);
      const month = monthOf(input.preferredFrom);
      await this.assertMonthHasRoom(em, item, month);
      const repo = em.getRepository(ServiceOrder);
      const order = await repo.save(
        repo.create({
          itemId: item.id,
          regionId: input.regionId,
          orderedBy: actor.id,
          status: 'submitted',
          preferredFrom: input.preferredFrom,
          preferredTo: input.preferredTo,
          month,
          expectedAudience: input.expectedAudience,
          venueId: input.venueId ?? null,
          address: input.address ?? null,
          notes: input.notes ?? null,
        }),
      );
      await this.recordStep(em, order, { from: null, step: 'submitted', actor, reason: input.notes ?? null });
      await notify(em, { recipientKind: 'staff', recipientId: item.operatorId, kind: 'service_order_submitted', payload: { orderId: order.id, title: item.title, preferredFrom: order.preferredFrom } });
      return { ...order, item: summary(item) };
    });
  }

  /** One step of the workflow; an illegal move is a 409 naming the order's current state. */
  async act(id: string, step: ActionInput, actor: ServiceActor): Promise<OrderView> {
    try {
      return await this.dataSource.transaction(async (em) => {
        const order = await em.getRepository(ServiceOrder).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
        if (!order) throw ServicesError.ORDER_NOT_FOUND({ id });
        const item = await em.getRepository(ServiceItem).findOneByOrFail({ id: order.itemId });
        // 404, as GET answers: an order the actor may not see is not confirmed to exist (it names a
        // community and its plans). 403 is left for an order they see but whose step is not theirs.
        if (!(await this.maySee(em, order, item, actor))) throw ServicesError.ORDER_NOT_FOUND({ id });
        await this.assertMayAct(em, step.action, order, item, actor);
        const next = nextOrderStatus(order.status, step.action);
        if (!next) throw ServicesError.ORDER_STATE_INVALID({ status: order.status, action: step.action });
        const from = order.status;
        const previousStartsAt = order.scheduledStartsAt;
        let reason: string | null = null;
        switch (step.action) {
          case 'accept':
            reason = step.note ?? null;
            break;
          case 'decline':
          case 'cancel':
            reason = step.reason;
            await this.releasePlace(em, order, step.reason);
            break;
          case 'schedule':
            await this.schedule(em, order, item, step.input, actor);
            reason = step.input.reason ?? null;
            break;
          case 'deliver':
            await this.deliver(em, order, item, step.input);
            reason = step.input.notes ?? null;
            break;
          case 'evaluate':
            await this.rate(em, order.id, actor.id, 'organizer', step.input);
            reason = step.input.comment ?? null;
            // Rating a service says it came: an evaluation confirms the delivery if no one has yet.
            // Its status notice (below) tells both sides; no second notice for the confirmation.
            if (!order.confirmedAt) await this.recordConfirmation(em, order, item, actor, null, { notify: false });
            break;
        }
        order.status = next;
        const saved = await em.getRepository(ServiceOrder).save(order);
        const rescheduled = step.action === 'schedule' && from === 'scheduled';
        await this.recordStep(em, saved, { from, step: rescheduled ? 'rescheduled' : next, actor, reason, previousStartsAt: rescheduled ? previousStartsAt : null });
        // Both sides of the order hear of every move they did not make themselves: the item's operator and
        // the orderer. So when another organizer of the region or an admin evaluates or cancels, both are told.
        for (const recipient of new Set([item.operatorId, order.orderedBy])) {
          if (recipient === actor.id) continue;
          await notify(em, { recipientKind: 'staff', recipientId: recipient, kind: 'service_order_status', payload: { orderId: order.id, title: item.title, status: next, reason: reason ?? '' } });
        }
        return { ...saved, item: summary(item) };
      });
    } catch (e) {
      if (isPgError(e, PgErrorCode.ExclusionViolation, 'venue_booking_no_overlap')) throw BookingError.BOOKING_OVERLAP({ field: 'startsAt' });
      throw e;
    }
  }

  /**
   * 送达确认: the community says the delivered service came. Not a state of the workflow: the order stays
   * delivered, and records who confirmed and when, once. The order's row lock makes parallel confirmations
   * queue, so the first sets it and the rest find it set (409).
   */
  async confirmDelivery(id: string, note: string | undefined, actor: ServiceActor): Promise<OrderView> {
    return this.dataSource.transaction(async (em) => {
      const order = await em.getRepository(ServiceOrder).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!order) throw ServicesError.ORDER_NOT_FOUND({ id });
      const item = await em.getRepository(ServiceItem).findOneByOrFail({ id: order.itemId });
      if (!(await this.maySee(em, order, item, actor))) throw ServicesError.ORDER_NOT_FOUND({ id });
      if (!(await this.actsForCommunity(em, order, actor))) throw ServicesError.ORDER_NOT_YOURS();
      if (order.status !== 'delivered') throw ServicesError.ORDER_STATE_INVALID({ status: order.status, action: 'confirm' });
      if (order.confirmedAt) throw ServicesError.ORDER_ALREADY_CONFIRMED({ confirmedAt: order.confirmedAt.toISOString() });
      await this.recordConfirmation(em, order, item, actor, note ?? null, { notify: true });
      const saved = await em.getRepository(ServiceOrder).save(order);
      return { ...saved, item: summary(item) };
    });
  }

  /**
   * The delivered services a resident attended (checked in at their activity) or was named as served at,
   * newest delivery first, with the rating they gave, if any.
   */
  async attendedBy(patronId: string, query: PageQuery = {}): Promise<Page<AttendedService>> {
    const { skip, take, page, pageSize } = pageWindow(query);
    const mine = `SELECT o.id FROM registration g JOIN activity_session s ON s.id = g.session_id JOIN service_order o ON o.activity_id = s.activity_id
                   WHERE g.patron_id = $1 AND g.status = 'attended'
                  UNION
                  SELECT order_id FROM service_order_served WHERE patron_id = $1`;
    const delivered = `o.status IN ('delivered', 'evaluated')`;
    const [items, [{ total }]]: [AttendedService[], Array<{ total: number }>] = await Promise.all([
      this.dataSource.query(
        `SELECT o.id AS "orderId", i.title, i.category, i.provider, o.scheduled_starts_at AS "startsAt", o.delivered_at AS "deliveredAt",
                (SELECT score FROM service_rating r WHERE r.order_id = o.id AND r.rater_id = $1)::int AS "myScore"
           FROM (${mine}) m JOIN service_order o ON o.id = m.id JOIN service_item i ON i.id = o.item_id
          WHERE ${delivered}
          ORDER BY o.delivered_at DESC, o.id DESC LIMIT $2 OFFSET $3`,
        [patronId, take, skip],
      ),
      this.dataSource.query(`SELECT count(*)::int AS total FROM (${mine}) m JOIN service_order o ON o.id = m.id WHERE ${delivered}`, [patronId]),
    ]);
    return { items, total, page, pageSize };
  }

  /**
   * A resident who attended (checked in at the order's activity) or whom the operator named as served
   * rates the delivered service, once.
   */
  async rateAsResident(id: string, patronId: string, input: RatingDto): Promise<ServiceRating> {
    return this.dataSource.transaction(async (em) => {
      const order = await em.getRepository(ServiceOrder).findOneBy({ id });
      if (!order) throw ServicesError.ORDER_NOT_FOUND({ id });
      if (order.status !== 'delivered' && order.status !== 'evaluated') throw ServicesError.ORDER_STATE_INVALID({ status: order.status, action: 'rate' });
      const [attended] = await em.query(
        `SELECT 1 FROM registration r JOIN activity_session s ON s.id = r.session_id
          WHERE s.activity_id = $1 AND r.patron_id = $2 AND r.status = 'attended'
         UNION ALL
         SELECT 1 FROM service_order_served WHERE order_id = $3 AND patron_id = $2
         LIMIT 1`,
        [order.activityId, patronId, order.id],
      );
      if (!attended) throw ServicesError.RATING_NOT_ALLOWED();
      return this.rate(em, order.id, patronId, 'resident', input);
    });
  }

  async get(id: string, actor: ServiceActor): Promise<OrderView> {
    const order = await this.dataSource.getRepository(ServiceOrder).findOneBy({ id });
    if (!order) throw ServicesError.ORDER_NOT_FOUND({ id });
    const item = await this.dataSource.getRepository(ServiceItem).findOneByOrFail({ id: order.itemId });
    if (!(await this.maySee(this.dataSource.manager, order, item, actor))) throw ServicesError.ORDER_NOT_FOUND({ id });
    // In the order the steps were made: each is inserted under the order's row lock, so the identity says it.
    // `at` is the transaction's start, and a move that waited for the lock started before the one it waited for.
    const history = await this.dataSource.getRepository(ServiceOrderEvent).find({ where: { orderId: id }, order: { id: 'ASC' } });
    return { ...order, item: summary(item), history };
  }

  /** Operators see orders of their items; organizers those for their regions; librarians their own; admins all. */
  async list(query: ServiceOrderQuery, actor: ServiceActor): Promise<Page<OrderView>> {
    const { skip, take, page, pageSize } = pageWindow(query);
    const qb = this.dataSource
      .getRepository(ServiceOrder)
      .createQueryBuilder('o')
      .innerJoinAndMapOne('o.item', ServiceItem, 'i', 'i.id = o.itemId')
      .orderBy('o.createdAt', 'DESC')
      .addOrderBy('o.id')
      .skip(skip)
      .take(take);
    if (actor.role === 'operator') qb.andWhere('i.operatorId = :me', { me: actor.id });
    if (actor.role === 'librarian') qb.andWhere('o.orderedBy = :me', { me: actor.id });
    if (actor.role === 'organizer') {
      const served = (await Promise.all(actor.regionIds.map((r) => this.regions.subtreeIds(r)))).flat();
      qb.andWhere('(o.regionId = ANY(:served::uuid[]) OR o.orderedBy = :me)', { served, me: actor.id });
    }
    if (query.status) qb.andWhere('o.status = :status', { status: query.status });
    if (query.itemId) qb.andWhere('o.itemId = :itemId', { itemId: query.itemId });
    if (query.regionId) {
      const within = await this.regions.subtreeIds(query.regionId);
      if (!within.length) throw NetworkError.REGION_NOT_FOUND({ id: query.regionId, field: 'regionId' });
      qb.andWhere('o.regionId = ANY(:within::uuid[])', { within });
    }
    const [rows, total] = await qb.getManyAndCount();
    return { items: rows.map((o) => ({ ...o, item: summary((o as unknown as { item: ServiceItem }).item) })), total, page, pageSize };
  }

  private async schedule(em: EntityManager, order: ServiceOrder, item: ServiceItem, input: ScheduleOrderDto, actor: ServiceActor): Promise<void> {
    const startsAt = new Date(input.startsAt);
    const endsAt = new Date(input.endsAt);
    if (startsAt.getTime() <= Date.now()) throw invalidField('startsAt', 'startsAt must be in the future');
    if (!(startsAt < endsAt)) throw invalidField('endsAt', 'endsAt must be after startsAt');
    const venueId = input.venueId ?? order.venueId ?? undefined;
    // Checked for every category, with or without a public activity: a place that does not exist is a 400.
    const venue = venueId ? await this.bookableVenue(em, venueId) : null;
    const month = DateTime.fromJSDate(startsAt).setZone(this.env.TIME_ZONE).startOf('month').toISODate()!;
    if (month !== order.month) {
      // Moving to another month takes a delivery of that month's capacity (and frees the old one's).
      await em.query(`SELECT 1 FROM service_item WHERE id = $1 FOR UPDATE`, [item.id]);
      await this.assertMonthHasRoom(em, item, month, order.id);
      order.month = month;
    }
    // A new date calls off the activity of the old one (registrants are told why) and lets its venue go.
    await this.releasePlace(em, order, input.reason ?? '改期 / Rescheduled');
    order.activityId = null;
    order.venueBookingId = null;
    const address = input.address ?? order.address;
    order.venueId = venueId ?? null;
    order.address = address;
    order.scheduledStartsAt = startsAt;
    order.scheduledEndsAt = endsAt;
    const category = PUBLIC_ACTIVITY_CATEGORY[item.category];
    if (!category) {
      // No public activity (book delivery, home visit): the venue, if any, is held for the order itself.
      if (venue) {
        const held = await this.bookings.reserveIn(em, { venueId: venue.id, startsAt, endsAt, staffId: actor.kind === 'staff' ? actor.id : null, purpose: item.title });
        order.venueBookingId = held.id;
      }
      return;
    }
    const branchId = venue ? venue.branchId : await this.hostBranch(em, order, input.branchId, item);
    order.activityId = await this.activities.createIn(
      em,
      {
        title: item.title,
        description: [item.description, address ? `地点 / Place: ${address}` : null].filter(Boolean).join('\n') || undefined,
        category,
        branchId,
        sessions: [{ startsAt: input.startsAt, endsAt: input.endsAt, capacity: input.seats ?? order.expectedAudience, ...(venueId ? { venueId } : {}) }],
      },
      { id: actor.id, kind: 'staff', role: actor.role, branchIds: actor.branchIds },
    );
  }

  /**
   * Calls off the order's public activity (releasing its venue) or releases the venue held for it.
   * The ids stay on a cancelled or declined order as a record; a reschedule replaces them.
   */
  private async releasePlace(em: EntityManager, order: ServiceOrder, reason: string): Promise<void> {
    if (order.activityId) await this.activities.cancelIn(em, order.activityId, reason);
    if (order.venueBookingId) await this.bookings.releaseIn(em, order.venueBookingId, reason);
  }

  /** A venue that exists (else a 400 naming venueId) and takes bookings. */
  private async bookableVenue(em: EntityManager, venueId: string): Promise<Venue> {
    const venue = await this.venues.get(venueId, em).catch(() => null);
    if (!venue) throw CommonError.REFERENCE_NOT_FOUND({ field: 'venueId' });
    if (!venue.active) throw BookingError.VENUE_NOT_BOOKABLE({ field: 'venueId' });
    return venue;
  }

  private async deliver(em: EntityManager, order: ServiceOrder, item: ServiceItem, input: DeliverOrderDto): Promise<void> {
    // Attendance can only be told once the service has begun.
    if (!order.scheduledStartsAt || order.scheduledStartsAt.getTime() > Date.now()) {
      throw ServicesError.ORDER_NOT_STARTED({ startsAt: order.scheduledStartsAt?.toISOString() ?? null });
    }
    const served = await this.servedPatrons(em, input.servedCardNumbers ?? []);
    if (input.attendance < served.length) {
      throw invalidField('attendance', `attendance must count the ${served.length} residents named as served`);
    }
    order.attendance = input.attendance;
    order.deliveryNotes = input.notes ?? null;
    order.photoUrls = input.photoUrls ?? [];
    order.deliveredAt = new Date();
    const [host] = order.activityId ? await em.query(`SELECT branch_id FROM activity WHERE id = $1`, [order.activityId]) : [];
    const [provider] = item.providerBranchId ? await em.query(`SELECT kind FROM branch WHERE id = $1`, [item.providerBranchId]) : [];
    const [region] = await em.query(`SELECT kind FROM region WHERE id = $1`, [order.regionId]);
    if (served.length) {
      await em.query(
        `INSERT INTO service_order_served (order_id, patron_id) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING`,
        [order.id, served],
      );
    }
    // Residents who checked in at the order's activity are already counted as attendance; the audience
    // adds only those beyond them (walk-ins), so participants are never counted twice. Residents named as
    // served are people who came like any walk-in (nothing else counts them): the audience holds at least
    // those of them who did not also check in.
    const [{ checked_in: checkedIn, served_only: servedOnly }] = await em.query(
      `SELECT (SELECT count(*)::int FROM registration r JOIN activity_session s ON s.id = r.session_id WHERE s.activity_id = $1 AND r.status = 'attended') AS checked_in,
              (SELECT count(*)::int FROM unnest($2::uuid[]) AS p(id)
                WHERE NOT EXISTS (SELECT 1 FROM registration r JOIN activity_session s ON s.id = r.session_id
                                   WHERE s.activity_id = $1 AND r.patron_id = p.id AND r.status = 'attended')) AS served_only`,
      [order.activityId, served],
    );
    // Counted where and when it happened (the community, the scheduled start), for the outreach, touring and per-village indicators.
    await recordUsage(em, {
      kind: 'service_delivered',
      branchId: host?.branch_id ?? item.providerBranchId,
      regionId: order.regionId,
      occurredAt: order.scheduledStartsAt,
      quantity: 1,
      attributes: {
        category: item.category,
        audience: Math.max(0, input.attendance - checkedIn, servedOnly),
        attendance: input.attendance,
        itemId: item.id,
        orderId: order.id,
        providerKind: provider?.kind ?? 'organisation',
        regionKind: region?.kind,
      },
    });
  }

  /**
   * The residents named as served, by card number: each an active card, else a 400 naming every entry
   * that is not (`servedCardNumbers.<index>`); a number given twice counts once. Returns patron ids.
   */
  private async servedPatrons(em: EntityManager, cardNumbers: string[]): Promise<string[]> {
    if (!cardNumbers.length) return [];
    const numbers = cardNumbers.map((n) => n.trim());
    const rows: Array<{ number: string; patron_id: string }> = await em.query(
      `SELECT number, patron_id FROM card WHERE number = ANY($1::varchar[]) AND status = 'active'`,
      [[...new Set(numbers)]],
    );
    const patronOf = new Map(rows.map((r) => [r.number, r.patron_id]));
    // The numbers themselves are not echoed back: the error names the entries only.
    const errors = numbers.flatMap((n, i) =>
      patronOf.has(n) ? [] : [{ field: `servedCardNumbers.${i}`, messages: [`servedCardNumbers.${i} is not an active reader card`] }],
    );
    if (errors.length) throw CommonError.VALIDATION_FAILED({ fields: errors.map((e) => e.field).join(', '), errors });
    return [...new Set(numbers.map((n) => patronOf.get(n)!))];
  }

  private async rate(em: EntityManager, orderId: string, raterId: string, raterKind: 'organizer' | 'resident', input: RatingDto): Promise<ServiceRating> {
    const inserted: ServiceRating[] = await em.query(
      `INSERT INTO service_rating (order_id, rater_id, rater_kind, score, comment) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT DO NOTHING RETURNING order_id AS "orderId", rater_id AS "raterId", rater_kind AS "raterKind", score, comment, created_at AS "createdAt"`,
      [orderId, raterId, raterKind, input.score, input.comment ?? null],
    );
    if (!inserted.length) throw ServicesError.ALREADY_RATED();
    return inserted[0];
  }

  /** Sets the confirmation on the (locked) order, records the step and tells the operator. */
  private async recordConfirmation(
    em: EntityManager,
    order: ServiceOrder,
    item: ServiceItem,
    actor: ServiceActor,
    note: string | null,
    options: { notify: boolean },
  ): Promise<void> {
    // The transaction's clock, as the history row's `at`: the order and its history tell the same time.
    const [{ now }]: Array<{ now: Date }> = await em.query(`SELECT now() AS now`);
    order.confirmedAt = now;
    order.confirmedBy = actor.id;
    await this.recordStep(em, order, { from: order.status, step: 'confirmed', actor, reason: note });
    if (!options.notify) return;
    // As every other move: both sides hear of it unless they made it (an admin or another organizer may confirm).
    for (const recipient of new Set([item.operatorId, order.orderedBy])) {
      if (recipient === actor.id) continue;
      await notify(em, { recipientKind: 'staff', recipientId: recipient, kind: 'service_order_confirmed', payload: { orderId: order.id, title: item.title, note: note ?? '' } });
    }
  }

  /** The orderer, an organizer serving the order's region, or an admin: those who speak for the community. */
  private async actsForCommunity(em: EntityManager, order: ServiceOrder, actor: ServiceActor): Promise<boolean> {
    if (actor.role === 'admin' || actor.id === order.orderedBy) return true;
    return actor.role === 'organizer' && this.servesRegion(em, actor, await this.regionChain(em, order.regionId));
  }

  private async assertMayAct(em: EntityManager, action: OrderAction, order: ServiceOrder, item: ServiceItem, actor: ServiceActor): Promise<void> {
    if (actor.role === 'admin') return;
    const owns = actor.role === 'operator' && item.operatorId === actor.id;
    const community = await this.actsForCommunity(em, order, actor);
    const allowed = action === 'evaluate' ? community : action === 'cancel' ? owns || community : owns;
    if (!allowed) throw action === 'evaluate' ? ServicesError.ORDER_NOT_YOURS() : ServicesError.ITEM_NOT_YOURS();
  }

  private async maySee(em: EntityManager, order: ServiceOrder, item: ServiceItem, actor: ServiceActor): Promise<boolean> {
    if (actor.role === 'admin' || order.orderedBy === actor.id) return true;
    if (actor.role === 'operator') return item.operatorId === actor.id;
    if (actor.role === 'organizer') return this.servesRegion(em, actor, await this.regionChain(em, order.regionId));
    return false;
  }

  /** The region and those above it; a 400 naming regionId when it does not exist. */
  private async regionChain(em: EntityManager, regionId: string): Promise<string[]> {
    const chain = await this.regions.ancestorIds(regionId, em);
    if (!chain.length) throw CommonError.REFERENCE_NOT_FOUND({ field: 'regionId' });
    return chain;
  }

  /** Organizers serve their regions and everything under them; librarians their branches' regions; admins all. */
  private async servesRegion(em: EntityManager, actor: ServiceActor, chain: string[]): Promise<boolean> {
    if (actor.role === 'admin') return true;
    if (actor.role === 'organizer') return actor.regionIds.some((r) => chain.includes(r));
    if (actor.role === 'librarian') {
      const rows: Array<{ region_id: string }> = await em.query(`SELECT region_id FROM branch WHERE id = ANY($1::uuid[])`, [actor.branchIds]);
      return rows.some((r) => chain.includes(r.region_id));
    }
    return false;
  }

  /** Called under the item's row lock: the month's orders (this one aside) stay below the capacity. */
  private async assertMonthHasRoom(em: EntityManager, item: ServiceItem, month: string, exceptOrderId?: string): Promise<void> {
    const [{ used }] = await em.query(
      `SELECT count(*)::int AS used FROM service_order WHERE item_id = $1 AND month = $2 AND status = ANY($3) AND id IS DISTINCT FROM $4`,
      [item.id, month, CAPACITY_USING_STATUSES, exceptOrderId ?? null],
    );
    if (used >= item.monthlyCapacity) throw ServicesError.MONTH_FULL({ month: month.slice(0, 7), capacity: item.monthlyCapacity });
  }

  /** Where a public activity without a venue is held: the branch given, a service point in the community, or the provider. */
  private async hostBranch(em: EntityManager, order: ServiceOrder, branchId: string | undefined, item: ServiceItem): Promise<string> {
    if (branchId) return branchId;
    const [local] = await em.query(
      `SELECT id FROM branch WHERE region_id = ANY($1::uuid[]) ORDER BY CASE level WHEN 'service_point' THEN 0 WHEN 'branch' THEN 1 ELSE 2 END, id LIMIT 1`,
      [await this.regions.subtreeIds(order.regionId, em)],
    );
    const host = (local?.id as string | undefined) ?? item.providerBranchId;
    if (!host) throw invalidField('branchId', 'branchId is required: no branch in the community hosts the activity');
    return host;
  }

  private async recordStep(
    em: EntityManager,
    order: ServiceOrder,
    e: { from: OrderStatus | null; step: OrderStep; actor: ServiceActor; reason: string | null; previousStartsAt?: Date | null },
  ): Promise<void> {
    await em.getRepository(ServiceOrderEvent).insert({
      orderId: order.id,
      fromStatus: e.from,
      toStatus: order.status,
      step: e.step,
      actorId: e.actor.id,
      actorRole: e.actor.role,
      reason: e.reason,
      previousStartsAt: e.previousStartsAt ?? null,
    });
  }
}

function summary(item: ServiceItem): OrderView['item'] {
  return { id: item.id, title: item.title, category: item.category, provider: item.provider, operatorId: item.operatorId };
}
