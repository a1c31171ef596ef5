import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { DemoSeeder } from '../apps/api/src/demo/demo-seeder';
import { DEMO_RESIDENT_PASSWORD, DEMO_RESIDENTS, DEMO_STAFF, DEMO_STAFF_PASSWORD } from '../apps/api/src/demo/demo-district';
import { bearer, login } from './utils/factories';
import { startTestApp, TestApp } from './utils/test-app';

describe('demo district', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('loads once and changes nothing the second time', async () => {
    const seeder = t.app.get(DemoSeeder);
    const first = await seeder.seed();
    expect(first.created).toBeGreaterThan(30);
    const ds = t.app.get(DataSource);
    const snapshot = () =>
      ds.query(`SELECT (SELECT count(*) FROM region) r, (SELECT count(*) FROM branch) b, (SELECT count(*) FROM staff) s,
                       (SELECT count(*) FROM patron) p, (SELECT count(*) FROM card) c, (SELECT count(*) FROM branch_weekly_hours) h,
                       (SELECT count(*) FROM branch_calendar_exception) e, (SELECT count(*) FROM region_population) pop,
                       (SELECT count(*) FROM service_item) items, (SELECT count(*) FROM indicator_manual_entry) figures`);
    const before = await snapshot();
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
