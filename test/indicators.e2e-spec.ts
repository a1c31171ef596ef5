import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { Workbook } from 'exceljs';
import { StatsService } from '@lib/stats';
import { INDICATORS } from '@lib/indicators';
import { bearer, login, registerResident, Resident } from './utils/factories';
import { startTestApp, TEST_ADMIN, TestApp } from './utils/test-app';

const ZONE = 'Asia/Shanghai';
/** Rounded as the report rounds: ratios to 4 places, percentages and means to 2. */
const r4 = (x: number) => Math.round(x * 10_000) / 10_000;
const r2 = (x: number) => Math.round(x * 100) / 100;

/**
 * A small district built through the API, a known set of actions, and every figure computed by hand:
 *   district 指标区 (population 1000)
 *     subdistrict 甲街道 (600)
 *       branch library B (1,200 m², shared, Mon-Sat 9-21 = 72 h; e-reading room open with the branch)
 *       integrated centre IC (1,200 m², shared, Mon-Sat 9-18 = 54 h; staff: 2 librarians + 1 operator, and a door-counter device that is not staff)
 *       village 一村 (100): service point P (150 m², not shared; an e-reading room)
 *       community 二社区 (200): service point P2 (300 m², shared)
 *     subdistrict 乙街道 (no population of its own: its sub-regions' 300 + 100)
 *       integrated centre IC2 (800 m², not shared, Mon-Fri 9-17 = 40 h; 1 librarian; an e-reading room)
 *       community 三社区 (300): nothing
 *       village 四村 (100): nothing
 *   central library L (district, shared, every day 9-21 = 84 h; e-reading room bookable every day 9-17 = 56 h)
 *   cultural centre CC (district, Mon-Fri 9-17 = 40 h)
 * Copies: 4 at L (acquired last year), 6 at B (2 acquired this year), 2 at P and 2 at IC (acquired this year).
 * Actions this year: 3 checkouts at B (2 returned), 1 at L, 1 at P; 50 door-counter visits at B; one activity
 * check-in at B (B has a door count, so it is not a second visit) and one at P (no door count: it is P's visit);
 * one organizer serving 一村 and 二社区. Services delivered (a public activity is hosted by the community's
 * service point when it has one, else by the provider; the delivery counts at that host branch):
 *   D1, D2 film screenings, CC → 一村 (host P), audience 30 and 40, rated 5 and 3
 *   D3 performance, CC → 一村 (host P), audience 60, rated 4
 *   D4 performance, CC → 三社区 (host CC), audience 45
 *   D5 exhibition, CC → 二社区 (host P2), audience 25, rated 1
 *   D6 exhibition, CC → 三社区 (host CC), audience 35, rated 5
 *   D7 book delivery, L → 二社区 (no activity: counts at L), attendance 10, rated 2
 *   D8 lecture, B → 一村 (host P), audience 20
 *   D9 book delivery, L → 三社区 (at L), attendance 5
 *
 * Times: every action happens "today" (local). Door-counter intervals and deliveries are placed at ANCHOR, the
 * start of the local day, which is never in the future and always within today and this year, and they end
 * within 5 minutes of it, so they pass the API's "to not more than 5 minutes ahead" rule even right after
 * midnight. A run that would straddle local midnight (and so, on 31 December, the year) waits for it first.
 */
