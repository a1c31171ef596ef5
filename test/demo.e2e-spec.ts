import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { DemoSeeder } from '../apps/api/src/demo/demo-seeder';
import { DEMO_RESIDENT_PASSWORD, DEMO_RESIDENTS, DEMO_STAFF, DEMO_STAFF_PASSWORD } from '../apps/api/src/demo/demo-district';
import { DEMO_FLASH_CLASS_TITLE } from '../apps/api/src/demo/demo-programme';
import { DEMO_HISTORY_DAYS } from '../apps/api/src/demo/demo-history';
import { ACTIVITY_CATEGORIES } from '../libs/booking/src/entities/activity.entity';
import { bearer, login } from './utils/factories';
import { startTestApp, TestApp } from './utils/test-app';

const ZONE = 'Asia/Shanghai';

describe('demo district', () => {
  let t: TestApp;
  /** When the demo was first loaded: the flash class opens a few minutes after. */
  let loadedAt: number;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const adminToken = async () => (await login(t.http, 'admin', 'Admin12345')).accessToken;
  const districtId = async () => (await t.http().get('/api/regions?pageSize=50').expect(200)).body.items.find((r: { kind: string }) => r.kind === 'district').id as string;
  const branchCodes = async () => {
    const rows: Array<{ id: string; code: string; level: string }> = await t.app.get(DataSource).query(`SELECT id, code, level FROM branch`);
    return new Map(rows.map((b) => [b.id, b]));
  };

  it('loads once and changes nothing the second time', async () => {
    const seeder = t.app.get(DemoSeeder);
    loadedAt = Date.now();
    const first = await seeder.seed();
    expect(first.created).toBeGreaterThan(1000);
    const ds = t.app.get(DataSource);
    const snapshot = () =>
      ds.query(`SELECT (SELECT count(*) FROM region) r, (SELECT count(*) FROM branch) b, (SELECT count(*) FROM staff) s,
                       (SELECT count(*) FROM patron) p, (SELECT count(*) FROM card) c, (SELECT count(*) FROM branch_weekly_hours) h,
                       (SELECT count(*) FROM branch_calendar_exception) e, (SELECT count(*) FROM region_population) pop,
                       (SELECT count(*) FROM service_item) items, (SELECT count(*) FROM indicator_manual_entry) figures,
                       (SELECT count(*) FROM venue) venues, (SELECT count(*) FROM venue_booking) bookings,
                       (SELECT count(*) FROM activity) activities, (SELECT count(*) FROM activity_session) sessions,
                       (SELECT count(*) FROM session_seat WHERE registration_id IS NOT NULL) seats_taken,
                       (SELECT count(*) FROM registration) registrations, (SELECT count(*) FROM loan) loans, (SELECT count(*) FROM transit) transits,
                       (SELECT count(*) FROM usage_event) events, (SELECT sum(quantity) FROM usage_event) used,
                       (SELECT sum(quantity) FROM usage_daily) daily, (SELECT sum(quantity) FROM usage_monthly) monthly,
                       (SELECT count(*) FROM service_order) orders, (SELECT count(*) FROM service_order_event) steps,
                       (SELECT count(*) FROM service_rating) ratings, (SELECT count(*) FROM service_order_served) served,
                       (SELECT count(*) FROM notification) notices`);
    const before = await snapshot();
    expect(Number(before[0].venues)).toBeGreaterThan(0);
    expect(Number(before[0].loans)).toBeGreaterThan(0);
    expect(Number(before[0].orders)).toBeGreaterThan(0);
    expect((await seeder.seed()).created).toBe(0);
    expect(await snapshot()).toEqual(before);
  });

  it('has the network the plan describes', async () => {
    const ds = t.app.get(DataSource);
    const levels: Array<{ kind: string; level: string; n: number }> = await ds.query(
      `SELECT kind, level, count(*)::int AS n FROM branch GROUP BY kind, level`,
    );
    const count = (f: (r: { kind: string; level: string }) => boolean) => levels.filter(f).reduce((a, r) => a + r.n, 0);
    expect(count((r) => r.kind === 'library' && r.level === 'central')).toBe(1);
    expect(count((r) => r.kind === 'cultural_centre' && r.level === 'central')).toBe(1);
    expect(count((r) => r.level === 'branch')).toBeGreaterThanOrEqual(3);
    expect(count((r) => r.kind === 'service_point')).toBeGreaterThanOrEqual(6);
    const [{ n: withoutHours }] = await ds.query(
      `SELECT count(*)::int AS n FROM branch b WHERE NOT EXISTS (SELECT 1 FROM branch_weekly_hours h WHERE h.branch_id = b.id)`,
    );
    expect(withoutHours).toBe(0);
    const [{ n: withoutPopulation }] = await ds.query(
      `SELECT count(*)::int AS n FROM region r WHERE NOT EXISTS (SELECT 1 FROM region_population p WHERE p.region_id = r.id)`,
    );
    expect(withoutPopulation).toBe(0);
    // Every library-type branch (library or integrated centre at branch level and above) has a librarian.
    const [{ n: unstaffed }] = await ds.query(
      `SELECT count(*)::int AS n FROM branch b WHERE b.kind IN ('library', 'integrated_centre')
         AND NOT EXISTS (SELECT 1 FROM staff_branch sb JOIN staff s ON s.id = sb.staff_id WHERE sb.branch_id = b.id AND s.role = 'librarian')`,
    );
    expect(unstaffed).toBe(0);
  });

  it('has a published service menu the communities can order from', async () => {
    const village = (await t.http().get('/api/regions?pageSize=50').expect(200)).body.items.find((r: { name: string }) => r.name === '白家疃村');
    const menu = await t.http().get(`/api/service-items?regionId=${village.id}&pageSize=50`).expect(200);
    expect(menu.body.items.map((i: { title: string }) => i.title)).toEqual(expect.arrayContaining(['公益电影放映', '流动图书车进社区', '京剧名段欣赏与体验']));
    expect(menu.body.items.every((i: { status: string; remainingInMonth: number }) => i.status === 'published' && i.remainingInMonth > 0)).toBe(true);
  });

  it('gives the administrator an indicator report for 海淀区 this year, with hand-entered figures', async () => {
    const { accessToken } = await login(t.http, 'admin', 'Admin12345');
    const district = (await t.http().get('/api/regions?pageSize=50').expect(200)).body.items.find((r: { kind: string }) => r.kind === 'district');
    // The district's year, in its zone: on the evening of 31 December (UTC) Shanghai is already in the next.
    const year = DateTime.now().setZone('Asia/Shanghai').year;
    const report = await t.http().get(`/api/indicators?plan=haidian-2015-2017&year=${year}&regionId=${district.id}`).set(bearer(accessToken)).expect(200);
    expect(report.body.total).toBe(42);
    expect(report.body.indicators.find((i: { code: string }) => i.code === 'museums')).toMatchObject({ value: 2, status: 'meets', source: '演示数据 / demo data' });
    expect(report.body.indicators.find((i: { code: string }) => i.code === 'library_hours_per_week').value).toBeGreaterThan(50);
  });

  it('has public venues of every kind at the central library, the cultural centre and two subdistrict branches', async () => {
    const branches = await branchCodes();
    const venues: Array<{ id: string; name: string; kind: string; branchId: string; requiresApproval: boolean; whoMayBook: string[]; slotMinutes: number }> =
      (await t.http().get('/api/venues').expect(200)).body;
    const at = (code: string) => venues.filter((v) => branches.get(v.branchId)?.code === code);
    // The study room is booked by the hour by residents themselves; the dance hall waits for the operator's approval.
    expect(at('HD-LIB')).toEqual(expect.arrayContaining([expect.objectContaining({ name: '自习研讨室', kind: 'room', slotMinutes: 60, requiresApproval: false, whoMayBook: ['resident'] })]));
    expect(at('HD-CUL')).toEqual(expect.arrayContaining([expect.objectContaining({ name: '舞蹈排练厅', kind: 'hall', requiresApproval: true, whoMayBook: expect.arrayContaining(['resident']) })]));
    const subdistrict = venues.filter((v) => branches.get(v.branchId)?.level === 'branch');
    expect(new Set(subdistrict.map((v) => v.branchId)).size).toBeGreaterThanOrEqual(2);
    expect(subdistrict.some((v) => v.kind === 'court')).toBe(true);
    expect(new Set(venues.map((v) => v.kind))).toEqual(new Set(['room', 'hall', 'court', 'e_reading_room', 'outdoor_square']));
    // Every subdistrict branch with an e-reading room counts for indicator 11; the central library's for its hours.
    expect(at('HD-LIB').some((v) => v.kind === 'e_reading_room')).toBe(true);
    expect(subdistrict.filter((v) => v.kind === 'e_reading_room').length).toBeGreaterThanOrEqual(2);

    // Anyone sees the study room's free spans over the next week, in the branch's local time.
    const study = at('HD-LIB').find((v) => v.name === '自习研讨室')!;
    const today = DateTime.now().setZone(ZONE);
    const availability = await t.http().get(`/api/venues/${study.id}/availability?from=${today.toISODate()}&to=${today.plus({ days: 7 }).toISODate()}`).expect(200);
    expect(availability.body.days.some((d: { free: unknown[] }) => d.free.length > 0)).toBe(true);
  });

  it('has residents’ bookings made by the rules: confirmed where no approval is needed, one waiting for approval', async () => {
    const mine = async (phone: string) => {
      const { accessToken } = await login(t.http, phone, DEMO_RESIDENT_PASSWORD);
      return (await t.http().get('/api/me/bookings').set(bearer(accessToken)).expect(200)).body as Array<{ status: string; startsAt: string; venue: { name: string } }>;
    };
    const zhang = await mine('13800000001');
    expect(zhang.map((b) => [b.venue.name, b.status]).sort()).toEqual([['羽毛球场', 'confirmed'], ['自习研讨室', 'confirmed']]);
    const li = await mine('13800000003');
    expect(li.map((b) => [b.venue.name, b.status])).toEqual([['舞蹈排练厅', 'pending']]);
    for (const b of [...zhang, ...li]) expect(Date.parse(b.startsAt)).toBeGreaterThan(loadedAt);
  });

  it('lists activities of every kind over the next weeks, with seats left', async () => {
    const today = DateTime.now().setZone(ZONE);
    const res = await t.http().get(`/api/activities?from=${today.toISODate()}&pageSize=200`).expect(200);
    type Listed = { title: string; category: string; series: boolean; mode: string; ageMin: number | null; ageMax: number | null; specialGroups: string[]; registrationClosesAt: string | null;
      sessions: Array<{ id: string; startsAt: string; capacity: number; walkInSeats: number; seatsLeft: number; confirmed: number }> };
    const upcoming = (res.body.items as Listed[]).filter((a) => a.sessions.every((s) => Date.parse(s.startsAt) > Date.now()));
    expect(new Set(upcoming.map((a) => a.category))).toEqual(new Set(ACTIVITY_CATEGORIES));
    for (const a of upcoming) {
      expect(a.sessions.some((s) => s.seatsLeft > 0)).toBe(true);
      // Over the next weeks, not months.
      for (const s of a.sessions) expect(Date.parse(s.startsAt)).toBeLessThan(Date.now() + 9 * 7 * 86_400_000);
    }
    const course = upcoming.find((a) => a.series)!;
    expect(course.sessions.length).toBeGreaterThanOrEqual(4);
    // One series registration holds a seat in every session.
    expect(course.sessions.every((s) => s.confirmed === 1)).toBe(true);
    const children = upcoming.find((a) => a.ageMin !== null && a.ageMax !== null && a.category === 'class' && a.title !== DEMO_FLASH_CLASS_TITLE)!;
    expect(children.ageMin).toBeLessThan(children.ageMax!);
    // Seats kept for walk-ins and phone booking for the elderly: the desk put 王芳 in one of them, so no public seat was used.
    const elderly = upcoming.find((a) => a.specialGroups.includes('elderly') && a.sessions.some((s) => s.confirmed > 0))!;
    const first = elderly.sessions[0];
    expect(first.walkInSeats).toBeGreaterThan(0);
    expect(first.seatsLeft).toBe(first.capacity - first.walkInSeats);
    expect(upcoming.some((a) => a.mode === 'approval')).toBe(true);
    expect(upcoming.some((a) => a.registrationClosesAt !== null)).toBe(true);
  });

  it('opens the flash class a few minutes after the demo was loaded, not before', async () => {
    const list = await t.http().get('/api/activities?pageSize=200').expect(200);
    const flash = list.body.items.find((a: { title: string }) => a.title === DEMO_FLASH_CLASS_TITLE);
    expect(flash).toBeDefined();
    const opensAt = Date.parse(flash.registrationOpensAt);
    expect(opensAt).toBeGreaterThanOrEqual(loadedAt + 4 * 60_000);
    expect(opensAt).toBeLessThanOrEqual(loadedAt + 6 * 60_000);
    expect(new Date(opensAt).getUTCSeconds()).toBe(0);
    const { accessToken } = await login(t.http, DEMO_RESIDENTS[0].phone, DEMO_RESIDENT_PASSWORD);
    const early = await t.http().post(`/api/activities/${flash.id}/registrations`).set(bearer(accessToken)).send({ sessionId: flash.sessions[0].id }).expect(409);
    expect(early.body.code).toBe('REGISTRATION_NOT_OPEN');
    expect(flash.sessions[0].seatsLeft).toBe(flash.sessions[0].capacity);
  });

  it('has months of past usage behind the indicator report: circulation, visits, deliveries and their trend', async () => {
    const admin = await adminToken();
    const district = await districtId();
    // A year the history certainly covers, whatever the day: the one of two months ago, in the district's zone.
    const year = DateTime.now().setZone(ZONE).minus({ days: 60 }).year;
    const report = await t.http().get(`/api/indicators?plan=haidian-2015-2017&year=${year}&regionId=${district}`).set(bearer(admin)).expect(200);
    const row = (code: string) => report.body.indicators.find((i: { code: string }) => i.code === code);
    for (const code of ['circulation_per_volume', 'visits_per_head', 'screenings_per_village_month', 'shows_per_village_year', 'library_outreach', 'touring_performances', 'touring_exhibitions']) {
      expect({ code, value: row(code).value }).toEqual({ code, value: expect.any(Number) });
      expect(row(code).value).toBeGreaterThan(0);
      expect(row(code).source).toBe('platform');
      expect(row(code).trend.find((p: { year: number }) => p.year === year).value).toBe(row(code).value);
    }
    // Loans per copy held: the numerator is the year's loans.
    expect(row('circulation_per_volume').numerator).toBeGreaterThan(20);
    // The daily series of door-counter visits covers the history, month by month.
    const today = DateTime.now().setZone(ZONE);
    const visits = await t.http()
      .get(`/api/stats/usage?metric=visit&from=${today.minus({ days: DEMO_HISTORY_DAYS }).toISODate()}&to=${today.toISODate()}&groupBy=month&regionId=${district}`)
      .set(bearer(admin))
      .expect(200);
    expect(visits.body.series.length).toBeGreaterThanOrEqual(4);
    expect(visits.body.series.every((p: { quantity: number }) => p.quantity > 0)).toBe(true);
  });

  it('has a non-zero satisfaction index from the ratings of delivered services', async () => {
    const index = await t.http().get('/api/satisfaction?by=region').expect(200);
    expect(index.body.overall.ratings).toBeGreaterThan(10);
    expect(index.body.overall.mean).toBeGreaterThanOrEqual(3);
    expect(index.body.overall.highShare).toBeGreaterThan(0.5);
    expect(index.body.groups.map((g: { name: string }) => g.name)).toEqual(expect.arrayContaining(['白家疃村', '中关村东路社区']));
    const year = DateTime.now().setZone(ZONE).minus({ days: 60 }).year;
    const indicator = await t.http()
      .get(`/api/indicators/satisfaction_index?plan=haidian-2015-2017&year=${year}&regionId=${await districtId()}`)
      .set(bearer(await adminToken()))
      .expect(200);
    expect(indicator.body.value).toBeGreaterThan(50);
  });

  it('keeps the past consistent: each loan with its events, one loan of a copy at a time, rollups matching the log', async () => {
    const ds = t.app.get(DataSource);
    const [check] = await ds.query(`
      SELECT (SELECT count(*)::int FROM loan l WHERE NOT EXISTS (SELECT 1 FROM usage_event e WHERE e.kind = 'loan' AND e.occurred_at = l.checked_out_at
                AND e.branch_id = l.checkout_branch_id AND e.item_type = l.item_type AND e.patron_category = l.patron_category)) AS loans_without_event,
             (SELECT count(*)::int FROM loan l WHERE NOT EXISTS (SELECT 1 FROM usage_event e WHERE e.kind = 'return' AND e.occurred_at = l.closed_at
                AND e.branch_id = l.checkin_branch_id AND e.patron_category = l.patron_category)) AS returns_without_event,
             (SELECT count(*)::int FROM usage_event WHERE kind = 'loan') - (SELECT count(*)::int FROM loan) AS loan_events_without_loan,
             (SELECT count(*)::int FROM loan a JOIN loan b ON a.item_id = b.item_id AND a.id < b.id
                 AND tstzrange(a.checked_out_at, a.closed_at) && tstzrange(b.checked_out_at, b.closed_at)) AS overlapping_loans,
             (SELECT count(*)::int FROM loan WHERE closed_at IS NULL OR closed_at > due_at) AS open_or_late,
             (SELECT count(*)::int FROM transit t WHERE NOT EXISTS (SELECT 1 FROM loan l WHERE l.item_id = t.item_id AND l.closed_at = t.sent_at AND l.checkin_branch_id = t.from_branch_id)) AS transits_without_return,
             (SELECT count(*)::int FROM item WHERE status <> 'available' OR current_branch_id <> home_branch_id) AS copies_away,
             (SELECT count(*)::int FROM service_order o WHERE NOT EXISTS (SELECT 1 FROM usage_event e WHERE e.kind = 'service_delivered'
                AND e.attributes->>'orderId' = o.id::text AND e.occurred_at = o.scheduled_starts_at AND e.region_id = o.region_id)) AS deliveries_without_event,
             (SELECT count(*)::int FROM registration r JOIN activity_session s ON s.id = r.session_id WHERE r.status = 'attended'
                AND NOT EXISTS (SELECT 1 FROM session_seat x WHERE x.registration_id = r.id)) AS attended_without_seat,
             (SELECT sum(quantity) FROM usage_event) = (SELECT sum(quantity) FROM usage_daily) AND (SELECT sum(quantity) FROM usage_event) = (SELECT sum(quantity) FROM usage_monthly) AS rollups_match,
             (SELECT max(occurred_at) FROM usage_event WHERE attributes @> '{"demo": true}') AS last_past_event`);
    expect(check).toEqual({
      loans_without_event: 0,
      returns_without_event: 0,
      loan_events_without_loan: 0,
      overlapping_loans: 0,
      open_or_late: 0,
      transits_without_return: 0,
      copies_away: 0,
      deliveries_without_event: 0,
      attended_without_seat: 0,
      rollups_match: true,
      last_past_event: expect.any(Date),
    });
    expect(check.last_past_event.getTime()).toBeLessThan(loadedAt);
  });

  it('has the mobile library’s route: stops in the communities it serves, visited weekly from today', async () => {
    const [van] = await t.app.get(DataSource).query(`SELECT id, time_zone FROM branch WHERE code = 'HD-MOB'`);
    const stops = (await t.http().get(`/api/mobile-stops?branchId=${van.id}&days=90`).expect(200)).body;
    expect(stops.map((s: { name: string; regionName: string }) => [s.name, s.regionName]).sort()).toEqual([['学知园社区站', '学知园社区'], ['杨家庄村站', '杨家庄村'], ['科源社区站', '科源社区']]);
    const today = DateTime.now().setZone(van.time_zone).toISODate()!;
    for (const s of stops as Array<{ name: string; visits: Array<{ date: string }> }>) {
      // Weekly, on the stop's weekday; the first may be today's (if not yet over), the rest are to come.
      expect(new Set(s.visits.map((v) => DateTime.fromISO(v.date).weekday)).size).toBe(1);
      expect(s.visits.length).toBeGreaterThanOrEqual(7);
      expect(s.visits.every((v) => v.date >= today)).toBe(true);
    }
  });

  it('has a demo catalogue with copies across the network', async () => {
    const res = await t.http().get(`/api/catalog/search?q=${encodeURIComponent('三国')}`).expect(200);
    expect(res.body.items).toHaveLength(1);
    expect(res.body.items[0]).toMatchObject({ title: '三国演义', itemCount: 4 });
    expect(res.body.items[0].availability).toHaveLength(3);
  });

  it('lets every demo account log in', async () => {
    for (const s of DEMO_STAFF) {
      const { accessToken } = await login(t.http, s.username, DEMO_STAFF_PASSWORD);
      const me = await t.http().get('/api/me').set(bearer(accessToken)).expect(200);
      expect(me.body.role).toBe(s.role);
    }
    for (const r of DEMO_RESIDENTS) {
      const { accessToken } = await login(t.http, r.phone, DEMO_RESIDENT_PASSWORD);
      const me = await t.http().get('/api/me').set(bearer(accessToken)).expect(200);
      expect(me.body.name).toBe(r.name);
    }
  });

  it('shows the central library open 72 hours in an ordinary week and less in the Spring Festival week', async () => {
    const lib = await t.http().get('/api/branches?level=central&kind=library').expect(200);
    const id = lib.body.items[0].id;
    expect((await t.http().get(`/api/branches/${id}/hours?week=2026-W48`).expect(200)).body.totalHours).toBe(72);
    // 2027-02-05 (Fri) and 2027-02-06 (Sat) are closed: 72 - 24.
    expect((await t.http().get(`/api/branches/${id}/hours?week=2027-W05`).expect(200)).body.totalHours).toBe(48);
  });
});

