import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DateTime } from 'luxon';
import { PatronsService, StaffService } from '@lib/accounts';
import { ActivitiesService, ActivityCategory, Actor, Venue } from '@lib/booking';
import { CirculationPolicy, resolvePolicy } from '@lib/circulation';
import { Env } from '@lib/config';
import { Branch, BranchesService, OpeningCalendar } from '@lib/network';
import { PUBLIC_ACTIVITY_CATEGORY, ServiceCategory } from '@lib/services';
import { recordUsage, UsageRecord } from '@lib/stats';
import { DEMO_BRANCHES } from './demo-district';
import {
  DEMO_DOOR_COUNTERS,
  DEMO_HISTORY_DAYS,
  DEMO_HISTORY_NOTE,
  DEMO_ORDERERS,
  DEMO_PAST_ACTIVITIES,
  DEMO_PAST_ORDERS,
  DEMO_RETURN_ANYWHERE,
  HistoryItem,
  patternDates,
  planDoorCounts,
  planLoans,
  ratingOf,
} from './demo-history';
import { fitsOpenHours, instantAt, localDate, noise, pick, plusDays } from './demo-time';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** What the history is planned from, read once. */
interface HistoryContext {
  now: Date;
  branches: Map<string, Branch>;
  branchById: Map<string, Branch>;
  calendars: Map<string, OpeningCalendar>;
  /** A branch's today: the local date of `now` in the branch's own time zone. */
  today: (branchId: string) => string;
  staff: Map<string, Actor & { regionIds: string[] }>;
  patrons: Map<string, { id: string; cardNumber: string | null }>;
  regions: Map<string, { id: string; kind: string; name: string }>;
}

/** Past usage of one record kind, with the flag that tells demo history apart in the log. */
const demo = (r: UsageRecord): UsageRecord => ({ ...r, attributes: { ...(r.attributes ?? {}), demo: true } });

/**
 * Loads the demo district's recent past in ONE transaction, once: door-counter visits, loans and
 * returns, past activities with the demo residents' attendance, delivered menu services with their
 * ratings. The rows of each domain are written as its own code writes them — loans with their `loan`
 * and `return` events at the same instants, deliveries with the `service_delivered` event their
 * delivery step records — but with past times, in bulk (the use cases refuse the past, rightly).
 * Usage events go through the stats lib's `recordUsage`, so the rollup trigger counts them.
 */
