import { DateTime } from 'luxon';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { bearer, login } from './utils/factories';
import { startTestApp, TEST_ADMIN, TestApp } from './utils/test-app';

/** The usage log is the record the indicators are computed from: it only grows, and only for branches that exist. */
describe('usage log', () => {
  let t: TestApp;
  let admin: string;
  let branch: string;
  let branchZone: string;
  let db: DataSource;
  // A half-hour that ended two hours ago: always in the past, whatever the time of day.
  const from = DateTime.now().minus({ hours: 2, minutes: 30 }).startOf('minute');
  const interval = { from: from.toISO(), to: from.plus({ minutes: 30 }).toISO() };

  beforeAll(async () => {
    t = await startTestApp();
    db = t.app.get(DataSource);
    admin = (await login(t.http, TEST_ADMIN.username, TEST_ADMIN.password)).accessToken;
    const region = (await t.http().post('/api/regions').set(bearer(admin)).send({ name: '日志区', kind: 'district' }).expect(201)).body.id;
    const created = (await t.http().post('/api/branches').set(bearer(admin)).send({ name: '日志馆', kind: 'library', level: 'central', regionId: region, sharedCirculation: true }).expect(201)).body;
    branch = created.id;
    branchZone = created.timeZone;
  });
  afterAll(() => t.close());

  it('refuses to change, delete or truncate events, so the rollups never drift from the log', async () => {
    await t.http().post('/api/usage/visits').set(bearer(admin)).send({ branchId: branch, count: 40, ...interval }).expect(201);
    const [{ id }] = await db.query(`SELECT id FROM usage_event WHERE branch_id = $1 AND kind = 'visit'`, [branch]);
    await expect(db.query(`UPDATE usage_event SET quantity = 400 WHERE id = $1`, [id])).rejects.toThrow(/append-only: UPDATE/);
    await expect(db.query(`DELETE FROM usage_event WHERE id = $1`, [id])).rejects.toThrow(/append-only: DELETE/);
    await expect(db.query(`TRUNCATE usage_event`)).rejects.toThrow(/append-only: TRUNCATE/);
    const [{ quantity, events }] = await db.query(
      `SELECT (SELECT sum(quantity)::int FROM usage_event WHERE branch_id = $1) AS quantity, (SELECT count(*)::int FROM usage_event) AS events`,
      [branch],
    );
    expect(quantity).toBe(40);
    expect(events).toBeGreaterThan(0);
    // A count is rolled up on the branch's calendar day on which its interval began (the machine's zone plays no part).
    const day = from.setZone(branchZone).toISODate();
    const rollup = await t.http().get(`/api/stats/usage?metric=visit&from=${day}&to=${day}&branchId=${branch}`).set(bearer(admin)).expect(200);
    expect(rollup.body.series).toEqual([{ period: day, events: 1, quantity: 40 }]);
    expect(rollup.body.total.quantity).toBe(40);
  });

  it("says in the OpenAPI document that from and to are days in each branch's own zone", async () => {
    const doc = (await t.http().get('/api/docs-json').expect(200)).body;
    const params: Array<{ name: string; description?: string }> = doc.paths['/api/stats/usage'].get.parameters;
    for (const name of ['from', 'to']) expect(params.find((p) => p.name === name)?.description).toMatch(/each branch's own time zone/);
  });

  it('answers a count for an unknown branch with a 400 naming branchId, and records nothing', async () => {
    const before = (await db.query(`SELECT count(*)::int AS n FROM usage_event`))[0].n;
    for (const [path, extra] of [['/api/usage/visits', {}], ['/api/usage/digital-access', { resource: 'e-books' }]] as const) {
      const res = await t.http().post(path).set(bearer(admin)).send({ branchId: randomUUID(), count: 5, ...extra, ...interval }).expect(400);
      expect(res.body).toMatchObject({ code: 'REFERENCE_NOT_FOUND', details: { field: 'branchId' } });
    }
    expect((await db.query(`SELECT count(*)::int AS n FROM usage_event`))[0].n).toBe(before);
  });
});