describe('demo district on a database already in use', () => {
  it('leaves the past out rather than write it over real door counts, and still loads the rest', async () => {
    const t = await startTestApp();
    try {
      const admin = (await login(t.http, 'admin', 'Admin12345')).accessToken;
      const region = (await t.http().post('/api/regions').set(bearer(admin)).send({ name: '旧区', kind: 'district' }).expect(201)).body.id;
      const branch = (await t.http().post('/api/branches').set(bearer(admin)).send({ name: '旧馆', kind: 'library', level: 'central', regionId: region }).expect(201)).body.id;
      const from = DateTime.now().minus({ hours: 3 }).startOf('minute');
      await t.http().post('/api/usage/visits').set(bearer(admin)).send({ branchId: branch, count: 12, from: from.toISO(), to: from.plus({ hours: 1 }).toISO() }).expect(201);
      expect((await t.app.get(DemoSeeder).seed()).created).toBeGreaterThan(30);
      const db = t.app.get(DataSource);
      expect((await db.query(`SELECT count(*)::int AS n FROM usage_event WHERE attributes @> '{"demo": true}'`))[0].n).toBe(0);
      expect((await db.query(`SELECT count(*)::int AS n FROM activity WHERE title = $1`, [DEMO_FLASH_CLASS_TITLE]))[0].n).toBe(1);
    } finally {
      await t.close();
    }
  });
});
