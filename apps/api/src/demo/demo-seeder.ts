import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DateTime } from 'luxon';
import { Env } from '@lib/config';
import { PatronsService, StaffService } from '@lib/accounts';
import { BibRecord, CatalogService, Item } from '@lib/catalog';
import { Branch, BranchesService, MobileStop, MobileStopsService, Region, RegionsService } from '@lib/network';
import { ServiceItem, ServiceItemsService } from '@lib/services';
import { IndicatorManualEntry, IndicatorsService } from '@lib/indicators';
import { Activity } from '@lib/booking';
import {
  DEMO_BRANCHES,
  DEMO_CATALOGUE,
  DEMO_MANUAL_FIGURES,
  DEMO_MOBILE_STOPS,
  DEMO_MOBILE_WEEKS,
  DEMO_CALENDAR_EXCEPTIONS,
  DEMO_REGIONS,
  DEMO_RESIDENT_PASSWORD,
  DEMO_RESIDENTS,
  DEMO_SERVICE_MENU,
  DEMO_STAFF,
  DEMO_STAFF_PASSWORD,
} from './demo-district';
import { DEMO_FLASH_CLASS_TITLE } from './demo-programme';
import { DemoProgrammeSeeder } from './demo-programme-seeder';
import { DemoHistorySeeder } from './demo-history-seeder';

/**
 * Loads the demo district through the same use cases as the API, so demo data obeys every rule: the
 * network, accounts, catalogue and menu here; venues, bookings and activities (DemoProgrammeSeeder);
 * the recent past the indicators read (DemoHistorySeeder, in bulk: the use cases refuse the past).
 * Idempotent: anything already there (by code, username, phone or title) is left as it is.
 */
