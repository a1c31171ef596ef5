import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DateTime } from 'luxon';
import { Env } from '@lib/config';
import { Facts } from '../rules/formulas';
import { resolvePopulation } from '../rules/population';

/** Where the facts are gathered: a region with everything under it, or one branch. */
export type Scope = { regionId: string; exact?: boolean } | { branchId: string };

interface Flow {
  loans: number;
  visits: number;
  participants: number;
  deliveries: Facts['deliveries'];
}

const FLOW_KINDS = ['loan', 'visit', 'activity_attendance', 'venue_checkin', 'service_delivered'];
/** Branches whose visits are library visits: libraries, integrated centres (with a reading room), service points, the mobile library. */
const LIBRARY_NETWORK_KINDS = ['library', 'integrated_centre', 'service_point', 'mobile'];

/**
 * Reads what the indicators need: flows (loans, visits, deliveries) from the daily rollups — never the
 * raw log, so the cost does not grow with it — and stock and structure (copies, branches, venues, staff,
 * regions) from the other domains' tables, read-only.
 */
@Injectable()
export class IndicatorFactsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly env: Env,
  ) {}

  /** Facts for each of the given years (structure as it is now; flows and stock per year). */
  async factsForYears(scope: Scope, years: number[]): Promise<Map<number, Facts>> {
    const area = await this.area(scope);
    const [structure, flows, stock, populations, ratings] = await Promise.all([
      this.structure(area),
      this.flowsByPeriod(area, `${Math.min(...years)}-01-01`, `${Math.max(...years)}-12-01`, 'year'),
      this.stock(area, years),
      'regionId' in scope && !scope.exact ? this.populations(scope.regionId, years) : Promise.resolve(new Map<number, number>()),
      this.ratings(area, years),
    ]);
    const out = new Map<number, Facts>();
    for (const year of years) {
      const flow = flows.get(String(year)) ?? emptyFlow();
      out.set(year, {
        ...structure,
        ...flow,
        population: populations.get(year) ?? null,
        months: this.monthsBegun(year),
        itemsHeld: stock.get(year)?.held ?? 0,
        itemsAdded: stock.get(year)?.added ?? 0,
        ratings: ratings.get(year) ?? { count: 0, high: 0 },
      });
    }
    return out;
  }

  /** The year's facts with the flows of each month in place of the year's (a month's contribution). */
  async factsByMonth(scope: Scope, year: number): Promise<Array<{ month: string; facts: Facts }>> {
    const [base] = [...(await this.factsForYears(scope, [year])).values()];
    const flows = await this.flowsByPeriod(await this.area(scope), `${year}-01-01`, `${year}-12-01`, 'month');
    return Array.from({ length: 12 }, (_, i) => {
      const month = `${year}-${String(i + 1).padStart(2, '0')}`;
      return { month, facts: { ...base, ...(flows.get(month) ?? emptyFlow()), months: 1 } };
    });
  }

  async childRegions(regionId: string): Promise<Array<{ id: string; name: string }>> {
    return this.dataSource.query(`SELECT id, name FROM region WHERE parent_id = $1 ORDER BY code NULLS LAST, name`, [regionId]);
  }

  async branchesIn(regionId: string): Promise<Array<{ id: string; name: string }>> {
    const area = await this.area({ regionId });
    return this.dataSource.query(`SELECT id, name FROM branch WHERE id = ANY($1::uuid[]) ORDER BY level, code NULLS LAST, name`, [area.branchIds]);
  }

  private monthsBegun(year: number): number {
    const now = DateTime.now().setZone(this.env.TIME_ZONE);
    return year < now.year ? 12 : year === now.year ? now.month : 0;
  }

  private async area(scope: Scope): Promise<{ regions: Array<{ id: string; kind: string; parent_id: string | null }>; regionIds: string[]; branchIds: string[]; branchScoped: boolean }> {
    if ('branchId' in scope) {
      const [b] = await this.dataSource.query(`SELECT region_id FROM branch WHERE id = $1`, [scope.branchId]);
      return { regions: [], regionIds: b ? [b.region_id] : [], branchIds: [scope.branchId], branchScoped: true };
    }
    // exact: the region's own branches and events only, not those of the regions under it.
    const regions: Array<{ id: string; kind: string; parent_id: string | null }> = await this.dataSource.query(
      scope.exact
        ? `SELECT id, kind, parent_id FROM region WHERE id = $1`
        : `WITH RECURSIVE tree AS (SELECT id, kind, parent_id FROM region WHERE id = $1 UNION ALL SELECT r.id, r.kind, r.parent_id FROM region r JOIN tree t ON r.parent_id = t.id)
       SELECT * FROM tree`,
      [scope.regionId],
    );
    const regionIds = regions.map((r) => r.id);
    const branches: Array<{ id: string }> = await this.dataSource.query(`SELECT id FROM branch WHERE region_id = ANY($1::uuid[])`, [regionIds]);
    return { regions, regionIds, branchIds: branches.map((b) => b.id), branchScoped: false };
  }

  private async structure(area: Awaited<ReturnType<IndicatorFactsService['area']>>): Promise<Pick<Facts, 'branches' | 'eReadingRoomHours' | 'subdistricts' | 'communities' | 'villages' | 'standards'>> {
    const [branches, eReading, organizers] = await Promise.all([
      this.dataSource.query(
        `SELECT b.id, b.kind, b.level, b.region_id, b.floor_area::float AS floor_area, b.shared_circulation,
                coalesce((SELECT sum(extract(epoch FROM h.closes - h.opens)) / 3600 FROM branch_weekly_hours h WHERE h.branch_id = b.id), 0)::float AS weekly_hours,
                (SELECT count(*)::int FROM staff_branch sb JOIN staff s ON s.id = sb.staff_id WHERE sb.branch_id = b.id AND s.active AND s.role IN ('librarian', 'operator')) AS staff
           FROM branch b WHERE b.id = ANY($1::uuid[])`,
        [area.branchIds],
      ),
      this.dataSource.query(
        `SELECT v.id, b.kind AS branch_kind, b.region_id, v.bookable_hours,
                coalesce((SELECT sum(extract(epoch FROM h.closes - h.opens)) / 3600 FROM branch_weekly_hours h WHERE h.branch_id = b.id), 0)::float AS branch_hours
           FROM venue v JOIN branch b ON b.id = v.branch_id WHERE v.kind = 'e_reading_room' AND v.active AND b.id = ANY($1::uuid[])`,
        [area.branchIds],
      ),
      this.dataSource.query(
        `SELECT sr.region_id, count(*)::int AS n FROM staff_region sr JOIN staff s ON s.id = sr.staff_id
          WHERE s.active AND s.role = 'organizer' AND sr.region_id = ANY($1::uuid[]) GROUP BY sr.region_id`,
        [area.regionIds],
      ),
    ]);
    const parent = new Map(area.regions.map((r) => [r.id, r.parent_id]));
    const kind = new Map(area.regions.map((r) => [r.id, r.kind]));
    /** The region itself and those above it, within the area. */
    const upwards = (id: string | null): string[] => (id && kind.has(id) ? [id, ...upwards(parent.get(id) ?? null)] : []);
    const withEReading = new Set((eReading as Array<{ region_id: string }>).flatMap((v) => upwards(v.region_id)));
    const withServicePoint = new Set((branches as Array<{ level: string; region_id: string }>).filter((b) => b.level === 'service_point').map((b) => b.region_id));
    const communities = area.regions.filter((r) => r.kind === 'community' || r.kind === 'village');
    const subdistricts = area.regions.filter((r) => r.kind === 'subdistrict');
    const hoursOf = (spans: Array<{ opens: string; closes: string }> | null, fallback: number) =>
      spans?.length ? spans.reduce((a, s) => a + (minutes(s.closes) - minutes(s.opens)) / 60, 0) : fallback;
    return {
      branches: (branches as Array<Record<string, unknown>>).map((b) => ({
        kind: b.kind as string,
        level: b.level as string,
        floorArea: b.floor_area as number | null,
        sharedCirculation: b.shared_circulation as boolean,
        weeklyHours: Math.round((b.weekly_hours as number) * 100) / 100,
        staff: b.staff as number,
      })),
      eReadingRoomHours: (eReading as Array<{ branch_kind: string; bookable_hours: Array<{ opens: string; closes: string }> | null; branch_hours: number }>)
        .filter((v) => v.branch_kind === 'library')
        .map((v) => Math.round(hoursOf(v.bookable_hours, v.branch_hours) * 100) / 100),
      subdistricts: { count: subdistricts.length, withEReading: subdistricts.filter((r) => withEReading.has(r.id)).length },
      communities: {
        count: communities.length,
        withServicePoint: communities.filter((r) => withServicePoint.has(r.id)).length,
        withEReading: communities.filter((r) => withEReading.has(r.id)).length,
        organizerSeats: (organizers as Array<{ region_id: string; n: number }>).filter((o) => communities.some((c) => c.id === o.region_id)).reduce((a, o) => a + o.n, 0),
      },
      villages: area.regions.filter((r) => r.kind === 'village').length,
      standards: { subdistrictCentreArea: this.env.SUBDISTRICT_CENTRE_MIN_AREA, communityCentreArea: this.env.COMMUNITY_CENTRE_MIN_AREA },
    };
  }

  /** Flows per year or month from the monthly rollups: by branch for a branch, by region (where it counted) for a region. */
  private async flowsByPeriod(area: Awaited<ReturnType<IndicatorFactsService['area']>>, from: string, to: string, per: 'year' | 'month'): Promise<Map<string, Flow>> {
    const rows: Array<{ period: string; branch_id: string | null; branch_kind: string | null; kind: string; category: string; provider_kind: string; region_kind: string | null; quantity: string; events: string; audience: string }> =
      await this.dataSource.query(
        `SELECT to_char(d.month, $5) AS period, d.branch_id, b.kind AS branch_kind, d.kind, d.category, d.provider_kind, r.kind AS region_kind,
                sum(d.quantity) AS quantity, sum(d.events) AS events, sum(d.audience) AS audience
           FROM usage_monthly d LEFT JOIN region r ON r.id = d.region_id LEFT JOIN branch b ON b.id = d.branch_id
          WHERE d.month BETWEEN $1::date AND $2::date AND d.kind = ANY($3)
            AND ${area.branchScoped ? 'd.branch_id = ANY($4::uuid[])' : 'd.region_id = ANY($4::uuid[])'}
          GROUP BY 1, 2, 3, 4, 5, 6, 7`,
        [from, to, FLOW_KINDS, area.branchScoped ? area.branchIds : area.regionIds, per === 'year' ? 'YYYY' : 'YYYY-MM'],
      );
    const out = new Map<string, Flow>();
    // Library visits per branch and period: the door count where there is one, else the check-ins
    // (someone checking in also passed the door: never both). Cultural centres are not library visits.
    const visits = new Map<string, { door: number; checkins: number }>();
    for (const r of rows) {
      const flow = out.get(r.period) ?? emptyFlow();
      const quantity = Number(r.quantity);
      if (r.kind === 'loan') flow.loans += quantity;
      if ((r.kind === 'visit' || r.kind === 'activity_attendance' || r.kind === 'venue_checkin') && LIBRARY_NETWORK_KINDS.includes(r.branch_kind ?? '')) {
        const key = `${r.period}|${r.branch_id}`;
        const v = visits.get(key) ?? { door: 0, checkins: 0 };
        if (r.kind === 'visit') v.door += quantity;
        else v.checkins += quantity;
        visits.set(key, v);
      }
      if (r.kind === 'activity_attendance') flow.participants += quantity;
      if (r.kind === 'service_delivered') {
        flow.participants += Number(r.audience);
        flow.deliveries.push({ category: r.category, providerKind: r.provider_kind, regionKind: r.region_kind ?? '', count: Number(r.events) });
      }
      out.set(r.period, flow);
    }
    for (const [key, v] of visits) {
      const period = key.split('|')[0];
      const flow = out.get(period)!;
      flow.visits += v.door > 0 ? v.door : v.checkins;
    }
    return out;
  }

  /**
   * Copies held at each year's end and acquired in the year, by home branch and acquisition date. Copies
   * lost, missing or withdrawn now are left out of every year (the catalogue keeps no date for those).
   */
  private async stock(area: Awaited<ReturnType<IndicatorFactsService['area']>>, years: number[]): Promise<Map<number, { held: number; added: number }>> {
    const rows: Array<{ year: number; held: number; added: number }> = await this.dataSource.query(
      `SELECT y AS year,
              count(*) FILTER (WHERE coalesce(i.acquired_on, (i.created_at AT TIME ZONE $3)::date) <= make_date(y, 12, 31) AND i.status NOT IN ('lost', 'missing', 'withdrawn'))::int AS held,
              count(*) FILTER (WHERE coalesce(i.acquired_on, (i.created_at AT TIME ZONE $3)::date) BETWEEN make_date(y, 1, 1) AND make_date(y, 12, 31))::int AS added
         FROM unnest($2::int[]) AS y CROSS JOIN item i WHERE i.home_branch_id = ANY($1::uuid[]) GROUP BY y`,
      [area.branchIds, years, this.env.TIME_ZONE],
    );
    return new Map(rows.map((r) => [r.year, { held: r.held, added: r.added }]));
  }

  /**
   * The region's population in each year: each region's nearest earlier year's figure when the year has
   * none; a region without any figure counts the sum of its sub-regions' (rules/population.ts).
   */
  private async populations(regionId: string, years: number[]): Promise<Map<number, number>> {
    const rows: Array<{ id: string; parent_id: string | null; year: number; population: number | null }> = await this.dataSource.query(
      `WITH RECURSIVE tree AS (SELECT id, parent_id FROM region WHERE id = $1 UNION ALL SELECT r.id, r.parent_id FROM region r JOIN tree t ON r.parent_id = t.id)
       SELECT t.id, t.parent_id, y AS year,
              (SELECT p.population FROM region_population p WHERE p.region_id = t.id ORDER BY (p.year > y), abs(p.year - y) LIMIT 1) AS population
         FROM tree t CROSS JOIN unnest($2::int[]) AS y`,
      [regionId, years],
    );
    const out = new Map<number, number>();
    for (const year of years) {
      const population = resolvePopulation(
        regionId,
        rows.filter((r) => r.year === year).map((r) => ({ id: r.id, parentId: r.parent_id, population: r.population === null ? null : Number(r.population) })),
      );
      if (population !== null) out.set(year, population);
    }
    return out;
  }

  /**
   * Ratings of delivered services, attributed as the delivery itself is counted: for a region, where the
   * service was delivered; for a branch, the branch that hosted it (its public activity's branch, else the
   * provider), not the orders placed for the branch's own region.
   */
  private async ratings(area: Awaited<ReturnType<IndicatorFactsService['area']>>, years: number[]): Promise<Map<number, { count: number; high: number }>> {
    const rows: Array<{ year: number; count: number; high: number }> = await this.dataSource.query(
      `SELECT extract(year FROM r.created_at AT TIME ZONE $3)::int AS year, count(*)::int AS count, count(*) FILTER (WHERE r.score >= 4)::int AS high
         FROM service_rating r JOIN service_order o ON o.id = r.order_id
        WHERE ${
          area.branchScoped
            ? `coalesce((SELECT a.branch_id FROM activity a WHERE a.id = o.activity_id), (SELECT i.provider_branch_id FROM service_item i WHERE i.id = o.item_id)) = ANY($1::uuid[])`
            : `o.region_id = ANY($1::uuid[])`
        }
          AND extract(year FROM r.created_at AT TIME ZONE $3)::int = ANY($2::int[]) GROUP BY 1`,
      [area.branchScoped ? area.branchIds : area.regionIds, years, this.env.TIME_ZONE],
    );
    return new Map(rows.map((r) => [r.year, { count: r.count, high: r.high }]));
  }
}

function emptyFlow(): Flow {
  return { loans: 0, visits: 0, participants: 0, deliveries: [] };
}

function minutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
}
