import { bearer, login, registerResident } from './utils/factories';
import { startTestApp, TEST_ADMIN, TestApp } from './utils/test-app';

/** Opening hours Tuesday to Sunday (ISO weekdays 2..7). */
const TUE_TO_SUN = [2, 3, 4, 5, 6, 7];
const CENTRAL_HOURS = TUE_TO_SUN.map((weekday) => ({ weekday, opens: '09:00', closes: '21:00' }));
const LUNCH_BREAK_HOURS = TUE_TO_SUN.flatMap((weekday) => [
  { weekday, opens: '09:00', closes: '12:00' },
  { weekday, opens: '13:00', closes: '20:00' },
]);
/** ISO week 2026-W48 runs from Monday 2026-11-23 to Sunday 2026-11-29. */
const WEEK = '2026-W48';

let seq = 0;
/** A region or branch code no other request in this file has used. */
const uniqueCode = (prefix: string) => `${prefix}-${++seq}`;

const fieldsOf = (body: { details: { errors: Array<{ field: string }> } }) => body.details.errors.map((e) => e.field);

describe('network: regions, branches, opening calendars', () => {
  let t: TestApp;
  let admin: { Authorization: string };

  beforeAll(async () => {
    t = await startTestApp();
    admin = bearer((await login(t.http, TEST_ADMIN.username, TEST_ADMIN.password)).accessToken);
  });
  afterAll(() => t.close());

  async function createRegion(body: Record<string, unknown>) {
    const res = await t.http().post('/api/regions').set(admin).send(body);
    expect(res.status).toBe(201);
    return res.body as { id: string; code: string | null; kind: string; parentId: string | null };
  }

  async function createBranch(body: Record<string, unknown>) {
    const res = await t.http().post('/api/branches').set(admin).send(body);
    expect(res.status).toBe(201);
    return res.body as { id: string; level: string; parentId: string | null; regionId: string };
  }

  /** A district → subdistrict → community tree of its own, so counts never see other tests' data. */
  async function regionTree() {
    const district = await createRegion({ name: '测试区', kind: 'district', code: uniqueCode('D') });
    const subdistrict = await createRegion({ name: '测试街道', kind: 'subdistrict', parentId: district.id, code: uniqueCode('S') });
    const community = await createRegion({ name: '测试社区', kind: 'community', parentId: subdistrict.id, code: uniqueCode('C') });
    return { district, subdistrict, community };
  }

  /** A central library (72 h in W48) and a branch with a lunch break (60 h in W48) under it. */
  async function network() {
    const regions = await regionTree();
    const central = await createBranch({
      name: '区图书馆',
      kind: 'library',
      level: 'central',
      regionId: regions.district.id,
      code: uniqueCode('LIB'),
      timeZone: 'Asia/Shanghai',
      openingHours: CENTRAL_HOURS,
    });
    const branch = await createBranch({
      name: '街道分馆',
      kind: 'library',
      level: 'branch',
      regionId: regions.community.id,
      parentId: central.id,
      code: uniqueCode('BR'),
      openingHours: LUNCH_BREAK_HOURS,
    });
    return { ...regions, central, branch };
  }

  describe('regions', () => {
    it('builds district → subdistrict → community/village with populations by year', async () => {
      const districtCode = uniqueCode('110108');
      const district = await createRegion({ name: '海淀区', kind: 'district', code: districtCode, population: 3_130_000, populationYear: 2025 });
      expect(district).toEqual({
        id: expect.any(String),
        code: districtCode,
        name: '海淀区',
        kind: 'district',
        parentId: null,
        population: 3_130_000,
        populationYear: 2025,
        populations: [{ year: 2025, population: 3_130_000 }],
      });
      const sub = await createRegion({ name: '中关村街道', kind: 'subdistrict', parentId: district.id, population: 120_000, populationYear: 2026 });
      expect(sub).toMatchObject({ kind: 'subdistrict', parentId: district.id, code: null, population: 120_000, populationYear: 2026 });
      const community = await createRegion({ name: '科源社区', kind: 'community', parentId: sub.id, population: 8000, populationYear: 2026 });
      const community2 = await createRegion({ name: '黄庄社区', kind: 'community', parentId: sub.id });
      const village = await createRegion({ name: '东马坊村', kind: 'village', parentId: sub.id, population: 1500, populationYear: 2026 });

      const got = await t.http().get(`/api/regions/${village.id}`).expect(200);
      expect(got.body).toMatchObject({
        id: village.id,
        name: '东马坊村',
        kind: 'village',
        parentId: sub.id,
        population: 1500,
        populationYear: 2026,
        populations: [{ year: 2026, population: 1500 }],
      });
      const noPopulation = await t.http().get(`/api/regions/${community2.id}`).expect(200);
      expect(noPopulation.body).toMatchObject({ population: null, populationYear: null, populations: [] });

      // An earlier year is added, not substituted; the latest year stays the one shown.
      const earlier = await t.http().patch(`/api/regions/${village.id}`).set(admin).send({ population: 1400, populationYear: 2024 }).expect(200);
      expect(earlier.body).toMatchObject({
        population: 1500,
        populationYear: 2026,
        populations: [
          { year: 2024, population: 1400 },
          { year: 2026, population: 1500 },
        ],
      });
      // A later year becomes the current figure.
      await t.http().patch(`/api/regions/${village.id}`).set(admin).send({ population: 1600, populationYear: 2027 }).expect(200);
      const after = await t.http().get(`/api/regions/${village.id}`).expect(200);
      expect(after.body).toMatchObject({
        population: 1600,
        populationYear: 2027,
        populations: [
          { year: 2024, population: 1400 },
          { year: 2026, population: 1500 },
          { year: 2027, population: 1600 },
        ],
      });
      // The same year again replaces that year's figure.
      const replaced = await t.http().patch(`/api/regions/${village.id}`).set(admin).send({ population: 1450, populationYear: 2024 }).expect(200);
      expect(replaced.body.populations).toEqual([
        { year: 2024, population: 1450 },
        { year: 2026, population: 1500 },
        { year: 2027, population: 1600 },
      ]);

      const listed = await t.http().get('/api/regions').query({ kind: 'community', parentId: sub.id }).expect(200);
      expect(listed.body).toMatchObject({ total: 2, page: 1, pageSize: 50 });
      expect(listed.body.items.map((r: { id: string }) => r.id).sort()).toEqual([community.id, community2.id].sort());
      expect(listed.body.items.every((r: { kind: string; parentId: string }) => r.kind === 'community' && r.parentId === sub.id)).toBe(true);

      const subs = await t.http().get('/api/regions').query({ kind: 'subdistrict', parentId: district.id }).expect(200);
      expect(subs.body.total).toBe(1);
      expect(subs.body.items[0]).toMatchObject({ id: sub.id, population: 120_000 });

      const villages = await t.http().get('/api/regions').query({ kind: 'village', parentId: sub.id }).expect(200);
      expect(villages.body.total).toBe(1);
      expect(villages.body.items[0]).toMatchObject({ id: village.id, population: 1600, populationYear: 2027 });
    });

    it('enforces the region tree: parents of the right kind only', async () => {
      const { district, subdistrict, community } = await regionTree();

      const orphan = await t.http().post('/api/regions').set(admin).send({ name: '孤儿社区', kind: 'community' }).expect(400);
      expect(orphan.body).toMatchObject({ statusCode: 400, code: 'REGION_PARENT_INVALID', details: { field: 'parentId' } });

      const villageUnderDistrict = await t.http()
        .post('/api/regions')
        .set(admin)
        .send({ name: '错位村', kind: 'village', parentId: district.id })
        .expect(400);
      expect(villageUnderDistrict.body).toMatchObject({ code: 'REGION_PARENT_INVALID', details: { field: 'parentId' } });

      const districtUnderDistrict = await t.http()
        .post('/api/regions')
        .set(admin)
        .send({ name: '区中区', kind: 'district', parentId: district.id })
        .expect(400);
      expect(districtUnderDistrict.body).toMatchObject({ code: 'REGION_PARENT_INVALID', details: { field: 'parentId' } });

      const subUnderCommunity = await t.http()
        .post('/api/regions')
        .set(admin)
        .send({ name: '错位街道', kind: 'subdistrict', parentId: community.id })
        .expect(400);
      expect(subUnderCommunity.body.code).toBe('REGION_PARENT_INVALID');

      // Nothing of the refused ones was stored.
      const children = await t.http().get('/api/regions').query({ parentId: district.id }).expect(200);
      expect(children.body.total).toBe(1);
      expect(children.body.items[0].id).toBe(subdistrict.id);
    });

    it('refuses a duplicate code (409), an unknown parent (404) and malformed ids (400)', async () => {
      const code = uniqueCode('DUP');
      await createRegion({ name: '甲区', kind: 'district', code });
      const dup = await t.http().post('/api/regions').set(admin).send({ name: '乙区', kind: 'district', code }).expect(409);
      expect(dup.body).toMatchObject({ statusCode: 409, code: 'REGION_CODE_TAKEN', details: { field: 'code' } });

      const other = await createRegion({ name: '丙区', kind: 'district', code: uniqueCode('D') });
      const dupByPatch = await t.http().patch(`/api/regions/${other.id}`).set(admin).send({ code }).expect(409);
      expect(dupByPatch.body.code).toBe('REGION_CODE_TAKEN');

      const missing = '7a1f2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b';
      const unknownParent = await t.http()
        .post('/api/regions')
        .set(admin)
        .send({ name: '无主街道', kind: 'subdistrict', parentId: missing })
        .expect(404);
      expect(unknownParent.body).toMatchObject({ statusCode: 404, code: 'REGION_NOT_FOUND', details: { field: 'parentId' } });

      const badParent = await t.http()
        .post('/api/regions')
        .set(admin)
        .send({ name: '坏街道', kind: 'subdistrict', parentId: 'not-a-uuid' })
        .expect(400);
      expect(badParent.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
      expect(fieldsOf(badParent.body)).toEqual(['parentId']);

      const badPath = await t.http().get('/api/regions/not-a-uuid').expect(400);
      expect(badPath.body).toMatchObject({ code: 'VALIDATION_FAILED' });
      expect(fieldsOf(badPath.body)).toEqual(['id']);
      const badPatchPath = await t.http().patch('/api/regions/12345').set(admin).send({ name: 'x' }).expect(400);
      expect(fieldsOf(badPatchPath.body)).toEqual(['id']);

      const unknown = await t.http().get(`/api/regions/${missing}`).expect(404);
      expect(unknown.body).toMatchObject({ statusCode: 404, code: 'REGION_NOT_FOUND' });
      await t.http().patch(`/api/regions/${missing}`).set(admin).send({ name: 'x' }).expect(404);

      const badQuery = await t.http().get('/api/regions').query({ parentId: 'nope' }).expect(400);
      expect(fieldsOf(badQuery.body)).toEqual(['parentId']);
      const badKind = await t.http().post('/api/regions').set(admin).send({ name: '省', kind: 'province' }).expect(400);
      expect(fieldsOf(badKind.body)).toEqual(['kind']);
    });

    it('lets exactly one of 10 parallel creations with one code succeed', async () => {
      const code = uniqueCode('RACE');
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) => t.http().post('/api/regions').set(admin).send({ name: `并发区${i}`, kind: 'district', code })),
      );
      const statuses = results.map((r) => r.status);
      expect(statuses.filter((s) => s === 201)).toHaveLength(1);
      expect(statuses.filter((s) => s === 409)).toHaveLength(9);
      expect(results.filter((r) => r.status === 409).every((r) => r.body.code === 'REGION_CODE_TAKEN')).toBe(true);
      const stored = await t.http().get('/api/regions').query({ kind: 'district', pageSize: 200 }).expect(200);
      expect(stored.body.items.filter((r: { code: string }) => r.code === code)).toHaveLength(1);
    });
  });

  describe('branches', () => {
    it('creates a central library and a branch with a lunch break; hours come back sorted', async () => {
      const { district, community, central, branch } = await network();
      const c = await t.http().get(`/api/branches/${central.id}`).expect(200);
      expect(c.body).toMatchObject({
        id: central.id,
        name: '区图书馆',
        kind: 'library',
        level: 'central',
        regionId: district.id,
        parentId: null,
        timeZone: 'Asia/Shanghai',
        facilities: [],
        sharedCirculation: false,
        openingHours: CENTRAL_HOURS,
      });
      const b = await t.http().get(`/api/branches/${branch.id}`).expect(200);
      expect(b.body).toMatchObject({ level: 'branch', parentId: central.id, regionId: community.id, timeZone: 'Asia/Shanghai' });
      expect(b.body.openingHours).toEqual(LUNCH_BREAK_HOURS);

      // Given out of order, the weekly pattern is still returned by weekday, then opening time.
      const shuffled = [...LUNCH_BREAK_HOURS].reverse();
      const other = await createBranch({
        name: '乱序分馆',
        kind: 'cultural_centre',
        level: 'service_point',
        regionId: community.id,
        parentId: branch.id,
        openingHours: shuffled,
      });
      const o = await t.http().get(`/api/branches/${other.id}`).expect(200);
      expect(o.body.openingHours).toEqual(LUNCH_BREAK_HOURS);
    });

    it('filters by region over the whole subtree, with right totals', async () => {
      const { district, subdistrict, community, central, branch } = await network();
      const point = await createBranch({ name: '街道服务点', kind: 'service_point', level: 'service_point', regionId: subdistrict.id, parentId: branch.id });
      const elsewhere = await regionTree();
      const foreign = await createBranch({ name: '外区馆', kind: 'library', level: 'central', regionId: elsewhere.district.id });

      const inDistrict = await t.http().get('/api/branches').query({ regionId: district.id }).expect(200);
      expect(inDistrict.body).toMatchObject({ total: 3, page: 1, pageSize: 50 });
      // Ordered central, branch, service point.
      expect(inDistrict.body.items.map((b: { id: string }) => b.id)).toEqual([central.id, branch.id, point.id]);
      expect(inDistrict.body.items[1].openingHours).toEqual(LUNCH_BREAK_HOURS);

      const inSub = await t.http().get('/api/branches').query({ regionId: subdistrict.id }).expect(200);
      expect(inSub.body.total).toBe(2);
      expect(inSub.body.items.map((b: { id: string }) => b.id)).toEqual([branch.id, point.id]);

      const inCommunity = await t.http().get('/api/branches').query({ regionId: community.id }).expect(200);
      expect(inCommunity.body.total).toBe(1);
      expect(inCommunity.body.items[0].id).toBe(branch.id);

      const centralsInDistrict = await t.http().get('/api/branches').query({ regionId: district.id, level: 'central' }).expect(200);
      expect(centralsInDistrict.body.total).toBe(1);

      const paged = await t.http().get('/api/branches').query({ regionId: district.id, pageSize: 2, page: 2 }).expect(200);
      expect(paged.body).toMatchObject({ total: 3, page: 2, pageSize: 2 });
      expect(paged.body.items.map((b: { id: string }) => b.id)).toEqual([point.id]);

      const other = await t.http().get('/api/branches').query({ regionId: elsewhere.district.id }).expect(200);
      expect(other.body.total).toBe(1);
      expect(other.body.items[0].id).toBe(foreign.id);

      const bad = await t.http().get('/api/branches').query({ regionId: 'x' }).expect(400);
      expect(fieldsOf(bad.body)).toEqual(['regionId']);
    });

    it('answers a filter on an unknown region with 404 naming regionId', async () => {
      const res = await t.http().get('/api/branches').query({ regionId: '7a1f2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b' }).expect(404);
      expect(res.body).toMatchObject({ code: 'REGION_NOT_FOUND', details: { field: 'regionId' } });
    });

    it('refuses a wrong parent, bad opening hours and an unknown time zone', async () => {
      const { subdistrict, central, branch } = await network();

      const underBranch = await t.http()
        .post('/api/branches')
        .set(admin)
        .send({ name: '分馆下的分馆', kind: 'library', level: 'branch', regionId: subdistrict.id, parentId: branch.id })
        .expect(400);
      expect(underBranch.body).toMatchObject({ statusCode: 400, code: 'BRANCH_PARENT_INVALID', details: { field: 'parentId' } });

      const centralWithParent = await t.http()
        .post('/api/branches')
        .set(admin)
        .send({ name: '第二总馆', kind: 'library', level: 'central', regionId: subdistrict.id, parentId: central.id })
        .expect(400);
      expect(centralWithParent.body.code).toBe('BRANCH_PARENT_INVALID');

      const overlapping = await t.http()
        .post('/api/branches')
        .set(admin)
        .send({
          name: '重叠馆',
          kind: 'library',
          level: 'branch',
          regionId: subdistrict.id,
          parentId: central.id,
          openingHours: [
            { weekday: 3, opens: '09:00', closes: '12:00' },
            { weekday: 3, opens: '11:30', closes: '18:00' },
          ],
        })
        .expect(400);
      expect(overlapping.body).toMatchObject({ code: 'OPENING_HOURS_INVALID', details: { field: 'openingHours' } });

      // The same intervals on different weekdays do not overlap.
      await createBranch({
        name: '不重叠馆',
        kind: 'library',
        level: 'branch',
        regionId: subdistrict.id,
        parentId: central.id,
        openingHours: [
          { weekday: 3, opens: '09:00', closes: '12:00' },
          { weekday: 4, opens: '11:30', closes: '18:00' },
        ],
      });

      for (const interval of [
        { opens: '18:00', closes: '09:00' },
        { opens: '10:00', closes: '10:00' },
      ]) {
        const res = await t.http()
          .post('/api/branches')
          .set(admin)
          .send({ name: '倒序馆', kind: 'library', level: 'branch', regionId: subdistrict.id, openingHours: [{ weekday: 2, ...interval }] })
          .expect(400);
        expect(res.body).toMatchObject({ code: 'OPENING_HOURS_INVALID', details: { field: 'openingHours' } });
      }

      const badZone = await t.http()
        .post('/api/branches')
        .set(admin)
        .send({ name: '火星馆', kind: 'library', level: 'branch', regionId: subdistrict.id, timeZone: 'Mars/Olympus_Mons' })
        .expect(400);
      expect(badZone.body).toMatchObject({ code: 'TIME_ZONE_INVALID', details: { field: 'timeZone' } });
      const badZonePatch = await t.http().patch(`/api/branches/${branch.id}`).set(admin).send({ timeZone: 'Asia/Nowhere' }).expect(400);
      expect(badZonePatch.body.code).toBe('TIME_ZONE_INVALID');

      const badWeekday = await t.http()
        .post('/api/branches')
        .set(admin)
        .send({ name: '八日馆', kind: 'library', level: 'branch', regionId: subdistrict.id, openingHours: [{ weekday: 8, opens: '09:00', closes: '17:00' }] })
        .expect(400);
      expect(badWeekday.body.code).toBe('VALIDATION_FAILED');
      expect(fieldsOf(badWeekday.body)).toEqual(['openingHours.0.weekday']);

      const unknownRegion = await t.http()
        .post('/api/branches')
        .set(admin)
        .send({ name: '无区馆', kind: 'library', level: 'central', regionId: '7a1f2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b' })
        .expect(404);
      expect(unknownRegion.body).toMatchObject({ code: 'REGION_NOT_FOUND', details: { field: 'regionId' } });

      const ownParent = await t.http().patch(`/api/branches/${branch.id}`).set(admin).send({ parentId: branch.id }).expect(400);
      expect(ownParent.body).toMatchObject({ code: 'BRANCH_PARENT_INVALID', details: { field: 'parentId' } });

      // Demoting the central library to a service point under its own branch would make a cycle.
      const cycle = await t.http()
        .patch(`/api/branches/${central.id}`)
        .set(admin)
        .send({ level: 'service_point', parentId: branch.id })
        .expect(400);
      expect(cycle.body).toMatchObject({ code: 'BRANCH_PARENT_INVALID', details: { field: 'parentId' } });

      // None of the refused changes was stored.
      const unchanged = await t.http().get(`/api/branches/${branch.id}`).expect(200);
      expect(unchanged.body).toMatchObject({ parentId: central.id, timeZone: 'Asia/Shanghai', openingHours: LUNCH_BREAK_HOURS });
      const centralAfter = await t.http().get(`/api/branches/${central.id}`).expect(200);
      expect(centralAfter.body).toMatchObject({ level: 'central', parentId: null });

      const unknown = await t.http().get('/api/branches/7a1f2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b').expect(404);
      expect(unknown.body.code).toBe('BRANCH_NOT_FOUND');
      const badId = await t.http().get('/api/branches/abc').expect(400);
      expect(fieldsOf(badId.body)).toEqual(['id']);
    });

    it('replaces the weekly pattern on PATCH', async () => {
      const { branch } = await network();
      const res = await t.http()
        .patch(`/api/branches/${branch.id}`)
        .set(admin)
        .send({ openingHours: [{ weekday: 6, opens: '10:00', closes: '16:00' }], name: '改名分馆' })
        .expect(200);
      expect(res.body).toMatchObject({ name: '改名分馆', openingHours: [{ weekday: 6, opens: '10:00', closes: '16:00' }] });
      const hours = await t.http().get(`/api/branches/${branch.id}/hours`).query({ week: WEEK }).expect(200);
      expect(hours.body.totalHours).toBe(6);
    });
  });

  describe('opening hours and calendar exceptions', () => {
    let central: { id: string };
    let branch: { id: string };

    beforeAll(async () => {
      ({ central, branch } = await network());
    });

    const weekTotal = async (id: string) =>
      (await t.http().get(`/api/branches/${id}/hours`).query({ week: WEEK }).expect(200)).body.totalHours as number;
    const openAt = async (id: string, at: string) => {
      const res = await t.http().get(`/api/branches/${id}/open`).query({ at }).expect(200);
      expect(res.body.at).toBe(new Date(at).toISOString());
      return res.body.open as boolean;
    };

    it('counts the hours of an ISO week day by day', async () => {
      const c = await t.http().get(`/api/branches/${central.id}/hours`).query({ week: WEEK }).expect(200);
      expect(c.body).toMatchObject({ week: WEEK, timeZone: 'Asia/Shanghai', from: '2026-11-23', to: '2026-11-29', totalHours: 72 });
      expect(c.body.days).toHaveLength(7);
      expect(c.body.days[0]).toEqual({ date: '2026-11-23', weekday: 1, intervals: [], hours: 0 });
      expect(c.body.days[1]).toEqual({ date: '2026-11-24', weekday: 2, intervals: [{ opens: '09:00', closes: '21:00' }], hours: 12 });
      expect(c.body.days.map((d: { hours: number }) => d.hours)).toEqual([0, 12, 12, 12, 12, 12, 12]);

      const b = await t.http().get(`/api/branches/${branch.id}/hours`).query({ week: WEEK }).expect(200);
      expect(b.body.totalHours).toBe(60);
      expect(b.body.days[6]).toEqual({
        date: '2026-11-29',
        weekday: 7,
        intervals: [
          { opens: '09:00', closes: '12:00' },
          { opens: '13:00', closes: '20:00' },
        ],
        hours: 10,
      });
    });

    it('closes a day and shortens another with exceptions, and opens again when they are removed', async () => {
      const closed = await t.http()
        .put(`/api/branches/${central.id}/calendar/exceptions/2026-11-24`)
        .set(admin)
        .send({ intervals: [], reason: '闭馆' })
        .expect(200);
      expect(closed.body).toEqual({ date: '2026-11-24', intervals: [], reason: '闭馆' });
      expect(await weekTotal(central.id)).toBe(60);

      await t.http()
        .put(`/api/branches/${central.id}/calendar/exceptions/2026-11-25`)
        .set(admin)
        .send({ intervals: [{ opens: '09:00', closes: '12:00' }] })
        .expect(200);
      const week = await t.http().get(`/api/branches/${central.id}/hours`).query({ week: WEEK }).expect(200);
      expect(week.body.totalHours).toBe(51);
      expect(week.body.days[1]).toEqual({ date: '2026-11-24', weekday: 2, intervals: [], hours: 0, exception: { reason: '闭馆' } });
      expect(week.body.days[2]).toEqual({
        date: '2026-11-25',
        weekday: 3,
        intervals: [{ opens: '09:00', closes: '12:00' }],
        hours: 3,
        exception: {},
      });
      // The other branch is not affected.
      expect(await weekTotal(branch.id)).toBe(60);

      const listed = await t.http()
        .get(`/api/branches/${central.id}/calendar/exceptions`)
        .query({ from: '2026-11-01', to: '2026-11-30' })
        .expect(200);
      expect(listed.body).toEqual([
        { date: '2026-11-24', intervals: [], reason: '闭馆' },
        { date: '2026-11-25', intervals: [{ opens: '09:00', closes: '12:00' }] },
      ]);
      const outside = await t.http()
        .get(`/api/branches/${central.id}/calendar/exceptions`)
        .query({ from: '2026-11-25', to: '2026-12-31' })
        .expect(200);
      expect(outside.body.map((e: { date: string }) => e.date)).toEqual(['2026-11-25']);

      expect(await openAt(central.id, '2026-11-24T10:00:00+08:00')).toBe(false);
      expect(await openAt(central.id, '2026-11-25T11:59:00+08:00')).toBe(true);
      expect(await openAt(central.id, '2026-11-25T12:00:00+08:00')).toBe(false);
      expect(await openAt(central.id, '2026-11-26T10:00:00+08:00')).toBe(true);
      expect(await openAt(central.id, '2026-11-26T20:59:00+08:00')).toBe(true);
      expect(await openAt(central.id, '2026-11-26T21:00:00+08:00')).toBe(false);
      expect(await openAt(central.id, '2026-11-26T02:00:00Z')).toBe(true);
      expect(await openAt(central.id, '2026-11-26T00:59:00Z')).toBe(false);
      expect(await openAt(central.id, '2026-11-23T10:00:00+08:00')).toBe(false);
      // The lunch break is closed.
      expect(await openAt(branch.id, '2026-11-26T12:30:00+08:00')).toBe(false);
      expect(await openAt(branch.id, '2026-11-26T13:00:00+08:00')).toBe(true);

      await t.http().delete(`/api/branches/${central.id}/calendar/exceptions/2026-11-24`).set(admin).expect(204);
      expect(await weekTotal(central.id)).toBe(63);
      expect(await openAt(central.id, '2026-11-24T10:00:00+08:00')).toBe(true);
      await t.http().delete(`/api/branches/${central.id}/calendar/exceptions/2026-11-25`).set(admin).expect(204);
      expect(await weekTotal(central.id)).toBe(72);
      const none = await t.http()
        .get(`/api/branches/${central.id}/calendar/exceptions`)
        .query({ from: '2026-11-01', to: '2026-11-30' })
        .expect(200);
      expect(none.body).toEqual([]);
    });

    it('replaces an exception set twice for the same day', async () => {
      const url = `/api/branches/${branch.id}/calendar/exceptions/2026-11-27`;
      await t.http().put(url).set(admin).send({ intervals: [], reason: '停电' }).expect(200);
      const second = await t.http()
        .put(url)
        .set(admin)
        .send({ intervals: [{ opens: '14:00', closes: '18:00' }, { opens: '08:00', closes: '10:00' }], reason: '缩短开放' })
        .expect(200);
      expect(second.body).toEqual({
        date: '2026-11-27',
        intervals: [
          { opens: '08:00', closes: '10:00' },
          { opens: '14:00', closes: '18:00' },
        ],
        reason: '缩短开放',
      });
      expect(await weekTotal(branch.id)).toBe(56);
      const listed = await t.http().get(`/api/branches/${branch.id}/calendar/exceptions`).query({ from: '2026-11-27', to: '2026-11-27' }).expect(200);
      expect(listed.body).toHaveLength(1);
      await t.http().delete(url).set(admin).expect(204);
      expect(await weekTotal(branch.id)).toBe(60);
    });

    it('refuses bad weeks, dates, instants and exception intervals', async () => {
      const badWeek = await t.http().get(`/api/branches/${central.id}/hours`).query({ week: '2026-48' }).expect(400);
      expect(badWeek.body.code).toBe('VALIDATION_FAILED');
      expect(fieldsOf(badWeek.body)).toEqual(['week']);
      const noSuchWeek = await t.http().get(`/api/branches/${central.id}/hours`).query({ week: '2026-W54' }).expect(400);
      expect(noSuchWeek.body).toMatchObject({ code: 'WEEK_INVALID', details: { field: 'week' } });
      const week53 = await t.http().get(`/api/branches/${central.id}/hours`).query({ week: '2026-W53' }).expect(200);
      expect(week53.body).toMatchObject({ from: '2026-12-28', to: '2027-01-03', totalHours: 72 });

      for (const date of ['2026-02-30', '2026-13-01', '20261124']) {
        const res = await t.http()
          .put(`/api/branches/${central.id}/calendar/exceptions/${date}`)
          .set(admin)
          .send({ intervals: [] })
          .expect(400);
        expect(res.body).toMatchObject({ code: 'DATE_INVALID', details: { field: 'date' } });
      }
      const badDelete = await t.http().delete(`/api/branches/${central.id}/calendar/exceptions/2026-02-30`).set(admin).expect(400);
      expect(badDelete.body.code).toBe('DATE_INVALID');

      const overlapping = await t.http()
        .put(`/api/branches/${central.id}/calendar/exceptions/2026-11-28`)
        .set(admin)
        .send({ intervals: [{ opens: '09:00', closes: '12:00' }, { opens: '11:00', closes: '13:00' }] })
        .expect(400);
      expect(overlapping.body).toMatchObject({ code: 'OPENING_HOURS_INVALID', details: { field: 'intervals' } });
      const reversed = await t.http()
        .put(`/api/branches/${central.id}/calendar/exceptions/2026-11-28`)
        .set(admin)
        .send({ intervals: [{ opens: '12:00', closes: '09:00' }] })
        .expect(400);
      expect(reversed.body.code).toBe('OPENING_HOURS_INVALID');
      const noIntervals = await t.http().put(`/api/branches/${central.id}/calendar/exceptions/2026-11-28`).set(admin).send({ reason: 'x' }).expect(400);
      expect(fieldsOf(noIntervals.body)).toContain('intervals');
      expect(await weekTotal(central.id)).toBe(72);

      const badAt = await t.http().get(`/api/branches/${central.id}/open`).query({ at: '2026-11-26 10:00' }).expect(400);
      expect(fieldsOf(badAt.body)).toEqual(['at']);
      const badRange = await t.http().get(`/api/branches/${central.id}/calendar/exceptions`).query({ from: '2026-11-31' }).expect(400);
      expect(badRange.body).toMatchObject({ code: 'DATE_INVALID', details: { field: 'from' } });

      const missing = '7a1f2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b';
      expect((await t.http().get(`/api/branches/${missing}/hours`).query({ week: WEEK }).expect(404)).body.code).toBe('BRANCH_NOT_FOUND');
      expect((await t.http().get(`/api/branches/${missing}/open`).expect(404)).body.code).toBe('BRANCH_NOT_FOUND');
      await t.http().put(`/api/branches/${missing}/calendar/exceptions/2026-11-28`).set(admin).send({ intervals: [] }).expect(404);
    });
  });

  describe('who may do what', () => {
    let branchA: { id: string };
    let branchB: { id: string };
    let subdistrictId: string;
    let librarian: { Authorization: string };

    beforeAll(async () => {
      const net = await network();
      branchA = net.branch;
      branchB = net.central;
      subdistrictId = net.subdistrict.id;
      const staff = await t.http()
        .post('/api/staff')
        .set(admin)
        .send({ username: 'lib-net-a', password: 'Librarian2026', name: '分馆馆员', role: 'librarian', branchIds: [branchA.id] })
        .expect(201);
      expect(staff.body).toMatchObject({ username: 'lib-net-a', role: 'librarian', branchIds: [branchA.id] });
      librarian = bearer((await login(t.http, 'lib-net-a', 'Librarian2026')).accessToken);
    });

    it('lets a librarian manage the calendar of their own branch only', async () => {
      const own = await t.http()
        .put(`/api/branches/${branchA.id}/calendar/exceptions/2026-12-01`)
        .set(librarian)
        .send({ intervals: [], reason: '盘点' })
        .expect(200);
      expect(own.body).toEqual({ date: '2026-12-01', intervals: [], reason: '盘点' });

      const foreign = await t.http()
        .put(`/api/branches/${branchB.id}/calendar/exceptions/2026-12-01`)
        .set(librarian)
        .send({ intervals: [], reason: '盘点' })
        .expect(403);
      expect(foreign.body).toMatchObject({ statusCode: 403, code: 'BRANCH_FORBIDDEN' });
      const foreignDelete = await t.http().delete(`/api/branches/${branchB.id}/calendar/exceptions/2026-12-01`).set(librarian).expect(403);
      expect(foreignDelete.body.code).toBe('BRANCH_FORBIDDEN');

      const listedB = await t.http().get(`/api/branches/${branchB.id}/calendar/exceptions`).expect(200);
      expect(listedB.body).toEqual([]);

      await t.http().delete(`/api/branches/${branchA.id}/calendar/exceptions/2026-12-01`).set(librarian).expect(204);
      const listedA = await t.http().get(`/api/branches/${branchA.id}/calendar/exceptions`).expect(200);
      expect(listedA.body).toEqual([]);
    });

    it('keeps librarians and residents away from admin endpoints', async () => {
      const newBranch = { name: '私建分馆', kind: 'library', level: 'branch', regionId: subdistrictId };
      const libPost = await t.http().post('/api/branches').set(librarian).send(newBranch).expect(403);
      expect(libPost.body).toMatchObject({ statusCode: 403, code: 'FORBIDDEN' });
      const libPatch = await t.http().patch(`/api/branches/${branchA.id}`).set(librarian).send({ name: '改名' }).expect(403);
      expect(libPatch.body.code).toBe('FORBIDDEN');
      const libRegion = await t.http().post('/api/regions').set(librarian).send({ name: '馆员区', kind: 'district' }).expect(403);
      expect(libRegion.body.code).toBe('FORBIDDEN');

      const resident = await registerResident(t.http);
      const res = await t.http().post('/api/regions').set(bearer(resident.accessToken)).send({ name: '读者区', kind: 'district' }).expect(403);
      expect(res.body).toMatchObject({ statusCode: 403, code: 'FORBIDDEN' });
      const resException = await t.http()
        .put(`/api/branches/${branchA.id}/calendar/exceptions/2026-12-02`)
        .set(bearer(resident.accessToken))
        .send({ intervals: [] })
        .expect(403);
      expect(resException.body.code).toBe('FORBIDDEN');

      const anonymous = await t.http().post('/api/regions').send({ name: '匿名区', kind: 'district' }).expect(401);
      expect(anonymous.body).toMatchObject({ statusCode: 401, code: 'UNAUTHENTICATED' });
      await t.http().post('/api/branches').send(newBranch).expect(401);
      await t.http().put(`/api/branches/${branchA.id}/calendar/exceptions/2026-12-02`).send({ intervals: [] }).expect(401);

      // Nothing was created by the refused calls.
      const unchanged = await t.http().get(`/api/branches/${branchA.id}`).expect(200);
      expect(unchanged.body.name).toBe('街道分馆');
      const regions = await t.http().get('/api/regions').query({ kind: 'district', pageSize: 200 }).expect(200);
      expect(regions.body.items.map((r: { name: string }) => r.name)).not.toEqual(expect.arrayContaining(['读者区']));
      expect(regions.body.items.map((r: { name: string }) => r.name)).not.toEqual(expect.arrayContaining(['匿名区']));
      expect(regions.body.items.map((r: { name: string }) => r.name)).not.toEqual(expect.arrayContaining(['馆员区']));
      const inSub = await t.http().get('/api/branches').query({ regionId: subdistrictId }).expect(200);
      expect(inSub.body.items.map((b: { name: string }) => b.name)).not.toContain('私建分馆');
    });

    it('serves regions, branches and hours to anyone without a token', async () => {
      const regions = await t.http().get('/api/regions').expect(200);
      expect(regions.body.total).toBeGreaterThan(0);
      expect(regions.body.items.length).toBe(Math.min(regions.body.total, 50));
      const branches = await t.http().get('/api/branches').expect(200);
      expect(branches.body.total).toBeGreaterThan(0);
      await t.http().get(`/api/branches/${branchA.id}`).expect(200);
      await t.http().get(`/api/branches/${branchA.id}/hours`).query({ week: WEEK }).expect(200);
      await t.http().get(`/api/branches/${branchA.id}/open`).expect(200);
      await t.http().get(`/api/branches/${branchA.id}/calendar/exceptions`).expect(200);
    });
  });

  describe('branch tree under concurrency', () => {
    it('never lets two parallel re-parentings make a cycle', async () => {
      const { district } = await regionTree();
      for (let round = 0; round < 5; round++) {
        const x = await createBranch({ name: `X${round}`, kind: 'library', level: 'branch', regionId: district.id });
        const y = await createBranch({ name: `Y${round}`, kind: 'library', level: 'branch', regionId: district.id });
        const [a, b] = await Promise.all([
          t.http().patch(`/api/branches/${x.id}`).set(admin).send({ level: 'service_point', parentId: y.id }),
          t.http().patch(`/api/branches/${y.id}`).set(admin).send({ level: 'service_point', parentId: x.id }),
        ]);
        expect([a.status, b.status].sort()).toEqual([200, 400]);
      }
    });

    it('refuses a level change that would break the rule for its sub-branches', async () => {
      const { central, branch } = await network();
      void branch;
      const res = await t.http().patch(`/api/branches/${central.id}`).set(admin).send({ level: 'service_point' }).expect(400);
      expect(res.body).toMatchObject({ code: 'BRANCH_PARENT_INVALID', details: { field: 'level' } });
    });
  });
});
