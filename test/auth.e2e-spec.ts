import { bearer, login, registerResident, RESIDENT_PASSWORD, uniqueIdNumber, uniquePhone } from './utils/factories';
import { startTestApp, TestApp } from './utils/test-app';

describe('residents: register, log in, me', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ LOGIN_MAX_FAILURES: '3', LOGIN_LOCK_SECONDS: '120' });
  });
  afterAll(() => t.close());

  it('registers a resident with one card number and logs in by phone or card number', async () => {
    const phone = uniquePhone();
    const idNumber = uniqueIdNumber();
    const reg = await t.http().post('/api/auth/register').send({ name: '张三', phone, password: 'Reader2026', idNumber }).expect(201);
    expect(reg.body).toEqual({ id: expect.any(String), cardNumber: expect.stringMatching(/^1108\d{8}$/) });

    const byPhone = await login(t.http, phone, 'Reader2026');
    const byCard = await login(t.http, reg.body.cardNumber, 'Reader2026');
    for (const tokens of [byPhone, byCard]) {
      const me = await t.http().get('/api/me').set(bearer(tokens.accessToken)).expect(200);
      expect(me.body).toMatchObject({
        kind: 'patron',
        id: reg.body.id,
        name: '张三',
        phone: `${phone.slice(0, 3)}****${phone.slice(-4)}`,
        idNumber: `${idNumber.slice(0, 3)}***********${idNumber.slice(-4)}`,
        card: { number: reg.body.cardNumber, status: 'active' },
      });
      // Personal data never leaves unmasked, in any field.
      const text = JSON.stringify(me.body);
      expect(text).not.toContain(phone);
      expect(text).not.toContain(idNumber);
    }
  });

  it('stores phone and ID number encrypted, not in clear', async () => {
    const phone = uniquePhone();
    const idNumber = uniqueIdNumber();
    const reg = await t.http().post('/api/auth/register').send({ name: '李四', phone, password: 'Reader2026', idNumber }).expect(201);
    const { DataSource } = await import('typeorm');
    const ds = t.app.get(DataSource);
    const [row] = await ds.query(`SELECT row_to_json(p)::text AS json FROM patron p WHERE id = $1`, [reg.body.id]);
    expect(row.json).not.toContain(phone);
    expect(row.json).not.toContain(idNumber);
    expect(row.json).not.toContain(phone.slice(3));
  });

  it('refuses a second registration with the same phone or ID number (409)', async () => {
    const phone = uniquePhone();
    const idNumber = uniqueIdNumber();
    await t.http().post('/api/auth/register').send({ name: '甲', phone, password: 'Reader2026', idNumber }).expect(201);
    const samePhone = await t.http().post('/api/auth/register').send({ name: '乙', phone: `+86 ${phone}`, password: 'Reader2026' }).expect(409);
    expect(samePhone.body).toMatchObject({ code: 'PHONE_TAKEN', details: { field: 'phone' } });
    const sameId = await t.http()
      .post('/api/auth/register')
      .send({ name: '丙', phone: uniquePhone(), password: 'Reader2026', idNumber: idNumber.toLowerCase() })
      .expect(409);
    expect(sameId.body).toMatchObject({ code: 'ID_NUMBER_TAKEN', details: { field: 'idNumber' } });
  });

  it('lets exactly one of 20 parallel registrations with one phone succeed', async () => {
    const phone = uniquePhone();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        t.http().post('/api/auth/register').send({ name: `并发${i}`, phone, password: 'Reader2026' }),
      ),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
  });

  it.each([
    [{ phone: '13800138000', password: 'Reader2026' }, 'name'],
    [{ name: '王五', phone: '12345', password: 'Reader2026' }, 'phone'],
    [{ name: '王五', phone: '13800138000', password: 'short' }, 'password'],
    [{ name: '王五', phone: '13800138000', password: 'Reader2026', idNumber: '110105194912310021' }, 'idNumber'],
    [{ name: '王五', phone: '13800138000', password: 'Reader2026', role: 'admin' }, 'role'],
    [{ name: 42, phone: '13800138000', password: 'Reader2026' }, 'name'],
  ])('answers bad input %j with a 400 naming %s', async (body, field) => {
    const res = await t.http().post('/api/auth/register').send(body).expect(400);
    expect(res.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
    expect(res.body.details.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(res.body.message).toContain(field);
  });

  it('answers malformed JSON with 400 and oversized bodies with 413, not 500', async () => {
    const bad = await t.http().post('/api/auth/register').set('content-type', 'application/json').send('{"name":').expect(400);
    expect(bad.body.code).toBe('MALFORMED_JSON');
    const huge = await t.http().post('/api/auth/register').send({ name: 'x'.repeat(2 * 1024 * 1024) }).expect(413);
    expect(huge.body.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('speaks English when asked, zh-CN otherwise', async () => {
    const zh = await t.http().post('/api/auth/login').send({ login: uniquePhone(), password: 'wrong-pass1' }).expect(401);
    expect(zh.body).toMatchObject({ code: 'INVALID_CREDENTIALS', message: '账号或密码错误' });
    const en = await t.http()
      .post('/api/auth/login')
      .set('Accept-Language', 'en-US,en;q=0.9')
      .send({ login: uniquePhone(), password: 'wrong-pass1' })
      .expect(401);
    expect(en.body.message).toBe('Wrong login or password');
  });

  it('rejects a login body without password as a 400 naming the field', async () => {
    const res = await t.http().post('/api/auth/login').send({ login: '13800138000' }).expect(400);
    expect(res.body.details.errors[0].field).toBe('password');
  });

  it('locks an account after repeated failures, whatever spelling of the login, even for the right password', async () => {
    const r = await registerResident(t.http);
    const spellings = [r.phone, `+86 ${r.phone}`, `${r.phone.slice(0, 3)}-${r.phone.slice(3, 7)}-${r.phone.slice(7)}`];
    for (const loginName of spellings) {
      await t.http().post('/api/auth/login').send({ login: loginName, password: 'Wrong-pass1' }).expect(401);
    }
    for (const loginName of [r.phone, r.cardNumber]) {
      const locked = await t.http().post('/api/auth/login').send({ login: loginName, password: RESIDENT_PASSWORD }).expect(429);
      expect(locked.body.code).toBe('LOGIN_LOCKED');
      expect(Number(locked.headers['retry-after'])).toBeGreaterThan(100);
    }
    // Another resident is not affected.
    const other = await registerResident(t.http);
    await login(t.http, other.cardNumber, RESIDENT_PASSWORD);
  });

  it('lets at most LOGIN_MAX_FAILURES of 20 parallel guesses reach the password check', async () => {
    const r = await registerResident(t.http);
    const results = await Promise.all(
      Array.from({ length: 20 }, () => t.http().post('/api/auth/login').send({ login: r.phone, password: 'Wrong-pass1' })),
    );
    expect(results.filter((x) => x.status === 401)).toHaveLength(3);
    expect(results.filter((x) => x.status === 429)).toHaveLength(17);
  });

  it('forgets earlier failures after a successful login', async () => {
    const r = await registerResident(t.http);
    for (let i = 0; i < 2; i++) await t.http().post('/api/auth/login').send({ login: r.phone, password: 'Wrong-pass1' }).expect(401);
    await login(t.http, r.phone, RESIDENT_PASSWORD);
    for (let i = 0; i < 2; i++) await t.http().post('/api/auth/login').send({ login: r.phone, password: 'Wrong-pass1' }).expect(401);
    await login(t.http, r.phone, RESIDENT_PASSWORD);
  });

  it('rotates refresh tokens; a replayed one ends the session', async () => {
    const r = await registerResident(t.http);
    const first = await t.http().post('/api/auth/refresh').send({ refreshToken: r.refreshToken }).expect(200);
    expect(first.body.refreshToken).not.toBe(r.refreshToken);
    await t.http().get('/api/me').set(bearer(first.body.accessToken)).expect(200);

    const replay = await t.http().post('/api/auth/refresh').send({ refreshToken: r.refreshToken }).expect(401);
    expect(replay.body.code).toBe('REFRESH_REUSED');
    // The whole session is over: the newest refresh token and its access token no longer work.
    await t.http().post('/api/auth/refresh').send({ refreshToken: first.body.refreshToken }).expect(401);
    await t.http().get('/api/me').set(bearer(first.body.accessToken)).expect(401);
  });

  it('lets only one of several parallel refreshes with one token win', async () => {
    const r = await registerResident(t.http);
    const results = await Promise.all(
      Array.from({ length: 8 }, () => t.http().post('/api/auth/refresh').send({ refreshToken: r.refreshToken })),
    );
    expect(results.filter((x) => x.status === 200)).toHaveLength(1);
    expect(results.filter((x) => x.status === 401)).toHaveLength(7);
  });

  it('logout revokes the access token and the refresh token', async () => {
    const r = await registerResident(t.http);
    await t.http().post('/api/auth/logout').set(bearer(r.accessToken)).expect(204);
    const after = await t.http().get('/api/me').set(bearer(r.accessToken)).expect(401);
    expect(after.body.code).toBe('TOKEN_INVALID');
    await t.http().post('/api/auth/refresh').send({ refreshToken: r.refreshToken }).expect(401);
    // A new login works.
    await login(t.http, r.phone, RESIDENT_PASSWORD);
  });

  it('refuses requests without a token or with a forged one', async () => {
    const none = await t.http().get('/api/me').expect(401);
    expect(none.body.code).toBe('UNAUTHENTICATED');
    await t.http().get('/api/me').set(bearer('eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl')).expect(401);
  });
});