@Injectable()
export class DemoSeeder {
  private readonly logger = new Logger('Demo');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly regions: RegionsService,
    private readonly branches: BranchesService,
    private readonly mobileStops: MobileStopsService,
    private readonly staff: StaffService,
    private readonly patrons: PatronsService,
    private readonly catalog: CatalogService,
    private readonly serviceItems: ServiceItemsService,
    private readonly indicators: IndicatorsService,
    private readonly programme: DemoProgrammeSeeder,
    private readonly history: DemoHistorySeeder,
    private readonly env: Env,
  ) {}

  async seed(): Promise<{ created: number }> {
    // One instant for every "today" and "in a few minutes" below, read in the district's or a branch's zone.
    const now = new Date();
    let created = 0;
    const regionIds = new Map<string, string>();
    for (const r of DEMO_REGIONS) {
      const existing = await this.dataSource.getRepository(Region).findOneBy({ code: r.code });
      if (existing) {
        regionIds.set(r.code, existing.id);
        continue;
      }
      const years = Object.keys(r.population).map(Number).sort();
      const region = await this.regions.create({
        code: r.code,
        name: r.name,
        kind: r.kind,
        parentId: r.parent ? regionIds.get(r.parent) : undefined,
        population: r.population[years[0]],
        populationYear: years[0],
      });
      for (const year of years.slice(1)) await this.regions.update(region.id, { population: r.population[year], populationYear: year });
      regionIds.set(r.code, region.id);
      created++;
    }

    const branchIds = new Map<string, string>();
    for (const b of DEMO_BRANCHES) {
      const existing = await this.dataSource.getRepository(Branch).findOneBy({ code: b.code });
      if (existing) {
        branchIds.set(b.code, existing.id);
        continue;
      }
      const branch = await this.branches.create({
        code: b.code,
        name: b.name,
        kind: b.kind,
        level: b.level,
        regionId: regionIds.get(b.region)!,
        parentId: b.parent ? branchIds.get(b.parent) : undefined,
        address: b.address,
        floorArea: b.floorArea,
        facilities: b.facilities,
        sharedCirculation: b.sharedCirculation,
        openingHours: b.hours.flatMap((h) => h.weekdays.map((weekday) => ({ weekday, opens: h.opens, closes: h.closes }))),
      });
      for (const e of DEMO_CALENDAR_EXCEPTIONS) await this.branches.setException(branch.id, e.date, e);
      branchIds.set(b.code, branch.id);
      created++;
    }

    for (const s of DEMO_STAFF) {
      if (await this.staff.findForLogin(s.username)) continue;
      await this.staff.create({
        username: s.username,
        password: DEMO_STAFF_PASSWORD,
        name: s.name,
        role: s.role,
        branchIds: (s.branches ?? []).map((code) => branchIds.get(code)!),
        regionIds: (s.regions ?? []).map((code) => regionIds.get(code)!),
      });
      created++;
    }

    for (const p of DEMO_RESIDENTS) {
      if (await this.patrons.findForLogin(p.phone)) continue;
      await this.patrons.register({ ...p, password: DEMO_RESIDENT_PASSWORD });
      created++;
    }
    created += await this.seedCatalogue(branchIds);
    created += await this.seedServiceMenu(branchIds, regionIds);
    created += await this.seedMobileStops(branchIds, regionIds, now);
    created += await this.seedManualFigures(regionIds.get('110108')!, now);
    const district = Date.now();
    created += await this.programme.seed(now);
    const programme = Date.now();
    created += await this.history.load(now);
    const total = Date.now() - now.getTime();
    const parts = `district ${district - now.getTime()}, programme ${programme - district}, history ${Date.now() - programme} ms`;
    this.logger.log(created ? `Demo district loaded in ${total} ms: ${parts} (${created} records created)` : `Demo district already present (checked in ${total} ms)`);
    return { created };
  }

  private async seedCatalogue(branchIds: Map<string, string>): Promise<number> {
    let created = 0;
    let serial = 0;
    for (const entry of DEMO_CATALOGUE) {
      let record = await this.dataSource.getRepository(BibRecord).findOneBy({ controlNumber: entry.controlNumber });
      if (!record) {
        const view = await this.catalog.createRecord({
          controlNumber: entry.controlNumber,
          title: entry.title,
          authors: entry.authors,
          isbns: entry.isbn ? [entry.isbn] : [],
          publisher: entry.publisher,
          year: entry.year,
          language: 'chi',
          callNumber: entry.callNumber,
          subjects: entry.subjects,
        });
        record = { id: view.id } as BibRecord;
        created++;
      }
      for (const [branchCode, itemType] of entry.copies) {
        const barcode = `HD${String(++serial).padStart(7, '0')}`;
        if (await this.dataSource.getRepository(Item).exists({ where: { barcode } })) continue;
        await this.catalog.createItem({
          recordId: record.id,
          barcode,
          branchId: branchIds.get(branchCode)!,
          itemType: itemType ?? 'book',
          acquiredOn: `${Math.max(entry.year, 2024)}-03-01`,
          price: 39.8,
        });
        created++;
      }
    }
    return created;
  }

  /** The cultural centre's published menu, owned by the demo operator. */
  private async seedServiceMenu(branchIds: Map<string, string>, regionIds: Map<string, string>): Promise<number> {
    const operator = await this.staff.findForLogin('op-culture');
    if (!operator) return 0;
    const actor = { id: operator.staff.id, kind: 'staff' as const, role: 'operator', branchIds: operator.branchIds, regionIds: operator.regionIds };
    let created = 0;
    for (const m of DEMO_SERVICE_MENU) {
      if (await this.dataSource.getRepository(ServiceItem).exists({ where: { title: m.title, operatorId: actor.id } })) continue;
      const item = await this.serviceItems.create(
        {
          title: m.title,
          category: m.category,
          description: m.description,
          provider: m.provider,
          providerBranchId: branchIds.get(m.providerBranch),
          durationMinutes: m.durationMinutes,
          audienceMin: m.audience[0],
          audienceMax: m.audience[1],
          leadTimeDays: m.leadTimeDays,
          regionIds: (m.regions ?? ['110108']).map((code) => regionIds.get(code)!),
          monthlyCapacity: m.monthlyCapacity,
        },
        actor,
      );
      await this.serviceItems.transition(item.id, 'publish', actor);
      created++;
    }
    return created;
  }

  /** A few hand-entered indicator figures for this year (the district's, in TIME_ZONE), so the dashboard shows manual rows too. */
  /**
   * The mobile library's stops, each with weekly visits from today on (in the branch's zone). Visits come
   * with a new stop only, so seeding again on a later day creates nothing.
   */
  private async seedMobileStops(branchIds: Map<string, string>, regionIds: Map<string, string>, now: Date): Promise<number> {
    let created = 0;
    for (const s of DEMO_MOBILE_STOPS) {
      const branchId = branchIds.get(s.branch)!;
      if (await this.dataSource.getRepository(MobileStop).existsBy({ branchId, name: s.name })) continue;
      const stop = await this.mobileStops.create({ name: s.name, place: s.place, regionId: regionIds.get(s.region)! }, branchId);
      const branch = await this.dataSource.getRepository(Branch).findOneByOrFail({ id: branchId });
      const today = DateTime.fromJSDate(now, { zone: branch.timeZone }).startOf('day');
      const first = today.plus({ days: (s.weekday - today.weekday + 7) % 7 });
      const dates = Array.from({ length: DEMO_MOBILE_WEEKS }, (_, i) => first.plus({ weeks: i }).toISODate()!);
      await this.mobileStops.schedule(stop.id, { dates, starts: s.starts, ends: s.ends }, branchId);
      created += 1 + dates.length;
    }
    return created;
  }

  private async seedManualFigures(districtId: string, now: Date): Promise<number> {
    const [admin] = await this.dataSource.query(`SELECT id FROM staff WHERE role = 'admin' AND active ORDER BY created_at LIMIT 1`);
    if (!admin || (await this.dataSource.getRepository(IndicatorManualEntry).exists({ where: { regionId: districtId } }))) return 0;
    const year = DateTime.fromJSDate(now).setZone(this.env.TIME_ZONE).year;
    for (const [code, value] of DEMO_MANUAL_FIGURES) {
      await this.indicators.enterManual(code, { year, regionId: districtId, value, source: '演示数据 / demo data' }, admin.id as string);
    }
    return DEMO_MANUAL_FIGURES.length;
  }

  /** The flash-registration class and when its registration opens, for the start-up banner. */
  async flashClass(): Promise<{ title: string; id: string; opensAt: Date | null } | null> {
    const activity = await this.dataSource.getRepository(Activity).findOneBy({ title: DEMO_FLASH_CLASS_TITLE });
    return activity ? { title: activity.title, id: activity.id, opensAt: activity.registrationOpensAt } : null;
  }

  /** Card numbers of the demo residents, for the start-up banner. */
  async residentCards(): Promise<Array<{ name: string; phone: string; cardNumber: string | null }>> {
    const out = [];
    for (const p of DEMO_RESIDENTS) {
      const found = await this.patrons.findForLogin(p.phone);
      out.push({ name: p.name, phone: p.phone, cardNumber: found?.card?.number ?? null });
    }
    return out;
  }
}