@Injectable()
export class DemoHistorySeeder {
  private readonly logger = new Logger('Demo');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly branches: BranchesService,
    private readonly activities: ActivitiesService,
    private readonly staff: StaffService,
    private readonly patrons: PatronsService,
    private readonly env: Env,
  ) {}

  /** Records created (0 when the history is already there). */
  async load(now: Date): Promise<number> {
    const started = Date.now();
    const created = await this.dataSource.transaction(async (em) => {
      // Two instances starting at once: the second waits here, then finds the history present.
      await em.query(`SELECT pg_advisory_xact_lock(hashtextextended('demo:history', 0))`);
      const [present] = await em.query(`SELECT 1 FROM usage_event WHERE kind = 'visit' AND attributes @> '{"demo": true}' LIMIT 1`);
      if (present) return 0;
      // A database already in use (loans at a desk, door counts) from before the history existed: the planned
      // past would be written over real use (a copy lent twice at once, overlapping door counts), so leave it.
      const [used] = await em.query(`SELECT 1 FROM loan UNION ALL SELECT 1 FROM usage_event WHERE kind = 'visit' LIMIT 1`);
      if (used) {
        this.logger.warn('Demo history skipped: this database already has loans or door counts of its own');
        return 0;
      }
      const ctx = await this.context(em, now);
      return (await this.doorCounts(em, ctx)) + (await this.loans(em, ctx)) + (await this.pastActivities(em, ctx)) + (await this.deliveries(em, ctx));
    });
    if (created) this.logger.log(`Demo history of the last ${DEMO_HISTORY_DAYS} days loaded in ${Date.now() - started} ms (${created} records)`);
    return created;
  }

  private async context(em: EntityManager, now: Date): Promise<HistoryContext> {
    const all = await em.getRepository(Branch).find();
    const calendars = new Map<string, OpeningCalendar>();
    for (const b of all) {
      const today = localDate(now, b.timeZone);
      // A year ahead as well: due dates roll over the calendar's closures.
      calendars.set(b.id, await this.branches.calendarOf(b, { from: plusDays(today, -DEMO_HISTORY_DAYS - 2), to: plusDays(today, 400) }, em));
    }
    const branchById = new Map(all.map((b) => [b.id, b]));
    const staff = new Map<string, Actor & { regionIds: string[] }>();
    for (const username of new Set([...Object.values(DEMO_ORDERERS), ...DEMO_PAST_ACTIVITIES.map((a) => a.organiser), 'op-culture'])) {
      const found = await this.staff.findForLogin(username);
      if (found) staff.set(username, { id: found.staff.id, kind: 'staff', role: found.staff.role, branchIds: found.branchIds, regionIds: found.regionIds });
    }
    const patrons = new Map<string, { id: string; cardNumber: string | null }>();
    for (const phone of new Set([...DEMO_PAST_ACTIVITIES.flatMap((a) => a.attendees), ...DEMO_PAST_ORDERS.flatMap((o) => [...(o.attendees ?? []), ...(o.served ?? [])])])) {
      const found = await this.patrons.findForLogin(phone);
      if (found) patrons.set(phone, { id: found.patron.id, cardNumber: found.card?.number ?? null });
    }
    const regions: Array<{ id: string; code: string; kind: string; name: string }> = await em.query(`SELECT id, code, kind, name FROM region WHERE code IS NOT NULL`);
    return {
      now,
      branches: new Map(all.filter((b) => b.code).map((b) => [b.code!, b])),
      branchById,
      calendars,
      today: (branchId) => localDate(now, branchById.get(branchId)!.timeZone),
      staff,
      patrons,
      regions: new Map(regions.map((r) => [r.code, r])),
    };
  }

  /** Door counters at the library and centre buildings: one report per opening span, as `POST /api/usage/visits` takes them. */
  private async doorCounts(em: EntityManager, ctx: HistoryContext): Promise<number> {
    const records: UsageRecord[] = [];
    for (const [code, perDay] of DEMO_DOOR_COUNTERS) {
      const branch = ctx.branches.get(code);
      if (!branch) continue;
      for (const c of planDoorCounts(code, perDay, ctx.calendars.get(branch.id)!, ctx.today(branch.id))) {
        records.push(demo({ kind: 'visit', branchId: branch.id, quantity: c.count, occurredAt: c.from, attributes: { from: c.from.toISOString(), to: c.to.toISOString() } }));
      }
    }
    return record(em, records);
  }

  /**
   * Loans of the demo catalogue's copies, all returned by now (closed loans of residents who did not
   * opt into a history are anonymous: the category stays), with the usage events circulation writes:
   * `loan` at the checkout, `return` at the checkin branch, and `transit_sent`/`transit_received` for a
   * copy returned away from home.
   */
  private async loans(em: EntityManager, ctx: HistoryContext): Promise<number> {
    const items: HistoryItem[] = await em.query(
      `SELECT id, barcode, home_branch_id AS "homeBranchId", item_type AS "itemType", to_char(acquired_on, 'YYYY-MM-DD') AS "acquiredOn"
         FROM item WHERE barcode ~ '^HD[0-9]{7}$' AND status = 'available' AND current_branch_id = home_branch_id ORDER BY barcode`,
    );
    const rules = await em.getRepository(CirculationPolicy).find();
    const returnAnywhere = DEMO_RETURN_ANYWHERE.map((code) => ctx.branches.get(code)?.id).filter((id): id is string => !!id);
    const loans = items.flatMap((item) =>
      planLoans(
        item,
        ctx.calendars,
        ctx.today,
        (patronCategory) => resolvePolicy(rules, { patronCategory, itemType: item.itemType, branchId: item.homeBranchId })?.loanDays ?? 30,
        returnAnywhere,
      ),
    );
    await insertRows(em, 'loan', LOAN_COLUMNS, loans.map((l) => ({
      item_id: l.itemId, patron_category: l.patronCategory, item_type: l.itemType, checkout_branch_id: l.branchId, checkin_branch_id: l.returnBranchId,
      checked_out_at: l.checkedOutAt, due_at: l.dueAt, status: 'returned', closed_at: l.returnedAt,
    })));
    const transits = loans.filter((l) => l.transit);
    await insertRows(em, 'transit', TRANSIT_COLUMNS, transits.map((l) => ({
      item_id: l.itemId, from_branch_id: l.returnBranchId, to_branch_id: l.branchId, reason: 'return_home', sent_at: l.returnedAt, received_at: l.transit!.receivedAt,
    })));
    const records = loans.flatMap((l) => {
      const person = { itemType: l.itemType, patronCategory: l.patronCategory };
      return [
        demo({ kind: 'loan', branchId: l.branchId, occurredAt: l.checkedOutAt, ...person }),
        ...(l.transit ? [demo({ kind: 'transit_sent', branchId: l.returnBranchId, occurredAt: l.returnedAt, itemType: l.itemType, attributes: { to: l.branchId } })] : []),
        demo({ kind: 'return', branchId: l.returnBranchId, occurredAt: l.returnedAt, ...person }),
        ...(l.transit ? [demo({ kind: 'transit_received', branchId: l.branchId, occurredAt: l.transit.receivedAt, itemType: l.itemType })] : []),
      ];
    });
    return loans.length + transits.length + (await record(em, records));
  }

  /** The recurring activities of the past months (through the booking lib's createIn), with the demo residents' attendance. */
  private async pastActivities(em: EntityManager, ctx: HistoryContext): Promise<number> {
    let created = 0;
    for (const a of DEMO_PAST_ACTIVITIES) {
      const branch = ctx.branches.get(a.branch);
      const organiser = ctx.staff.get(a.organiser);
      if (!branch || !organiser) continue;
      const calendar = ctx.calendars.get(branch.id)!;
      const dates = patternDates(ctx.today(branch.id), a.weekday, a.everyDays).filter((d) => fitsOpenHours(calendar, d, a.at, a.minutes));
      if (!dates.length) continue;
      const venue = a.venue ? await em.getRepository(Venue).findOneBy({ branchId: branch.id, name: a.venue, active: true }) : null;
      const sessions = dates.map((d) => {
        const startsAt = instantAt(d, a.at, branch.timeZone);
        return { startsAt: startsAt.toISOString(), endsAt: new Date(startsAt.getTime() + a.minutes * 60_000).toISOString(), capacity: a.capacity, ...(venue ? { venueId: venue.id } : {}) };
      });
      const activityId = await this.activities.createIn(
        em,
        { title: a.title, description: a.description, category: a.category, branchId: branch.id, ageMin: a.ageMin, ageMax: a.ageMax, perPersonQuota: Math.min(100, sessions.length), sessions },
        organiser,
      );
      // Published two weeks before its first sitting, as it would have been.
      await backdate(em, activityId, new Date(Date.parse(sessions[0].startsAt) - 14 * DAY));
      const attendees = a.attendees.map((p) => ctx.patrons.get(p)?.id).filter((id): id is string => !!id);
      created += 1 + (await this.attend(em, { id: activityId, key: a.title, category: a.category, branchId: branch.id }, attendees));
    }
    return created;
  }

  /**
   * Residents registered a few days before each session and checked in on arrival: registration rows
   * (attended) holding a seat each, and the `activity_registration` / `activity_attendance` events the
   * booking lib writes at those moments.
   */
  private async attend(em: EntityManager, activity: { id: string; key: string; category: string; branchId: string }, patronIds: string[]): Promise<number> {
    if (!patronIds.length) return 0;
    const [{ created_at: publishedAt }] = await em.query(`SELECT created_at FROM activity WHERE id = $1`, [activity.id]);
    const sessions: Array<{ id: string; starts_at: Date }> = await em.query(`SELECT id, starts_at FROM activity_session WHERE activity_id = $1 ORDER BY starts_at`, [activity.id]);
    const registrations: Array<Record<string, unknown>> = [];
    const seats: Array<Record<string, unknown>> = [];
    const records: UsageRecord[] = [];
    for (const s of sessions) {
      patronIds.forEach((patronId, i) => {
        const id = randomUUID();
        const key = `${activity.key}:${s.starts_at.toISOString()}:${i}`;
        const registeredAt = new Date(Math.max((publishedAt as Date).getTime() + HOUR, s.starts_at.getTime() - pick(`${key}:ahead`, 1, 5) * DAY));
        const checkedInAt = new Date(s.starts_at.getTime() - pick(`${key}:arrival`, 2, 25) * 60_000);
        registrations.push({ id, session_id: s.id, patron_id: patronId, status: 'attended', created_at: registeredAt, confirmed_at: registeredAt, checked_in_at: checkedInAt });
        seats.push({ session_id: s.id, seat_no: i + 1, registration_id: id });
        records.push(
          demo({ kind: 'activity_registration', branchId: activity.branchId, occurredAt: registeredAt, attributes: { category: activity.category, waitlisted: false } }),
          demo({ kind: 'activity_attendance', branchId: activity.branchId, occurredAt: checkedInAt, attributes: { category: activity.category } }),
        );
      });
    }
    await insertRows(em, 'registration', REGISTRATION_COLUMNS, registrations);
    await em.query(
      `UPDATE session_seat x SET registration_id = s.registration_id
         FROM jsonb_to_recordset($1::jsonb) AS s(session_id uuid, seat_no int, registration_id uuid)
        WHERE x.session_id = s.session_id AND x.seat_no = s.seat_no`,
      [JSON.stringify(seats)],
    );
    await record(em, records);
    return registrations.length;
  }

  /**
   * Menu services ordered by communities and villages and delivered over the past months, each with
   * the steps its order went through (submitted → accepted → scheduled → delivered, and for those more
   * than a few days old confirmed and evaluated), the public activity its scheduling created, the
   * `service_delivered` event its delivery recorded, and the ratings given afterwards.
   */
  private async deliveries(em: EntityManager, ctx: HistoryContext): Promise<number> {
    const items: MenuItem[] = await em.query(`SELECT * FROM service_item WHERE status = 'published' AND title = ANY($1)`, [DEMO_PAST_ORDERS.map((o) => o.item)]);
    const operators = new Map([...ctx.staff.values()].map((s) => [s.id, s]));
    const districtToday = localDate(ctx.now, this.env.TIME_ZONE);
    const used = new Map<string, number>();
    const rows = { orders: [] as Row[], steps: [] as Row[], ratings: [] as Row[], served: [] as Row[], records: [] as UsageRecord[] };
    let created = 0;
    for (const pattern of DEMO_PAST_ORDERS) {
      const item = items.find((i) => i.title === pattern.item);
      const operator = item && operators.get(item.operator_id);
      if (!item || !operator) continue;
      for (const [k, date] of patternDates(districtToday, pattern.weekday, pattern.everyDays).entries()) {
        const d = this.planDelivery(ctx, item, pattern, k, date, districtToday);
        if (!d) continue;
        // Every month keeps at least one delivery free for live orders.
        const monthKey = `${item.id}|${d.month}`;
        if ((used.get(monthKey) ?? 0) + 1 >= item.monthly_capacity) continue;
        used.set(monthKey, (used.get(monthKey) ?? 0) + 1);
        let activityId: string | null = null;
        if (d.category) {
          activityId = await this.scheduledActivity(em, item, d, operator);
          created += 1 + (await this.attend(em, { id: activityId, key: d.key, category: d.category, branchId: d.host.id }, d.attendees));
        }
        this.deliveryRows(rows, item, d, operator, activityId);
      }
    }
    await insertRows(em, 'service_order', ORDER_COLUMNS, rows.orders);
    await insertRows(em, 'service_order_event', ORDER_EVENT_COLUMNS, rows.steps);
    await insertRows(em, 'service_rating', RATING_COLUMNS, rows.ratings);
    await insertRows(em, 'service_order_served', SERVED_COLUMNS, rows.served);
    return created + rows.orders.length + rows.steps.length + rows.ratings.length + rows.served.length + (await record(em, rows.records));
  }

  /**
   * One delivery of a standing order: where (the community's service point hosts a public activity,
   * as the scheduling step picks it; else the provider), when each step happened, who came. Null when
   * it would not be over by now or the demo lacks the region or its orderer.
   */
  private planDelivery(ctx: HistoryContext, item: MenuItem, pattern: (typeof DEMO_PAST_ORDERS)[number], k: number, date: string, districtToday: string): PlannedDelivery | null {
    const regionCode = pattern.regions[k % pattern.regions.length];
    const region = ctx.regions.get(regionCode);
    const orderer = ctx.staff.get(DEMO_ORDERERS[regionCode]);
    const provider = item.provider_branch_id ? ctx.branchById.get(item.provider_branch_id) : undefined;
    const hostCode = DEMO_BRANCHES.find((b) => b.level === 'service_point' && b.kind !== 'mobile' && b.region === regionCode)?.code;
    const host = (hostCode ? ctx.branches.get(hostCode) : undefined) ?? provider;
    if (!region || !orderer || !host) return null;
    // The delivery's key for its deterministic figures (ids are random, figures are not).
    const key = `${item.title}:${date}`;
    const startsAt = instantAt(date, pattern.at, host.timeZone);
    const endsAt = new Date(startsAt.getTime() + item.duration_minutes * 60_000);
    const deliveredAt = new Date(endsAt.getTime() + pick(`${key}:recorded`, 30, 90) * 60_000);
    if (deliveredAt >= ctx.now) return null;
    const placedAt = new Date(startsAt.getTime() - (item.lead_time_days + 2 + pick(`${key}:notice`, 0, 5)) * DAY - 3 * HOUR);
    const ratedAt = new Date(deliveredAt.getTime() + pick(`${key}:rated`, 20, 68) * HOUR);
    const category = PUBLIC_ACTIVITY_CATEGORY[item.category as ServiceCategory] ?? null;
    // The demo residents live in the pattern's first region: they come to (or are served at) the deliveries there.
    const residents = (phones: string[] | undefined) =>
      (k % pattern.regions.length === 0 ? (phones ?? []) : []).map((p) => ctx.patrons.get(p)?.id).filter((id): id is string => !!id);
    const attendees = category ? residents(pattern.attendees) : [];
    const served = category ? [] : residents(pattern.served);
    const expected = Math.min(item.audience_max, Math.max(item.audience_min, pattern.expectedAudience));
    return {
      key, date, region, orderer, host, provider, category, startsAt, endsAt, placedAt, deliveredAt, ratedAt, expected, attendees, served,
      month: DateTime.fromJSDate(startsAt).setZone(this.env.TIME_ZONE).startOf('month').toISODate()!,
      acceptedAt: new Date(placedAt.getTime() + 20 * HOUR),
      scheduledAt: new Date(placedAt.getTime() + 22 * HOUR),
      evaluated: date <= plusDays(districtToday, -4) && ratedAt < ctx.now,
      attendance: Math.max(attendees.length + served.length, Math.round(expected * (0.7 + 0.4 * noise(`${key}:came`)))),
      address: host.address ?? region.name,
    };
  }

  /** The public activity the scheduling step creates for a performance, lecture, screening, training or exhibition. */
  private async scheduledActivity(em: EntityManager, item: MenuItem, d: PlannedDelivery, operator: Actor): Promise<string> {
    const activityId = await this.activities.createIn(
      em,
      {
        title: item.title,
        description: [item.description, `地点 / Place: ${d.address}`].filter(Boolean).join('\n'),
        category: d.category!,
        branchId: d.host.id,
        sessions: [{ startsAt: d.startsAt.toISOString(), endsAt: d.endsAt.toISOString(), capacity: d.expected }],
      },
      operator,
    );
    await backdate(em, activityId, d.scheduledAt);
    return activityId;
  }

  /** The order, its steps, ratings, the residents named as served and the delivery's usage event. */
  private deliveryRows(rows: { orders: Row[]; steps: Row[]; ratings: Row[]; served: Row[]; records: UsageRecord[] }, item: MenuItem, d: PlannedDelivery, operator: Actor, activityId: string | null): void {
    const orderId = randomUUID();
    rows.orders.push({
      id: orderId, item_id: item.id, region_id: d.region.id, ordered_by: d.orderer.id, status: d.evaluated ? 'evaluated' : 'delivered',
      preferred_from: plusDays(d.date, -pick(`${d.key}:from`, 0, 2)), preferred_to: plusDays(d.date, 3), month: d.month, expected_audience: d.expected,
      address: d.address, notes: DEMO_HISTORY_NOTE, scheduled_starts_at: d.startsAt, scheduled_ends_at: d.endsAt, activity_id: activityId, attendance: d.attendance,
      delivered_at: d.deliveredAt, confirmed_at: d.evaluated ? d.ratedAt : null, confirmed_by: d.evaluated ? d.orderer.id : null,
      created_at: d.placedAt, updated_at: d.evaluated ? d.ratedAt : d.deliveredAt,
    });
    const step = (from: string | null, to: string, name: string, actor: Actor, at: Date, reason: string | null = null) =>
      rows.steps.push({ order_id: orderId, from_status: from, to_status: to, step: name, actor_id: actor.id, actor_role: actor.role, reason, at });
    step(null, 'submitted', 'submitted', d.orderer, d.placedAt);
    step('submitted', 'accepted', 'accepted', operator, d.acceptedAt);
    step('accepted', 'scheduled', 'scheduled', operator, d.scheduledAt);
    step('scheduled', 'delivered', 'delivered', operator, d.deliveredAt);
    if (d.evaluated) {
      const rating = ratingOf(d.key);
      // An evaluation confirms the delivery first (ServiceOrdersService.act), then moves the order.
      step('delivered', 'delivered', 'confirmed', d.orderer, d.ratedAt);
      step('delivered', 'evaluated', 'evaluated', d.orderer, d.ratedAt, rating.comment);
      rows.ratings.push({ order_id: orderId, rater_id: d.orderer.id, rater_kind: 'organizer', score: rating.score, comment: rating.comment, created_at: d.ratedAt });
      // Residents who came (checked in, or named as served) rate it too.
      [...d.attendees, ...d.served].forEach((patronId, j) => {
        const mine = ratingOf(`${d.key}:resident:${j}`);
        rows.ratings.push({ order_id: orderId, rater_id: patronId, rater_kind: 'resident', score: mine.score, comment: null, created_at: new Date(d.ratedAt.getTime() + 2 * HOUR) });
      });
    }
    for (const patronId of d.served) rows.served.push({ order_id: orderId, patron_id: patronId });
    // As the delivery step records it: where and when it happened, the audience beyond those who checked in.
    rows.records.push(
      demo({
        kind: 'service_delivered',
        branchId: activityId ? d.host.id : item.provider_branch_id,
        regionId: d.region.id,
        occurredAt: d.startsAt,
        quantity: 1,
        attributes: {
          category: item.category,
          audience: Math.max(0, d.attendance - d.attendees.length, d.served.length),
          attendance: d.attendance,
          itemId: item.id,
          orderId,
          providerKind: d.provider?.kind ?? 'organisation',
          regionKind: d.region.kind,
        },
      }),
    );
  }
}

