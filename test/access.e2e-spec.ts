import { bearer, login, registerResident } from './utils/factories';
import { startTestApp, TEST_ADMIN, TestApp } from './utils/test-app';

interface Operation {
  'x-roles'?: string[];
  'x-acts-at-branch'?: string;
}

describe('who may call what', () => {
  let t: TestApp;
  let admin: string;
  beforeAll(async () => {
    t = await startTestApp();
    admin = (await login(t.http, TEST_ADMIN.username, TEST_ADMIN.password)).accessToken;
  });
  afterAll(() => t.close());

  it('lists every endpoint with its roles (a change here is a change in who may do what)', async () => {
    const doc = await t.http().get('/api/docs-json').expect(200);
    const table: string[] = [];
    for (const [path, methods] of Object.entries(doc.body.paths as Record<string, Record<string, Operation>>)) {
      for (const [method, op] of Object.entries(methods)) {
        const roles = op['x-roles'];
        // Deny by default: an operation that names no roles is a defect.
        expect({ endpoint: `${method.toUpperCase()} ${path}`, roles }).toEqual({ endpoint: `${method.toUpperCase()} ${path}`, roles: expect.any(Array) });
        const scope = op['x-acts-at-branch'] ? `  [at branch: ${op['x-acts-at-branch']}]` : '';
        table.push(`${method.toUpperCase().padEnd(6)} ${path}  ->  ${roles!.join(', ')}${scope}`);
      }
    }
    expect(table.sort()).toMatchSnapshot();
  });

  it('reports database and Redis in /api/health', async () => {
    const res = await t.http().get('/api/health').expect(200);
    expect(res.body.status).toBe('ok');
    expect(res.body.details).toEqual({ database: { status: 'up' }, redis: { status: 'up', mode: 'shared' } });
  });

  it('serves the OpenAPI UI', async () => {
    const res = await t.http().get('/api/docs').expect(200);
    expect(res.text).toContain('swagger');
  });

  it('answers unknown routes with the JSON error shape', async () => {
    const res = await t.http().get('/api/nothing-here').expect(404);
    expect(res.body).toEqual({ statusCode: 404, code: 'NOT_FOUND', message: expect.any(String), details: {} });
  });

  it('sets security headers', async () => {
    const res = await t.http().get('/api/health');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it.each([
    ['a null where a value is optional', 'patch-branch-null'],
    ['a page number past any table', 'page'],
    ['a NUL character in a login', 'nul-login'],
    ['an unreadable charset', 'charset'],
    ['an impossible instant', 'instant'],
    ['a year PostgreSQL cannot store', 'year-zero'],
    ['a body nested 5,000 levels deep', 'deep-body'],
    ['a lone UTF-16 surrogate in a name', 'lone-surrogate'],
    ['a NUL character in a path parameter', 'nul-path'],
    ['a JSON array as the login form', 'array-login'],
  ])('answers %s with a 4xx, never a 500', async (_label, kind) => {
    const district = await t.http().post('/api/regions').set(bearer(admin)).send({ name: `输入区${kind}`, kind: 'district' }).expect(201);
    const branch = await t.http()
      .post('/api/branches')
      .set(bearer(admin))
      .send({ name: '输入馆', kind: 'library', level: 'central', regionId: district.body.id })
      .expect(201);
    const id = branch.body.id;
    const cases: Record<string, () => Promise<{ status: number; body: { code: string } }>> = {
      'patch-branch-null': () => t.http().patch(`/api/branches/${id}`).set(bearer(admin)).send({ name: null }),
      page: () => t.http().get('/api/branches?page=1e21'),
      'nul-login': () => t.http().post('/api/auth/login').send({ login: 'a\u0000b', password: 'x' }),
      charset: () => t.http().post('/api/auth/register').set('content-type', 'application/json; charset=latin1').send('{}'),
      instant: () => t.http().get(`/api/branches/${id}/open?at=2026-02-30T10:00:00+08:00`),
      'year-zero': () => t.http().get(`/api/branches/${id}/calendar/exceptions?from=0000-01-01`),
      'deep-body': () => t.http().patch(`/api/branches/${id}`).set(bearer(admin)).set('content-type', 'application/json').send('['.repeat(5000) + ']'.repeat(5000)),
      'lone-surrogate': () => t.http().patch(`/api/branches/${id}`).set(bearer(admin)).send({ name: 'a\ud800b' }),
      'nul-path': () => t.http().get('/api/cards/1108%000001').set(bearer(admin)),
      'array-login': () => t.http().post('/api/auth/login').send([{ login: 'admin', password: 'x' }]),
    };
    const res = await cases[kind]();
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.body.code).toEqual(expect.any(String));
    // Found by test/fuzz.e2e-spec.ts: these answered 500, or a 400 that named no field.
    const named: Record<string, string> = { 'deep-body': 'body', 'lone-surrogate': 'name', 'nul-path': 'number', 'array-login': 'body' };
    if (named[kind]) expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', details: { errors: [{ field: named[kind] }] } });
  });

  it('keeps the defaults of the district: a new branch takes TIME_ZONE', async () => {
    const district = await t.http().post('/api/regions').set(bearer(admin)).send({ name: '时区区', kind: 'district' }).expect(201);
    const branch = await t.http()
      .post('/api/branches')
      .set(bearer(admin))
      .send({ name: '时区馆', kind: 'library', level: 'central', regionId: district.body.id })
      .expect(201);
    expect(branch.body.timeZone).toBe('Asia/Shanghai');
  });

  describe('staff accounts', () => {
    it('lets the admin create each kind of staff with a fitting scope', async () => {
      const district = await t.http().post('/api/regions').set(bearer(admin)).send({ name: '员工测试区', kind: 'district', code: 'STAFF-D' }).expect(201);
      const branch = await t.http()
        .post('/api/branches')
        .set(bearer(admin))
        .send({ name: '员工测试馆', kind: 'library', level: 'central', regionId: district.body.id })
        .expect(201);
      const created = await t.http()
        .post('/api/staff')
        .set(bearer(admin))
        .send({ username: 'kiosk-1', password: 'Kiosk12345', name: '自助机', role: 'kiosk', branchIds: [branch.body.id] })
        .expect(201);
      expect(created.body).toMatchObject({ username: 'kiosk-1', role: 'kiosk', active: true, branchIds: [branch.body.id], regionIds: [] });
      expect(created.body.passwordHash).toBeUndefined();

      const organizer = await t.http()
        .post('/api/staff')
        .set(bearer(admin))
        .send({ username: 'org-1', password: 'Organizer1', name: '组织员', role: 'organizer', regionIds: [district.body.id] })
        .expect(201);
      const token = (await login(t.http, 'org-1', 'Organizer1')).accessToken;
      const me = await t.http().get('/api/me').set(bearer(token)).expect(200);
      expect(me.body).toMatchObject({ kind: 'staff', role: 'organizer', regionIds: [district.body.id] });

      // Disabling an account ends its sessions at once and stops its next login.
      await t.http().patch(`/api/staff/${organizer.body.id}`).set(bearer(admin)).send({ active: false }).expect(200);
      expect((await t.http().get('/api/me').set(bearer(token)).expect(401)).body.code).toBe('TOKEN_INVALID');
      expect((await t.http().post('/api/auth/login').send({ login: 'org-1', password: 'Organizer1' }).expect(401)).body.code).toBe('ACCOUNT_DISABLED');
    });

    it.each([
      [{ role: 'librarian' }, 'STAFF_SCOPE_INVALID', 400],
      [{ role: 'kiosk', branchIds: [] }, 'STAFF_SCOPE_INVALID', 400],
      [{ role: 'organizer' }, 'STAFF_SCOPE_INVALID', 400],
      [{ role: 'librarian', branchIds: ['7f1e2a52-8c38-4d55-9a43-3a7c2b5a9d10'] }, 'REFERENCE_NOT_FOUND', 400],
      [{ role: 'wizard' }, 'VALIDATION_FAILED', 400],
      [{ role: 'admin', username: '13800138000' }, 'VALIDATION_FAILED', 400],
    ])('refuses %j with %s', async (fields, code, status) => {
      const res = await t.http()
        .post('/api/staff')
        .set(bearer(admin))
        .send({ username: 'someone', password: 'Staff12345', name: '某人', ...fields });
      expect(res.status).toBe(status);
      expect(res.body.code).toBe(code);
    });

    it('refuses a duplicate username with 409', async () => {
      const body = { username: 'dup-user', password: 'Staff12345', name: '甲', role: 'operator' };
      await t.http().post('/api/staff').set(bearer(admin)).send(body).expect(201);
      const res = await t.http().post('/api/staff').set(bearer(admin)).send(body).expect(409);
      expect(res.body).toMatchObject({ code: 'USERNAME_TAKEN', details: { field: 'username' } });
    });

    it('keeps staff management to admins', async () => {
      const r = await registerResident(t.http);
      await t.http().get('/api/staff').set(bearer(r.accessToken)).expect(403);
      await t.http().post('/api/staff').set(bearer(r.accessToken)).send({}).expect(403);
      await t.http().get('/api/staff').expect(401);
      const list = await t.http().get('/api/staff?pageSize=2').set(bearer(admin)).expect(200);
      expect(list.body).toMatchObject({ page: 1, pageSize: 2, total: expect.any(Number) });
      expect(list.body.items.length).toBeLessThanOrEqual(2);
    });
  });
});