describe('usage statistics and demonstration-zone indicators', () => {
  let t: TestApp;
  let now: DateTime;
  let YEAR: number;
  let ANCHOR: DateTime;
  let admin: string;
  let librarian: string;
  let device: string;
  let district: string;
  let sub: string;
  let sub2: string;
  let village: string;
  let L: string;
  let CC: string;
  let B: string;
  let P: string;
  let P2: string;
  let IC: string;
  let IC2: string;
  let resident: Resident;

  const report = (regionId: string, extra = '') =>
    t.http().get(`/api/indicators?plan=haidian-2015-2017&year=${YEAR}&regionId=${regionId}${extra}`).set(bearer(admin)).expect(200);
  const detail = async (code: string, regionId: string, extra = '') =>
    (await t.http().get(`/api/indicators/${code}?plan=haidian-2015-2017&year=${YEAR}&regionId=${regionId}${extra}`).set(bearer(admin)).expect(200)).body;
  const indicator = (body: { indicators: Array<{ code: string }> }, code: string) => body.indicators.find((i) => i.code === code) as Record<string, unknown>;

  beforeAll(async () => {
    // Everything below must happen on one local day, month and year (the file takes under a minute alone, a
    // few on a loaded machine): if the day ends within ten minutes, start after midnight instead.
    const untilMidnight = DateTime.now().setZone(ZONE).endOf('day').diffNow().toMillis();
    if (untilMidnight < 600_000) await new Promise((resolve) => setTimeout(resolve, untilMidnight + 2_000));
    now = DateTime.now().setZone(ZONE);
    YEAR = now.year;
    ANCHOR = now.startOf('day');

    t = await startTestApp();
    admin = (await login(t.http, TEST_ADMIN.username, TEST_ADMIN.password)).accessToken;
    const region = async (name: string, kind: string, population: number | null, parentId?: string) =>
      (await t.http().post('/api/regions').set(bearer(admin)).send({ name, kind, parentId, ...(population === null ? {} : { population, populationYear: YEAR }) }).expect(201)).body.id as string;
    district = await region('指标区', 'district', 1000);
    sub = await region('甲街道', 'subdistrict', 600, district);
    sub2 = await region('乙街道', 'subdistrict', null, district); // no figure of its own: its communities' 300 + 100
    village = await region('一村', 'village', 100, sub);
    const community = await region('二社区', 'community', 200, sub);
    const community3 = await region('三社区', 'community', 300, sub2);
    await region('四村', 'village', 100, sub2);
    const days = (from: number, to: number, opens: string, closes: string) => Array.from({ length: to - from + 1 }, (_, i) => ({ weekday: from + i, opens, closes }));
    const branch = async (body: Record<string, unknown>) => (await t.http().post('/api/branches').set(bearer(admin)).send(body).expect(201)).body.id as string;
    L = await branch({ name: '指标区图书馆', kind: 'library', level: 'central', regionId: district, sharedCirculation: true, openingHours: days(1, 7, '09:00', '21:00') });
    CC = await branch({ name: '指标区文化馆', kind: 'cultural_centre', level: 'central', regionId: district, openingHours: days(1, 5, '09:00', '17:00') });
    B = await branch({ name: '甲街道图书分馆', kind: 'library', level: 'branch', parentId: L, regionId: sub, floorArea: 1200, sharedCirculation: true, openingHours: days(1, 6, '09:00', '21:00') });
    IC = await branch({ name: '甲街道综合文化中心', kind: 'integrated_centre', level: 'branch', parentId: CC, regionId: sub, floorArea: 1200, sharedCirculation: true, openingHours: days(1, 6, '09:00', '18:00') });
    IC2 = await branch({ name: '乙街道综合文化中心', kind: 'integrated_centre', level: 'branch', parentId: CC, regionId: sub2, floorArea: 800, sharedCirculation: false, openingHours: days(1, 5, '09:00', '17:00') });
    P = await branch({ name: '一村服务点', kind: 'service_point', level: 'service_point', parentId: B, regionId: village, floorArea: 150, sharedCirculation: false });
    P2 = await branch({ name: '二社区服务点', kind: 'service_point', level: 'service_point', parentId: IC, regionId: community, floorArea: 300, sharedCirculation: true });
    const staff = (body: Record<string, unknown>) => t.http().post('/api/staff').set(bearer(admin)).send({ password: 'Indicator123', ...body }).expect(201);
    await staff({ username: 'ind-lib', name: '馆员', role: 'librarian', branchIds: [B, L, IC, P] });
    await staff({ username: 'ind-ic', name: '中心馆员', role: 'librarian', branchIds: [IC, IC2] });
    await staff({ username: 'ind-gate', name: '闸机', role: 'device', branchIds: [B] });
    await staff({ username: 'ind-gate-ic', name: '中心闸机', role: 'device', branchIds: [IC] });
    await staff({ username: 'ind-op', name: '运营', role: 'operator', branchIds: [IC] });
    librarian = (await login(t.http, 'ind-lib', 'Indicator123')).accessToken;
    device = (await login(t.http, 'ind-gate', 'Indicator123')).accessToken;
    const operator = (await login(t.http, 'ind-op', 'Indicator123')).accessToken;
    resident = await registerResident(t.http);

    // Copies.
    const record = (await t.http().post('/api/catalog/records').set(bearer(admin)).send({ title: '指标测试书', authors: ['某'] }).expect(201)).body.id;
    const copy = (barcode: string, branchId: string, acquiredOn: string) =>
      t.http().post('/api/catalog/items').set(bearer(admin)).send({ recordId: record, barcode, branchId, itemType: 'book', acquiredOn }).expect(201);
    for (let i = 1; i <= 4; i++) await copy(`IND-L${i}`, L, `${YEAR - 1}-05-01`);
    for (let i = 1; i <= 6; i++) await copy(`IND-B${i}`, B, i <= 2 ? `${YEAR}-01-01` : `${YEAR - 1}-05-01`);
    for (let i = 1; i <= 2; i++) await copy(`IND-P${i}`, P, `${YEAR}-01-01`);
    for (let i = 1; i <= 2; i++) await copy(`IND-IC${i}`, IC, `${YEAR}-01-01`);

    // Three checkouts at B (two returned), one at L, one at P.
    const checkout = (barcode: string, branchId: string) =>
      t.http().post('/api/circulation/checkout').set(bearer(librarian)).send({ cardNumber: resident.cardNumber, barcode, branchId }).expect(201);
    for (let i = 1; i <= 3; i++) await checkout(`IND-B${i}`, B);
    for (let i = 1; i <= 2; i++) await t.http().post('/api/circulation/checkin').set(bearer(librarian)).send({ barcode: `IND-B${i}`, branchId: B }).expect(200);
    await checkout('IND-L1', L);
    await checkout('IND-P1', P);

    // The door counter: 50 people in the first minute of the day.
    await t.http().post('/api/usage/visits').set(bearer(device)).send({ branchId: B, count: 50, from: ANCHOR.toISO(), to: ANCHOR.plus({ minutes: 1 }).toISO() }).expect(201);

    // One activity check-in at B and one at P.
    const checkIn = async (branchId: string) => {
      const startsAt = DateTime.now().plus({ minutes: 30 }).startOf('minute');
      const activity = (
        await t.http()
          .post('/api/activities')
          .set(bearer(librarian))
          .send({ title: '读书会', category: 'reading_event', branchId, sessions: [{ startsAt: startsAt.toISO(), endsAt: startsAt.plus({ hours: 2 }).toISO(), capacity: 10 }] })
          .expect(201)
      ).body.id;
      const session = (await t.http().get(`/api/activities/${activity}`).expect(200)).body.sessions[0].id;
      const reg = (await t.http().post(`/api/activities/${activity}/registrations`).set(bearer(resident.accessToken)).send({ sessionId: session }).expect(201)).body.id;
      const code = (await t.http().get(`/api/registrations/${reg}/qr`).set(bearer(resident.accessToken)).expect(200)).body.token;
      await t.http().post('/api/checkins').set(bearer(librarian)).send({ token: code }).expect(200);
    };
    await checkIn(B);
    await checkIn(P);

    // Services delivered (D1-D9 above).
    const db = t.app.get(DataSource);
    const serviceItem = async (title: string, category: string, provider: string, providerBranchId: string) => {
      const id = (
        await t.http()
          .post('/api/service-items')
          .set(bearer(operator))
          .send({ title, category, provider, providerBranchId, durationMinutes: 120, audienceMin: 1, audienceMax: 200, regionIds: [district], monthlyCapacity: 10 })
          .expect(201)
      ).body.id as string;
      await t.http().post(`/api/service-items/${id}/publish`).set(bearer(operator)).expect(200);
      return id;
    };
    const screening = await serviceItem('村村放电影', 'film_screening', '指标区文化馆', CC);
    const performance = await serviceItem('文艺巡演', 'performance', '指标区文化馆', CC);
    const exhibition = await serviceItem('非遗巡展', 'exhibition', '指标区文化馆', CC);
    const bookDelivery = await serviceItem('送书上门', 'book_delivery', '指标区图书馆', L);
    const lecture = await serviceItem('读书讲座', 'lecture', '甲街道图书分馆', B);
    const deliver = async (itemId: string, regionId: string, attendance: number, score?: number) => {
      const today = DateTime.now().setZone(ZONE).toISODate();
      const order = (await t.http().post('/api/service-orders').set(bearer(admin)).send({ itemId, regionId, preferredFrom: today, preferredTo: today, expectedAudience: 50, address: '文化广场' }).expect(201)).body.id;
      await t.http().post(`/api/service-orders/${order}/accept`).set(bearer(operator)).send({}).expect(200);
      const show = DateTime.now().plus({ hours: 1 }).startOf('minute');
      await t.http().post(`/api/service-orders/${order}/schedule`).set(bearer(operator)).send({ startsAt: show.toISO(), endsAt: show.plus({ hours: 2 }).toISO() }).expect(200);
      // The service has happened, at the start of today (time moved on in the database; the rule refuses a delivery before the start).
      await db.query(`UPDATE service_order SET scheduled_starts_at = $2 WHERE id = $1`, [order, ANCHOR.toJSDate()]);
      await t.http().post(`/api/service-orders/${order}/deliver`).set(bearer(operator)).send({ attendance }).expect(200);
      if (score !== undefined) await t.http().post(`/api/service-orders/${order}/evaluate`).set(bearer(admin)).send({ score }).expect(200);
      return order;
    };
    await deliver(screening, village, 30, 5); // D1
    await deliver(screening, village, 40, 3); // D2
    await deliver(performance, village, 60, 4); // D3
    await deliver(performance, community3, 45); // D4
    await deliver(exhibition, community, 25, 1); // D5
    await deliver(exhibition, community3, 35, 5); // D6
    await deliver(bookDelivery, community, 10, 2); // D7
    await deliver(lecture, village, 20); // D8
    await deliver(bookDelivery, community3, 5); // D9

    // E-reading rooms: at B (open with the branch, 72 h), at L (bookable every day 9-17, 56 h), at P and at IC2.
    const room = (branchId: string, extra: Record<string, unknown> = {}) =>
      t.http().post('/api/venues').set(bearer(admin)).send({ branchId, name: '电子阅览室', kind: 'e_reading_room', capacity: 20, ...extra }).expect(201);
    await room(B);
    await room(L, { bookableHours: days(1, 7, '09:00', '17:00') });
    await room(P);
    await room(IC2);
    // An organizer serving 一村 and 二社区.
    await staff({ username: 'ind-org', name: '组织员', role: 'organizer', regionIds: [village, community] });
  }, 900_000); // up to ten minutes' wait for midnight, then the set-up
  afterAll(() => t?.close());

  it('moves each automatic indicator to the value computed by hand, for each branch, the subdistrict and the district', async () => {
    const M = now.month; // months of this year begun (the screenings' per-month denominator)
    type Name = 'L' | 'CC' | 'B' | 'P' | 'P2' | 'IC' | 'IC2';
    const names: Name[] = ['L', 'CC', 'B', 'P', 'P2', 'IC', 'IC2'];
    /** Every branch's figure: those given, the others `rest` (null: the figure has no denominator for that branch). */
    const each = (given: Partial<Record<Name, number | null>>, rest: number | null = null): Record<string, number | null> =>
      Object.fromEntries(names.map((n) => [n, n in given ? (given[n] as number | null) : rest]));
    type Level = { value: number | null; numerator?: number | null; denominator?: number | null };
    /**
     * Per indicator: the by=branch breakdown (value per branch; for per-head and per-village figures, whose
     * denominator a single branch does not have, the numerator per branch), 甲街道 and the district.
     */
    const expected: Record<string, { branch: Record<string, number | null>; branchNumerators?: Record<string, number | null>; sub: Level; district: Level }> = {
      // Subdistrict-level centres ≥ 1,000 m²: IC (1,200) yes, IC2 (800) no.
      subdistrict_centre_area_share: { branch: each({ IC: r2((100 * 1) / 1), IC2: r2((100 * 0) / 1) }), sub: { value: 100, numerator: 1, denominator: 1 }, district: { value: r2((100 * 1) / 2), numerator: 1, denominator: 2 } },
      // Copies held: L 4, B 6, P 2, IC 2; 甲 = 6 + 2 + 2, district = 4 + 10.
      books_per_head: { branch: each({}), branchNumerators: each({ L: 4, B: 6, P: 2, IC: 2 }, 0), sub: { value: r4(10 / 600), numerator: 10, denominator: 600 }, district: { value: r4(14 / 1000), numerator: 14, denominator: 1000 } },
      // Loans: B 3, L 1, P 1 over the copies held.
      circulation_per_volume: { branch: each({ L: r4(1 / 4), B: r4(3 / 6), P: r4(1 / 2), IC: r4(0 / 2) }), sub: { value: r4(4 / 10), numerator: 4, denominator: 10 }, district: { value: r4(5 / 14), numerator: 5, denominator: 14 } },
      // Visits: B's door count 50 (its check-in is not a second visit), P's check-in 1 (P has no door count).
      visits_per_head: { branch: each({}), branchNumerators: each({ B: 50, P: 1 }, 0), sub: { value: r4(51 / 600), numerator: 51, denominator: 600 }, district: { value: r4(51 / 1000), numerator: 51, denominator: 1000 } },
      // Acquired this year: 2 at B, 2 at P, 2 at IC.
      new_books_per_head: { branch: each({}), branchNumerators: each({ B: 2, P: 2, IC: 2 }, 0), sub: { value: r4(6 / 600), numerator: 6, denominator: 600 }, district: { value: r4(6 / 1000), numerator: 6, denominator: 1000 } },
      // Communities and villages with a service point: 一村 (P), 二社区 (P2) of 甲's 2 and the district's 4.
      community_centre_coverage: { branch: each({}), sub: { value: r2((100 * 2) / 2), numerator: 2, denominator: 2 }, district: { value: r2((100 * 2) / 4), numerator: 2, denominator: 4 } },
      // Service points ≥ 200 m²: P2 (300) yes, P (150) no.
      community_centre_area_share: { branch: each({ P: 0, P2: 100 }), sub: { value: r2((100 * 1) / 2), numerator: 1, denominator: 2 }, district: { value: r2((100 * 1) / 2), numerator: 1, denominator: 2 } },
      // Subdistricts with an e-reading room: 甲 (B, P), 乙 (IC2).
      subdistrict_e_reading_share: { branch: each({}), sub: { value: 100, numerator: 1, denominator: 1 }, district: { value: r2((100 * 2) / 2), numerator: 2, denominator: 2 } },
      // Communities and villages with one: 一村 (P) only.
      community_e_reading_share: { branch: each({}), sub: { value: r2((100 * 1) / 2), numerator: 1, denominator: 2 }, district: { value: r2((100 * 1) / 4), numerator: 1, denominator: 4 } },
      // E-reading rooms at libraries: B's open with the branch (6 × 12 h = 72), L's bookable 7 × 8 h = 56; P's and IC2's are not at libraries.
      e_reading_hours_per_week: { branch: each({ B: 6 * 12, L: 7 * 8 }), sub: { value: 72, numerator: 72, denominator: 1 }, district: { value: r2((72 + 56) / 2), numerator: 72 + 56, denominator: 2 } },
      // Libraries at central and branch level: L 7 × 12 = 84 h, B 6 × 12 = 72 h.
      library_hours_per_week: { branch: each({ L: 84, B: 72 }), sub: { value: 72, numerator: 72, denominator: 1 }, district: { value: r2((84 + 72) / 2), numerator: 84 + 72, denominator: 2 } },
      // Cultural and integrated centres: CC 5 × 8 = 40 h, IC 6 × 9 = 54 h, IC2 5 × 8 = 40 h.
      cultural_centre_hours_per_week: { branch: each({ CC: 40, IC: 54, IC2: 40 }), sub: { value: 54, numerator: 54, denominator: 1 }, district: { value: r2((40 + 54 + 40) / 3), numerator: 40 + 54 + 40, denominator: 3 } },
      // Screenings in villages: D1, D2 in 一村 (hosted at P); 甲 has 1 village, the district 2 (一村, 四村).
      screenings_per_village_month: { branch: each({}), branchNumerators: each({ P: 2 }, 0), sub: { value: r2(2 / (1 * M)), numerator: 2, denominator: 1 * M }, district: { value: r2(2 / (2 * M)), numerator: 2, denominator: 2 * M } },
      // Performances in villages: D3 in 一村 (at P); D4 was in a community.
      shows_per_village_year: { branch: each({}), branchNumerators: each({ P: 1 }, 0), sub: { value: r2(1 / 1), numerator: 1, denominator: 1 }, district: { value: r2(1 / 2), numerator: 1, denominator: 2 } },
      // Library providers in communities and villages: D7 (L → 二社区), D8 (B → 一村, at P), D9 (L → 三社区).
      library_outreach: { branch: each({ L: 2, P: 1 }, 0), sub: { value: 2 }, district: { value: 3 } },
      // Performances by the cultural centre: D3 (at P, 甲), D4 (at CC, 乙).
      touring_performances: { branch: each({ P: 1, CC: 1 }, 0), sub: { value: 1 }, district: { value: 2 } },
      // Exhibitions by the cultural centre: D5 (at P2, 甲), D6 (at CC, 乙).
      touring_exhibitions: { branch: each({ P2: 1, CC: 1 }, 0), sub: { value: 1 }, district: { value: 2 } },
      // Libraries, integrated centres and service points in shared circulation: L, B, P2, IC yes; P, IC2 no.
      shared_circulation_share: { branch: each({ L: 100, B: 100, P: 0, P2: 100, IC: 100, IC2: 0 }), sub: { value: r2((100 * 3) / 4), numerator: 3, denominator: 4 }, district: { value: r2((100 * 4) / 6), numerator: 4, denominator: 6 } },
      // Librarians and operators at subdistrict centres: IC has ind-lib, ind-ic, ind-op (the device is not staff), IC2 has ind-ic.
      staff_per_subdistrict_centre: { branch: each({ IC: 3, IC2: 1 }), sub: { value: 3, numerator: 3, denominator: 1 }, district: { value: r2((3 + 1) / 2), numerator: 4, denominator: 2 } },
      // One organizer seat in 一村 and one in 二社区.
      organizers_per_community: { branch: each({}), sub: { value: r2(2 / 2), numerator: 2, denominator: 2 }, district: { value: r2(2 / 4), numerator: 2, denominator: 4 } },
      // Ratings 4-5 of delivered services: 甲 (D1 5, D2 3, D3 4, D5 1, D7 2), district + D6 5; per branch where the delivery counted: P (5, 3, 4), P2 (1), CC (5), L (2).
      satisfaction_index: { branch: each({ P: r2((100 * 2) / 3), P2: 0, CC: 100, L: 0 }), sub: { value: r2((100 * 2) / 5), numerator: 2, denominator: 5 }, district: { value: r2((100 * 3) / 6), numerator: 3, denominator: 6 } },
      // Check-ins (B 1, P 1) and audiences: 甲 30 + 40 + 60 + 25 + 10 + 20, district + 45 + 35 + 5.
      activity_participants: {
        branch: each({ B: 1, P: 1 + 30 + 40 + 60 + 20, P2: 25, CC: 45 + 35, L: 10 + 5 }, 0),
        sub: { value: 1 + 1 + 30 + 40 + 60 + 25 + 10 + 20 },
        district: { value: 1 + 1 + 30 + 40 + 60 + 25 + 10 + 20 + 45 + 35 + 5 },
      },
    };
    // Every automatic indicator of the catalogue is checked here.
    expect(Object.keys(expected).sort()).toEqual(INDICATORS.filter((i) => i.method === 'auto').map((i) => i.code).sort());

    const s = (await report(sub)).body;
    const d = (await report(district)).body;
    expect(s).toMatchObject({ year: YEAR, region: { id: sub, name: '甲街道' }, plan: { code: 'haidian-2015-2017' } });
    const nameOf = new Map<string, Name>([[L, 'L'], [CC, 'CC'], [B, 'B'], [P, 'P'], [P2, 'P2'], [IC, 'IC'], [IC2, 'IC2']]);
    for (const [code, want] of Object.entries(expected)) {
      // Indicators outside the Haidian plan (satisfaction, participants) come from the detail endpoint.
      const row = async (body: { indicators: Array<{ code: string }> }, regionId: string) => indicator(body, code) ?? (await detail(code, regionId));
      const pick = (r: Record<string, unknown>, level: Level) => Object.fromEntries(Object.keys(level).map((k) => [k, r[k]]));
      expect({ code, sub: pick(await row(s, sub), want.sub) }).toEqual({ code, sub: want.sub });
      expect({ code, district: pick(await row(d, district), want.district) }).toEqual({ code, district: want.district });
      const breakdown: Array<{ key: string; value: number | null; numerator: number | null }> = (await detail(code, district, '&by=branch')).breakdown;
      const byName = (k: 'value' | 'numerator') => Object.fromEntries(breakdown.map((b) => [nameOf.get(b.key), b[k]]));
      expect({ code, branches: byName('value') }).toEqual({ code, branches: want.branch });
      if (want.branchNumerators) expect({ code, numerators: byName('numerator') }).toEqual({ code, numerators: want.branchNumerators });
    }

    // Per-head figures for a branch's own region, the other level the API offers for a branch: P's village 一村
    // (population 100): 2 copies, both new, 1 loan, 1 visit.
    const v = (await report(village)).body;
    expect(indicator(v, 'books_per_head')).toMatchObject({ value: r4(2 / 100), numerator: 2, denominator: 100 });
    expect(indicator(v, 'new_books_per_head')).toMatchObject({ value: r4(2 / 100), numerator: 2, denominator: 100 });
    expect(indicator(v, 'circulation_per_volume')).toMatchObject({ value: r4(1 / 2), numerator: 1, denominator: 2 });
    expect(indicator(v, 'visits_per_head')).toMatchObject({ value: r4(1 / 100), numerator: 1, denominator: 100 });
    // And the per-community and per-village figures, which a single branch has no denominator for: 一村 is one
    // village with a service point (P) and an e-reading room, one organizer seat, D1 and D2 screened, D3 performed.
    expect(indicator(v, 'community_centre_coverage')).toMatchObject({ value: r2((100 * 1) / 1), numerator: 1, denominator: 1 });
    expect(indicator(v, 'community_e_reading_share')).toMatchObject({ value: r2((100 * 1) / 1), numerator: 1, denominator: 1 });
    expect(indicator(v, 'organizers_per_community')).toMatchObject({ value: r2(1 / 1), numerator: 1, denominator: 1 });
    expect(indicator(v, 'screenings_per_village_month')).toMatchObject({ value: r2(2 / (1 * M)), numerator: 2, denominator: 1 * M });
    expect(indicator(v, 'shows_per_village_year')).toMatchObject({ value: r2(1 / 1), numerator: 1, denominator: 1 });
    expect(indicator(v, 'subdistrict_e_reading_share')).toMatchObject({ value: null, numerator: 0, denominator: 0 }); // no subdistrict within a village

    // Targets, status and gap.
    expect(indicator(s, 'books_per_head')).toMatchObject({ target: 1, status: 'does_not_meet', gap: r4(1 - r4(10 / 600)), source: 'platform' });
    expect(indicator(s, 'community_centre_coverage')).toMatchObject({ target: 100, status: 'meets', gap: 0 });
    expect(indicator(s, 'staff_per_subdistrict_centre')).toMatchObject({ target: 3, targetMax: 6, status: 'meets', gap: 0 });
    expect(indicator(d, 'staff_per_subdistrict_centre')).toMatchObject({ status: 'does_not_meet', gap: 3 - 2 });
    expect(indicator(d, 'cultural_centre_hours_per_week')).toMatchObject({ target: 60, status: 'does_not_meet', gap: r4(60 - r2(134 / 3)) });
    expect(indicator(d, 'touring_performances')).toMatchObject({ target: 20, status: 'does_not_meet', gap: 20 - 2 });
    expect(indicator(d, 'museums')).toMatchObject({ method: 'manual', value: null, status: 'no_data', source: 'manual: not entered' });
    expect(await detail('satisfaction_index', sub)).toMatchObject({ status: 'no_data', target: null }); // not in the Haidian plan

    // Compliance, counted by hand from the values above. The plan has 42 indicators; no manual figure is entered yet.
    // District: e-reading rooms in 2 of 2 subdistricts (≥ 100), e-reading 64 h (≥ 60), libraries 78 h (≥ 70).
    expect(d.total).toBe(42);
    expect(d.indicators.filter((i: { status: string }) => i.status === 'meets').map((i: { code: string }) => i.code).sort()).toEqual(
      ['subdistrict_e_reading_share', 'e_reading_hours_per_week', 'library_hours_per_week'].sort(),
    );
    expect(d).toMatchObject({ meeting: 3, complianceRate: r2((100 * 3) / 42) });
    // 甲街道: besides those three, its centre's area and staff (3 in 3-6), coverage 2 of 2, organizers 1 per community (1-2).
    expect(s.indicators.filter((i: { status: string }) => i.status === 'meets').map((i: { code: string }) => i.code).sort()).toEqual(
      [
        'subdistrict_e_reading_share',
        'e_reading_hours_per_week',
        'library_hours_per_week',
        'subdistrict_centre_area_share',
        'staff_per_subdistrict_centre',
        'community_centre_coverage',
        'organizers_per_community',
      ].sort(),
    );
    expect(s).toMatchObject({ total: 42, meeting: 7, complianceRate: r2((100 * 7) / 42) });
    // Trend: four years, this year's value last; last year L's 4 and B's 4 copies were held and nothing was lent.
    expect(indicator(d, 'circulation_per_volume').trend).toEqual([
      { year: YEAR - 3, value: null },
      { year: YEAR - 2, value: null },
      { year: YEAR - 1, value: r4(0 / 8) },
      { year: YEAR, value: r4(5 / 14) },
    ]);
    // English names on request.
    const en = await t.http().get(`/api/indicators?plan=haidian-2015-2017&year=${YEAR}&regionId=${district}`).set(bearer(admin)).set('Accept-Language', 'en').expect(200);
    expect(indicator(en.body, 'books_per_head').name).toBe('Library books per head');
  });

  it('breaks an indicator down by sub-region and by month (by branch: above)', async () => {
    const byRegion = await t.http().get(`/api/indicators/books_per_head?plan=haidian-2015-2017&year=${YEAR}&regionId=${district}&by=region`).set(bearer(admin)).expect(200);
    // The district's own row (its central library: 4 copies, no population of its own) and each subdistrict (甲: B 6, P 2, IC 2; 乙: none).
    const rows = byRegion.body.breakdown.map((r: { key: string; value: number; numerator: number }) => [r.key, r.value, r.numerator]);
    expect(rows[0]).toEqual([district, null, 4]);
    expect(rows.slice(1).sort()).toEqual([[sub, r4(10 / 600), 10], [sub2, r4(0 / 400), 0]].sort());
    // 乙街道 has no population of its own; per-head figures use its sub-regions' (三社区 300 + 四村 100).
    expect(indicator((await report(sub2)).body, 'visits_per_head')).toMatchObject({ value: 0, numerator: 0, denominator: 300 + 100 });
    const byMonth = await t.http().get(`/api/indicators/circulation_per_volume?plan=haidian-2015-2017&year=${YEAR}&regionId=${sub}&by=month`).set(bearer(admin)).expect(200);
    expect(byMonth.body.breakdown).toHaveLength(12);
    // 甲's loans (B 3, P 1) all this month, over its 10 copies.
    expect(byMonth.body.breakdown[now.month - 1]).toMatchObject({ key: now.toFormat('yyyy-MM'), numerator: 4, value: r4(4 / 10) });
    expect(byMonth.body.breakdown.filter((m: { numerator: number }) => m.numerator > 0)).toHaveLength(1);
    await t.http().get(`/api/indicators/no_such_thing?plan=haidian-2015-2017&year=${YEAR}&regionId=${district}`).set(bearer(admin)).expect(404);
    expect((await t.http().get(`/api/indicators/books_per_head?plan=haidian-2015-2017&year=${YEAR}&regionId=${district}&by=week`).set(bearer(admin)).expect(400)).body.details.errors[0].field).toBe('by');
  });

  it('keeps manual figures with their source and history; the latest counts', async () => {
    const put = (value: number, source: string) =>
      t.http().put('/api/indicators/library_digital_resources_tb/manual').set(bearer(admin)).send({ year: YEAR, regionId: district, value, source });
    await put(24, '区图书馆 2026 年报').expect(200);
    const second = await put(31.5, '区图书馆 2026 年报（修订）').expect(200);
    expect(second.body.history.map((h: { value: number }) => h.value)).toEqual([31.5, 24]);
    const row = indicator((await report(district)).body, 'library_digital_resources_tb');
    expect(row).toMatchObject({ value: 31.5, target: 30, status: 'meets', gap: 0, source: '区图书馆 2026 年报（修订）' });
    expect((await t.http().put('/api/indicators/library_digital_resources_tb/manual').set(bearer(admin)).send({ year: YEAR, regionId: district, value: 'lots', source: 'x' }).expect(400)).body.details.errors[0].field).toBe('value');
    await t.http().put('/api/indicators/unknown_code/manual').set(bearer(admin)).send({ year: YEAR, regionId: district, value: 1, source: 'x' }).expect(404);
    await t.http().put('/api/indicators/library_digital_resources_tb/manual').set(bearer(librarian)).send({ year: YEAR, regionId: district, value: 1, source: 'x' }).expect(403);
  });

  it('counts a door-counter interval once and keeps devices to their branch', async () => {
    // Just after the first report (ANCHOR to +1 min) and ending by ANCHOR + 5 min: never more than 5 minutes ahead, whatever the time of day.
    const at = ANCHOR.plus({ minutes: 2 });
    const body = { branchId: B, count: 7, from: at.toISO(), to: at.plus({ minutes: 2 }).toISO() };
    const results = await Promise.all(Array.from({ length: 5 }, () => t.http().post('/api/usage/visits').set(bearer(device)).send(body)));
    // An interval overlapping one already reported is refused too: nobody is counted twice.
    const overlapping = { ...body, from: at.plus({ minutes: 1 }).toISO(), to: at.plus({ minutes: 3 }).toISO() };
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
    expect(results.find((r) => r.status === 409)!.body.code).toBe('VISITS_ALREADY_COUNTED');
    expect((await t.http().post('/api/usage/visits').set(bearer(device)).send(overlapping).expect(409)).body.code).toBe('VISITS_ALREADY_COUNTED');
    expect((await t.http().post('/api/usage/visits').set(bearer(device)).send({ ...body, to: at.plus({ hours: 30 }).toISO() }).expect(400)).body.details.errors[0].field).toBe('to');
    const future = { ...body, from: DateTime.now().minus({ minutes: 1 }).toISO(), to: DateTime.now().plus({ minutes: 10 }).toISO() };
    expect((await t.http().post('/api/usage/visits').set(bearer(device)).send(future).expect(400)).body.details.errors[0].field).toBe('to');
    await t.http().post('/api/usage/digital-access').set(bearer(device)).send({ ...body, count: 12, resource: 'e-books' }).expect(201);
    const digital = await t.http().get(`/api/stats/usage?metric=digital_access&from=${now.toISODate()}&to=${now.toISODate()}`).set(bearer(admin)).expect(200);
    expect(digital.body.total).toEqual({ events: 1, quantity: 12 });
    await t.http().post('/api/usage/visits').set(bearer(device)).send({ ...body, branchId: L }).expect(403);
    expect((await t.http().post('/api/usage/visits').set(bearer(device)).send({ ...body, to: at.minus({ hours: 1 }).toISO() }).expect(400)).body.details.errors[0].field).toBe('to');
    const usage = await t.http().get(`/api/stats/usage?metric=visit&from=${now.toISODate()}&to=${now.toISODate()}&branchId=${B}`).set(bearer(admin)).expect(200);
    expect(usage.body).toMatchObject({ metric: 'visit', groupBy: 'day', series: [{ period: now.toISODate(), quantity: 57 }], total: { quantity: 57, events: 2 } });
    const loans = await t.http().get(`/api/stats/usage?metric=loan&from=${YEAR}-01-01&to=${YEAR}-12-31&groupBy=month&regionId=${district}`).set(bearer(admin)).expect(200);
    // B 3, L 1, P 1.
    expect(loans.body.series).toEqual([{ period: now.toFormat('yyyy-MM'), events: 3 + 1 + 1, quantity: 3 + 1 + 1 }]);
    expect((await t.http().get(`/api/stats/usage?metric=gossip&from=${YEAR}-01-01&to=${YEAR}-12-31`).set(bearer(admin)).expect(400)).body.details.errors[0].field).toBe('metric');
  });

  it('rebuilds the daily and monthly rollups from the raw log to the same figures', async () => {
    const db = t.app.get(DataSource);
    const figures = () =>
      db.query(`SELECT day::text, kind, branch_id, region_id, category, provider_kind, sum(events)::int AS events, sum(quantity)::int AS quantity, sum(audience)::int AS audience
                  FROM usage_daily GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6`);
    const before = await figures();
    expect(before.find((r: { kind: string; category: string }) => r.kind === 'service_delivered' && r.category === 'film_screening')).toMatchObject({ events: 2, audience: 30 + 40, provider_kind: 'cultural_centre', region_id: village, branch_id: P });
    const monthly = () =>
      db.query(`SELECT month::text, kind, branch_id, region_id, category, provider_kind, sum(events)::int AS events, sum(quantity)::int AS quantity, sum(audience)::int AS audience
                  FROM usage_monthly GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6`);
    const monthlyBefore = await monthly();
    expect(monthlyBefore.reduce((a: number, r: { events: number }) => a + r.events, 0)).toBe(before.reduce((a: number, r: { events: number }) => a + r.events, 0));
    const [{ raw }] = await db.query(`SELECT count(*)::int AS raw FROM usage_event`);
    const rebuilt = await t.app.get(StatsService).rebuildRollups();
    expect(rebuilt.events).toBe(raw);
    expect(await figures()).toEqual(before);
    expect(await monthly()).toEqual(monthlyBefore);
  });

  it('exports the report as CSV and as an Excel workbook', async () => {
    // A source note that a spreadsheet would run as a formula.
    await t.http().put('/api/indicators/museums/manual').set(bearer(admin)).send({ year: YEAR, regionId: district, value: 2, source: '=1+1' }).expect(200);
    const csv = await t.http().get(`/api/indicators/export?format=csv&plan=haidian-2015-2017&year=${YEAR}&regionId=${district}`).set(bearer(admin)).buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    }).expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const text = (csv.body as Buffer).toString('utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const lines = text.slice(1).trim().split(/\r?\n/);
    expect(lines[0]).toBe('编码,指标,单位,方式,数值,目标,目标上限,现状（基线）,状态,差距,来源');
    expect(lines).toHaveLength(43);
    expect(lines.find((l) => l.startsWith('books_per_head,'))).toBe(`books_per_head,人均公共图书馆藏书,volumes/person,auto,${r4(14 / 1000)},1,,0.8,未达标,${r4(1 - r4(14 / 1000))},platform`);
    // Shown as text (a leading apostrophe), in the CSV and in the workbook alike (test/exports.e2e-spec.ts).
    expect(lines.find((l) => l.startsWith('museums,'))).toBe(`museums,博物馆数量,count,manual,2,2,,1,达标,0,'=1+1`);

    const xlsx = await t.http().get(`/api/indicators/export?format=xlsx&plan=haidian-2015-2017&year=${YEAR}&regionId=${district}`).set(bearer(admin)).set('Accept-Language', 'en').buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    }).expect(200);
    const workbook = new Workbook();
    await workbook.xlsx.load(xlsx.body as Parameters<typeof workbook.xlsx.load>[0]);
    const sheet = workbook.getWorksheet('indicators')!;
    expect(sheet.rowCount).toBe(43);
    const row = sheet.getRows(2, 42)!.find((r) => r.getCell(1).value === 'circulation_per_volume')!;
    expect([row.getCell(5).value, row.getCell(6).value, row.getCell(9).value]).toEqual([r4(5 / 14), 1, 'does not meet']);
    expect(sheet.getRows(2, 42)!.find((r) => r.getCell(1).value === 'museums')!.getCell(11).value).toBe("'=1+1");
    expect(workbook.getWorksheet('summary')!.getCell('B3').value).toBe('指标区');
    expect((await t.http().get(`/api/indicators/export?format=pdf&plan=haidian-2015-2017&year=${YEAR}&regionId=${district}`).set(bearer(admin)).expect(400)).body.details.errors[0].field).toBe('format');
  });

  it('lists the seeded plans and takes new ones with their targets', async () => {
    const plans = (await t.http().get('/api/indicator-plans').set(bearer(admin)).expect(200)).body;
    expect(plans.map((p: { code: string; indicatorCount: number }) => [p.code, p.indicatorCount])).toEqual(
      expect.arrayContaining([
        ['haidian-2015-2017', 42],
        ['tianyuan-2016-2017', 6],
      ]),
    );
    const created = await t.http()
      .post('/api/indicator-plans')
      .set(bearer(admin))
      .send({
        code: 'zhibiao-2026',
        name: '指标区 2026',
        fromYear: YEAR,
        toYear: YEAR + 2,
        targets: [
          { indicator: 'circulation_per_volume', target: 0.25 },
          { indicator: 'circulation_per_volume', target: 0.6, regionId: sub },
          { indicator: 'books_per_head', target: 0.005, year: YEAR },
        ],
      })
      .expect(201);
    expect(created.body).toMatchObject({ code: 'zhibiao-2026', indicatorCount: 2 });
    // The most specific target wins: the subdistrict's own, else the plan's.
    const forDistrict = (await t.http().get(`/api/indicators?plan=zhibiao-2026&year=${YEAR}&regionId=${district}`).set(bearer(admin)).expect(200)).body;
    expect(forDistrict).toMatchObject({ total: 2, meeting: 2, complianceRate: 100 });
    expect(indicator(forDistrict, 'circulation_per_volume')).toMatchObject({ value: r4(5 / 14), target: 0.25, status: 'meets' });
    const forSub = (await t.http().get(`/api/indicators?plan=zhibiao-2026&year=${YEAR}&regionId=${sub}`).set(bearer(admin)).expect(200)).body;
    expect(indicator(forSub, 'circulation_per_volume')).toMatchObject({ value: r4(4 / 10), target: 0.6, status: 'does_not_meet', gap: r4(0.6 - 4 / 10) });
    expect(forSub).toMatchObject({ meeting: 1, complianceRate: 50 });

    await t.http().post('/api/indicator-plans').set(bearer(admin)).send({ code: 'zhibiao-2026', name: 'x', fromYear: YEAR, toYear: YEAR, targets: [{ indicator: 'books_per_head', target: 1 }] }).expect(409);
    const unknown = await t.http().post('/api/indicator-plans').set(bearer(admin)).send({ code: 'bad-plan', name: 'x', fromYear: YEAR, toYear: YEAR, targets: [{ indicator: 'happiness', target: 1 }] }).expect(400);
    expect(unknown.body.details.errors[0].field).toBe('targets.0.indicator');
    await t.http().get(`/api/indicators?plan=no-such-plan&year=${YEAR}&regionId=${district}`).set(bearer(admin)).expect(404);
    await t.http().get(`/api/indicators?plan=haidian-2015-2017&year=${YEAR}&regionId=${district}`).set(bearer(librarian)).expect(403);
  });
});