type Row = Record<string, unknown>;

interface MenuItem {
  id: string;
  title: string;
  category: string;
  description: string | null;
  provider_branch_id: string | null;
  operator_id: string;
  duration_minutes: number;
  lead_time_days: number;
  monthly_capacity: number;
  audience_min: number;
  audience_max: number;
}

interface PlannedDelivery {
  key: string;
  date: string;
  month: string;
  region: { id: string; kind: string; name: string };
  orderer: Actor;
  host: Branch;
  provider: Branch | undefined;
  /** The public activity's category, or null for a service without one (a book delivery). */
  category: ActivityCategory | null;
  address: string;
  startsAt: Date;
  endsAt: Date;
  placedAt: Date;
  acceptedAt: Date;
  scheduledAt: Date;
  deliveredAt: Date;
  ratedAt: Date;
  evaluated: boolean;
  expected: number;
  attendance: number;
  attendees: string[];
  served: string[];
}

const LOAN_COLUMNS = {
  item_id: 'uuid', patron_category: 'varchar', item_type: 'varchar', checkout_branch_id: 'uuid', checkin_branch_id: 'uuid',
  checked_out_at: 'timestamptz', due_at: 'timestamptz', status: 'varchar', closed_at: 'timestamptz',
};
const TRANSIT_COLUMNS = { item_id: 'uuid', from_branch_id: 'uuid', to_branch_id: 'uuid', reason: 'varchar', sent_at: 'timestamptz', received_at: 'timestamptz' };
const REGISTRATION_COLUMNS = { id: 'uuid', session_id: 'uuid', patron_id: 'uuid', status: 'varchar', created_at: 'timestamptz', confirmed_at: 'timestamptz', checked_in_at: 'timestamptz' };
const ORDER_COLUMNS = {
  id: 'uuid', item_id: 'uuid', region_id: 'uuid', ordered_by: 'uuid', status: 'varchar', preferred_from: 'date', preferred_to: 'date', month: 'date',
  expected_audience: 'int', address: 'varchar', notes: 'text', scheduled_starts_at: 'timestamptz', scheduled_ends_at: 'timestamptz', activity_id: 'uuid',
  attendance: 'int', delivered_at: 'timestamptz', confirmed_at: 'timestamptz', confirmed_by: 'uuid', created_at: 'timestamptz', updated_at: 'timestamptz',
};
const ORDER_EVENT_COLUMNS = { order_id: 'uuid', from_status: 'varchar', to_status: 'varchar', step: 'varchar', actor_id: 'uuid', actor_role: 'varchar', reason: 'text', at: 'timestamptz' };
const RATING_COLUMNS = { order_id: 'uuid', rater_id: 'uuid', rater_kind: 'varchar', score: 'smallint', comment: 'text', created_at: 'timestamptz' };
const SERVED_COLUMNS = { order_id: 'uuid', patron_id: 'uuid' };

