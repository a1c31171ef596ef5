import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { Workbook } from 'exceljs';
import { StatsService } from '@lib/stats';
import { bearer, login, registerResident, Resident } from './utils/factories';
import { startTestApp, TEST_ADMIN, TestApp } from './utils/test-app';

const ZONE = 'Asia/Shanghai';
const now = DateTime.now().setZone(ZONE);
const YEAR = now.year;

/**
 * A small district built through the API, a known set of actions, and every figure computed by hand:
 *   district 指标区 (population 1000)
 *     subdistrict 甲街道 (600): branch library B (1,200 m², shared, Mon-Fri 9-17 = 40 h)
 *       village 一村 (100): service point P (150 m², not shared)
 *       community 二社区 (200): nothing
 *     subdistrict 乙街道 (400): nothing
 *   central library L (district, shared, every day 9-21 = 84 h), cultural centre CC (district)
 * Copies: 4 at L (acquired last year), 6 at B (2 acquired this year).
 * Actions this year: 3 checkouts at B (2 returned), 50 door-counter visits at B, 1 activity check-in at B
 * (B has a door count, so the check-in is not a second visit), 2 film screenings delivered in 一村 by the
 * cultural centre (audience 30 and 40, nobody checked in), rated 5 and 3; an e-reading room at B; one
 * organizer for 一村.
 */