/**
 * Inserts rows in one statement, in the order given (identity columns such as an order's step ids
 * follow it). Dates go as ISO instants, which PostgreSQL reads the same in any session time zone.
 */
async function insertRows(em: EntityManager, table: string, columns: Record<string, string>, rows: Array<Record<string, unknown>>): Promise<void> {
  if (!rows.length) return;
  const names = Object.keys(columns);
  await em.query(
    `INSERT INTO ${table} (${names.join(', ')})
     SELECT ${names.join(', ')} FROM ROWS FROM (jsonb_to_recordset($1::jsonb) AS (${names.map((n) => `${n} ${columns[n]}`).join(', ')}))
       WITH ORDINALITY AS x(${names.join(', ')}, ord) ORDER BY ord`,
    [JSON.stringify(rows)],
  );
}

/** The usage events, through the stats lib (a thousand per statement). */
async function record(em: EntityManager, records: UsageRecord[]): Promise<number> {
  for (let i = 0; i < records.length; i += 1000) await recordUsage(em, ...records.slice(i, i + 1000));
  return records.length;
}

/** A past activity was published before its sessions, not today. */
async function backdate(em: EntityManager, activityId: string, at: Date): Promise<void> {
  await em.query(`UPDATE activity SET created_at = $2, updated_at = $2 WHERE id = $1`, [activityId, at]);
}