describe('usage statistics and demonstration-zone indicators', () => {
  let t: TestApp;
  let admin: string;
  let librarian: string;
  let device: string;
  let district: string;
  let sub: string;
  let sub2: string;
  let village: string;
  let L: string;
  let B: string;
  let P: string;
  let resident: Resident;

  const report = (regionId: string, extra = '') =>
    t.http().get(`/api/indicators?plan=haidian-2015-2017&year=${YEAR}&regionId=${regionId}${extra}`).set(bearer(admin)).expect(200);
  const indicator = (body: { indicators: Array<{ code: string }> }, code: string) => body.indicators.find((i) => i.code === code) as Record<string, unknown>;

  beforeAll(async () => {
    t = await startTestApp();
    admin = (await login(t.http, TEST_ADMIN.username, TEST_ADMIN.password)).accessToken;
    const region = async (name: string, kind: string, population: number, parentId?: string) =>
      (await t.http().post('/api/regions').set(bearer(admin)).send({ name, kind, parentId, population, populationYear: YEAR }).expect(201)).body.id as string;
    district = await region('指标区', 'district', 1000);
    sub = await region('甲街道', 'subdistrict', 600, district);
    sub2 = await region('乙街道', 'subdistrict', 400, district);
    village = await region('一村', 'village', 100, sub);
    await region('二社区', 'community', 200, sub);
    const days = (from: number, to: number, opens: string, closes: string) => Array.from({ length: to - from + 1 }, (_, i) => ({ weekday: from + i, opens, closes }));
    const branch = async (body: Record<string, unknown>) => (await t.http().post('/api/branches').set(bearer(admin)).send(body).expect(201)).body.id as string;
    L = await branch({ name: '指标区图书馆', kind: 'library', level: 'central', regionId: district, sharedCirculation: true, openingHours: days(1, 7, '09:00', '21:00') });
    const CC = await branch({ name: '指标区文化馆', kind: 'cultural_centre', level: 'central', regionId: district, openingHours: days(1, 5, '09:00', '17:00') });
    B = await branch({ name: '甲街道图书分馆', kind: 'library', level: 'branch', parentId: L, regionId: sub, floorArea: 1200, sharedCirculation: true, openingHours: days(1, 5, '09:00', '17:00') });
    P = await branch({ name: '一村服务点', kind: 'service_point', level: 'service_point', parentId: B, regionId: village, floorArea: 150, sharedCirculation: false });
    await t.http().post('/api/staff').set(bearer(admin)).send({ username: 'ind-lib', password: 'Indicator123', name: '馆员', role: 'librarian', branchIds: [B, L] }).expect(201);
    await t.http().post('/api/staff').set(bearer(admin)).send({ username: 'ind-gate', password: 'Indicator123', name: '闸机', role: 'device', branchIds: [B] }).expect(201);
    await t.http().post('/api/staff').set(bearer(admin)).send({ username: 'ind-op', password: 'Indicator123', name: '运营', role: 'operator' }).expect(201);
    librarian = (await login(t.http, 'ind-lib', 'Indicator123')).accessToken;
    device = (await login(t.http, 'ind-gate', 'Indicator123')).accessToken;
    const operator = (await login(t.http, 'ind-op', 'Indicator123')).accessToken;
    resident = await registerResident(t.http);

    // Copies.
    const record = (await t.http().post('/api/catalog/records').set(bearer(admin)).send({ title: '指标测试书', authors: ['某'] }).expect(201)).body.id;
    const copy = (barcode: string, branchId: string, acquiredOn: string) =>
      t.http().post('/api/catalog/items').set(bearer(admin)).send({ recordId: record, barcode, branchId, itemType: 'book', acquiredOn }).expect(201);
    for (let i = 1; i <= 4; i++) await copy(`IND-L${i}`, L, `${YEAR - 1}-05-01`);
    for (let i = 1; i <= 6; i++) await copy(`IND-B${i}`, B, i <= 2 ? `${YEAR}-01-02` : `${YEAR - 1}-05-01`);

    // Three checkouts at B, two returned.
    for (let i = 1; i <= 3; i++) await t.http().post('/api/circulation/checkout').set(bearer(librarian)).send({ cardNumber: resident.cardNumber, barcode: `IND-B${i}`, branchId: B }).expect(201);
    for (let i = 1; i <= 2; i++) await t.http().post('/api/circulation/checkin').set(bearer(librarian)).send({ barcode: `IND-B${i}`, branchId: B }).expect(200);

    // The door counter: 50 people this morning.
    const from = now.startOf('day').plus({ hours: 0 });
    await t.http().post('/api/usage/visits').set(bearer(device)).send({ branchId: B, count: 50, from: from.toISO(), to: from.plus({ minutes: 30 }).toISO() }).expect(201);

    // One activity check-in at B.
    const startsAt = now.plus({ minutes: 30 }).startOf('minute');
    const activity = (
      await t.http()
        .post('/api/activities')
        .set(bearer(librarian))
        .send({ title: '读书会', category: 'reading_event', branchId: B, sessions: [{ startsAt: startsAt.toISO(), endsAt: startsAt.plus({ hours: 2 }).toISO(), capacity: 10 }] })
        .expect(201)
    ).body.id;
    const session = (await t.http().get(`/api/activities/${activity}`).expect(200)).body.sessions[0].id;
    const reg = (await t.http().post(`/api/activities/${activity}/registrations`).set(bearer(resident.accessToken)).send({ sessionId: session }).expect(201)).body.id;
    const code = (await t.http().get(`/api/registrations/${reg}/qr`).set(bearer(resident.accessToken)).expect(200)).body.token;
    await t.http().post('/api/checkins').set(bearer(librarian)).send({ token: code }).expect(200);

    // Two film screenings in the village, by the cultural centre.
    const item = (
      await t.http()
        .post('/api/service-items')
        .set(bearer(operator))
        .send({ title: '村村放电影', category: 'film_screening', provider: '指标区文化馆', providerBranchId: CC, durationMinutes: 120, audienceMin: 10, audienceMax: 200, regionIds: [district], monthlyCapacity: 10 })
        .expect(201)
    ).body.id;
    await t.http().post(`/api/service-items/${item}/publish`).set(bearer(operator)).expect(200);
    const db = t.app.get(DataSource);
    const orders: string[] = [];
    for (const audience of [30, 40]) {
      const order = (await t.http().post('/api/service-orders').set(bearer(admin)).send({ itemId: item, regionId: village, preferredFrom: now.toISODate(), preferredTo: now.toISODate(), expectedAudience: 50, address: '一村广场' }).expect(201)).body.id;
      await t.http().post(`/api/service-orders/${order}/accept`).set(bearer(operator)).send({}).expect(200);
      const show = now.plus({ hours: 1 }).startOf('minute');
      await t.http().post(`/api/service-orders/${order}/schedule`).set(bearer(operator)).send({ startsAt: show.toISO(), endsAt: show.plus({ hours: 2 }).toISO() }).expect(200);
      // The screening has happened (time moved on in the database; the rule refuses a delivery before the start).
      await db.query(`UPDATE service_order SET scheduled_starts_at = now() - interval '1 minute' WHERE id = $1`, [order]);
      await t.http().post(`/api/service-orders/${order}/deliver`).set(bearer(operator)).send({ attendance: audience }).expect(200);
      orders.push(order);
    }
    // The orderer rates them 5 and 3: one of two ratings is 4-5.
    await t.http().post(`/api/service-orders/${orders[0]}/evaluate`).set(bearer(admin)).send({ score: 5 }).expect(200);
    await t.http().post(`/api/service-orders/${orders[1]}/evaluate`).set(bearer(admin)).send({ score: 3 }).expect(200);
    // An e-reading room at B (open with the branch, 40 h) and an organizer for the village.
    await t.http().post('/api/venues').set(bearer(admin)).send({ branchId: B, name: '电子阅览室', kind: 'e_reading_room', capacity: 20 }).expect(201);
    await t.http().post('/api/staff').set(bearer(admin)).send({ username: 'ind-org', password: 'Indicator123', name: '组织员', role: 'organizer', regionIds: [village] }).expect(201);
  }, 120_000);
  afterAll(() => t.close());

  it('moves each automatic indicator to the value computed by hand, for the subdistrict and the district', async () => {
    const s = (await report(sub)).body;
    expect(s).toMatchObject({ year: YEAR, region: { id: sub, name: '甲街道' }, plan: { code: 'haidian-2015-2017' } });
    expect(indicator(s, 'books_per_head')).toMatchObject({ value: 0.01, numerator: 6, denominator: 600, target: 1, status: 'does_not_meet', gap: 0.99, source: 'platform' });
    expect(indicator(s, 'circulation_per_volume')).toMatchObject({ value: 0.5, numerator: 3, denominator: 6 });
    expect(indicator(s, 'visits_per_head')).toMatchObject({ value: 0.0833, numerator: 50, denominator: 600 });
    expect(indicator(s, 'new_books_per_head')).toMatchObject({ value: 0.0033, numerator: 2 });
    expect(indicator(s, 'screenings_per_village_month')).toMatchObject({ value: Math.round((2 / now.month) * 100) / 100, numerator: 2, denominator: now.month });
    expect(indicator(s, 'community_centre_coverage')).toMatchObject({ value: 50, numerator: 1, denominator: 2, target: 100, status: 'does_not_meet' });
    expect(indicator(s, 'community_centre_area_share')).toMatchObject({ value: 0, numerator: 0, denominator: 1 });
    expect(indicator(s, 'subdistrict_e_reading_share')).toMatchObject({ value: 100, numerator: 1, denominator: 1 });
    expect(indicator(s, 'community_e_reading_share')).toMatchObject({ value: 0, numerator: 0, denominator: 2 });
    expect(indicator(s, 'organizers_per_community')).toMatchObject({ value: 0.5, numerator: 1, denominator: 2, status: 'does_not_meet' });
    expect(indicator(s, 'satisfaction_index')).toBeUndefined(); // not in the Haidian plan: see the detail endpoint
    expect((await t.http().get(`/api/indicators/satisfaction_index?plan=haidian-2015-2017&year=${YEAR}&regionId=${sub}`).set(bearer(admin)).expect(200)).body).toMatchObject({ value: 50, numerator: 1, denominator: 2, status: 'no_data' });
    // Participants: the check-in at B and the screenings' audiences (30 + 40).
    expect((await t.http().get(`/api/indicators/activity_participants?plan=haidian-2015-2017&year=${YEAR}&regionId=${sub}`).set(bearer(admin)).expect(200)).body.value).toBe(71);

    const d = (await report(district)).body;
    expect(indicator(d, 'books_per_head')).toMatchObject({ value: 0.01, numerator: 10, denominator: 1000 });
    expect(indicator(d, 'circulation_per_volume')).toMatchObject({ value: 0.3, numerator: 3, denominator: 10 });
    expect(indicator(d, 'visits_per_head')).toMatchObject({ value: 0.05, numerator: 50 });
    expect(indicator(d, 'cultural_centre_hours_per_week')).toMatchObject({ value: 40, target: 60, status: 'does_not_meet', gap: 20 });
    expect(indicator(d, 'e_reading_hours_per_week')).toMatchObject({ value: 40, numerator: 40, denominator: 1 });
    expect(indicator(d, 'subdistrict_e_reading_share')).toMatchObject({ value: 50, numerator: 1, denominator: 2 });
    expect(indicator(d, 'subdistrict_centre_area_share')).toMatchObject({ value: null, status: 'no_data' }); // no subdistrict centre, only a library branch
    expect(indicator(d, 'library_hours_per_week')).toMatchObject({ value: 62, target: 70, status: 'does_not_meet', gap: 8 });
    expect(indicator(d, 'shared_circulation_share')).toMatchObject({ value: 66.67, numerator: 2, denominator: 3 });
    expect(indicator(d, 'touring_performances')).toMatchObject({ value: 0, status: 'does_not_meet' });
    expect(indicator(d, 'library_outreach')).toMatchObject({ value: 0 });
    expect(indicator(d, 'museums')).toMatchObject({ method: 'manual', value: null, status: 'no_data', source: 'manual: not entered' });
    // The plan has 42 indicators; the compliance rate is the share meeting their target.
    expect(d.total).toBe(42);
    const meeting = d.indicators.filter((i: { status: string }) => i.status === 'meets').length;
    expect(d).toMatchObject({ meeting, complianceRate: Math.round((meeting / 42) * 10_000) / 100 });
    // Trend: four years, this year's value last; nothing happened last year.
    expect(indicator(d, 'circulation_per_volume').trend).toEqual([
      { year: YEAR - 3, value: null },
      { year: YEAR - 2, value: null },
      { year: YEAR - 1, value: 0 },
      { year: YEAR, value: 0.3 },
    ]);
    // English names on request.
    const en = await t.http().get(`/api/indicators?plan=haidian-2015-2017&year=${YEAR}&regionId=${district}`).set(bearer(admin)).set('Accept-Language', 'en').expect(200);
    expect(indicator(en.body, 'books_per_head').name).toBe('Library books per head');
  });

  it('breaks an indicator down by branch, by sub-region and by month', async () => {
    const byBranch = await t.http().get(`/api/indicators/circulation_per_volume?plan=haidian-2015-2017&year=${YEAR}&regionId=${district}&by=branch`).set(bearer(admin)).expect(200);
    const branches = Object.fromEntries(byBranch.body.breakdown.map((b: { key: string; value: number | null }) => [b.key, b.value]));
    expect(branches).toMatchObject({ [B]: 0.5, [L]: 0, [P]: null });
    const byRegion = await t.http().get(`/api/indicators/books_per_head?plan=haidian-2015-2017&year=${YEAR}&regionId=${district}&by=region`).set(bearer(admin)).expect(200);
    // The district's own row (its central library: 4 copies, no population of its own) and each subdistrict.
    const rows = byRegion.body.breakdown.map((r: { key: string; value: number; numerator: number }) => [r.key, r.value, r.numerator]);
    expect(rows[0]).toEqual([district, null, 4]);
    expect(rows.slice(1).sort()).toEqual([[sub, 0.01, 6], [sub2, 0, 0]].sort());
    const byMonth = await t.http().get(`/api/indicators/circulation_per_volume?plan=haidian-2015-2017&year=${YEAR}&regionId=${sub}&by=month`).set(bearer(admin)).expect(200);
    expect(byMonth.body.breakdown).toHaveLength(12);
    expect(byMonth.body.breakdown[now.month - 1]).toMatchObject({ key: now.toFormat('yyyy-MM'), numerator: 3, value: 0.5 });
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
    const at = now.startOf('day').plus({ hours: 1 });
    const body = { branchId: B, count: 7, from: at.toISO(), to: at.plus({ minutes: 30 }).toISO() };
    const results = await Promise.all(Array.from({ length: 5 }, () => t.http().post('/api/usage/visits').set(bearer(device)).send(body)));
    // An interval overlapping one already reported is refused too: nobody is counted twice.
    const overlapping = { ...body, from: at.plus({ minutes: 15 }).toISO(), to: at.plus({ minutes: 45 }).toISO() };
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
    expect(results.find((r) => r.status === 409)!.body.code).toBe('VISITS_ALREADY_COUNTED');
    expect((await t.http().post('/api/usage/visits').set(bearer(device)).send(overlapping).expect(409)).body.code).toBe('VISITS_ALREADY_COUNTED');
    expect((await t.http().post('/api/usage/visits').set(bearer(device)).send({ ...body, to: at.plus({ hours: 30 }).toISO() }).expect(400)).body.details.errors[0].field).toBe('to');
    await t.http().post('/api/usage/digital-access').set(bearer(device)).send({ ...body, count: 12, resource: 'e-books' }).expect(201);
    const digital = await t.http().get(`/api/stats/usage?metric=digital_access&from=${now.toISODate()}&to=${now.toISODate()}`).set(bearer(admin)).expect(200);
    expect(digital.body.total).toEqual({ events: 1, quantity: 12 });
    await t.http().post('/api/usage/visits').set(bearer(device)).send({ ...body, branchId: L }).expect(403);
    expect((await t.http().post('/api/usage/visits').set(bearer(device)).send({ ...body, to: at.minus({ hours: 1 }).toISO() }).expect(400)).body.details.errors[0].field).toBe('to');
    const usage = await t.http().get(`/api/stats/usage?metric=visit&from=${now.toISODate()}&to=${now.toISODate()}&branchId=${B}`).set(bearer(admin)).expect(200);
    expect(usage.body).toMatchObject({ metric: 'visit', groupBy: 'day', series: [{ period: now.toISODate(), quantity: 57 }], total: { quantity: 57, events: 2 } });
    const loans = await t.http().get(`/api/stats/usage?metric=loan&from=${YEAR}-01-01&to=${YEAR}-12-31&groupBy=month&regionId=${district}`).set(bearer(admin)).expect(200);
    expect(loans.body.series).toEqual([{ period: now.toFormat('yyyy-MM'), events: 3, quantity: 3 }]);
    expect((await t.http().get(`/api/stats/usage?metric=gossip&from=${YEAR}-01-01&to=${YEAR}-12-31`).set(bearer(admin)).expect(400)).body.details.errors[0].field).toBe('metric');
  });

  it('rebuilds the daily and monthly rollups from the raw log to the same figures', async () => {
    const db = t.app.get(DataSource);
    const figures = () =>
      db.query(`SELECT day::text, kind, branch_id, region_id, category, provider_kind, sum(events)::int AS events, sum(quantity)::int AS quantity, sum(audience)::int AS audience
                  FROM usage_daily GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6`);
    const before = await figures();
    expect(before.find((r: { kind: string }) => r.kind === 'service_delivered')).toMatchObject({ events: 2, audience: 70, provider_kind: 'cultural_centre', category: 'film_screening', region_id: village });
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
    expect(lines.find((l) => l.startsWith('books_per_head,'))).toBe('books_per_head,人均公共图书馆藏书,volumes/person,auto,0.01,1,,0.8,未达标,0.99,platform');

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
    expect([row.getCell(5).value, row.getCell(6).value, row.getCell(9).value]).toEqual([0.3, 1, 'does not meet']);
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
    expect(indicator(forDistrict, 'circulation_per_volume')).toMatchObject({ value: 0.3, target: 0.25, status: 'meets' });
    const forSub = (await t.http().get(`/api/indicators?plan=zhibiao-2026&year=${YEAR}&regionId=${sub}`).set(bearer(admin)).expect(200)).body;
    expect(indicator(forSub, 'circulation_per_volume')).toMatchObject({ value: 0.5, target: 0.6, status: 'does_not_meet', gap: 0.1 });
    expect(forSub).toMatchObject({ meeting: 1, complianceRate: 50 });

    await t.http().post('/api/indicator-plans').set(bearer(admin)).send({ code: 'zhibiao-2026', name: 'x', fromYear: YEAR, toYear: YEAR, targets: [{ indicator: 'books_per_head', target: 1 }] }).expect(409);
    const unknown = await t.http().post('/api/indicator-plans').set(bearer(admin)).send({ code: 'bad-plan', name: 'x', fromYear: YEAR, toYear: YEAR, targets: [{ indicator: 'happiness', target: 1 }] }).expect(400);
    expect(unknown.body.details.errors[0].field).toBe('targets.0.indicator');
    await t.http().get(`/api/indicators?plan=no-such-plan&year=${YEAR}&regionId=${district}`).set(bearer(admin)).expect(404);
    await t.http().get(`/api/indicators?plan=haidian-2015-2017&year=${YEAR}&regionId=${district}`).set(bearer(librarian)).expect(403);
  });
});
