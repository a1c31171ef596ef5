import jwt from 'jsonwebtoken';
import { DataSource } from 'typeorm';
import { bearer, login, registerResident, RESIDENT_PASSWORD } from './utils/factories';
import { startTestApp, TEST_ADMIN, TEST_JWT_SECRET, TestApp } from './utils/test-app';

describe('the one card: QR, lost and reissue, suspension', () => {
  let t: TestApp;
  let admin: string;
  let librarian: string;

  beforeAll(async () => {
    t = await startTestApp();
    admin = (await login(t.http, TEST_ADMIN.username, TEST_ADMIN.password)).accessToken;
    const district = await t.http().post('/api/regions').set(bearer(admin)).send({ name: '测试区', kind: 'district', population: 1000 }).expect(201);
    const branch = await t.http()
      .post('/api/branches')
      .set(bearer(admin))
      .send({ name: '测试图书馆', kind: 'library', level: 'central', regionId: district.body.id })
      .expect(201);
    await t.http()
      .post('/api/staff')
      .set(bearer(admin))
      .send({ username: 'desk-1', password: 'Desk12345', name: '前台', role: 'librarian', branchIds: [branch.body.id] })
      .expect(201);
    librarian = (await login(t.http, 'desk-1', 'Desk12345')).accessToken;
  });
  afterAll(() => t.close());

  it('gives a short-lived QR token that the desk can verify', async () => {
    const r = await registerResident(t.http);
    const qr = await t.http().get('/api/me/card/qr').set(bearer(r.accessToken)).expect(200);
    expect(qr.body.cardNumber).toBe(r.cardNumber);
    const ttl = (new Date(qr.body.expiresAt).getTime() - Date.now()) / 1000;
    expect(ttl).toBeGreaterThan(30);
    expect(ttl).toBeLessThanOrEqual(61);

    const seen = await t.http().post('/api/cards/verify-qr').set(bearer(librarian)).send({ token: qr.body.token }).expect(200);
    expect(seen.body.card).toMatchObject({ number: r.cardNumber, status: 'active' });
    expect(seen.body.patron).toMatchObject({ id: r.id, phone: `${r.phone.slice(0, 3)}****${r.phone.slice(-4)}` });
  });

  it('refuses an expired, forged or access-token QR code', async () => {
    const r = await registerResident(t.http);
    const past = Math.floor(Date.now() / 1000) - 3600;
    const expired = jwt.sign({ sub: r.id, card: r.cardNumber, iat: past - 60, exp: past }, TEST_JWT_SECRET, { audience: 'culture-card-qr' });
    const res = await t.http().post('/api/cards/verify-qr').set(bearer(librarian)).send({ token: expired }).expect(400);
    expect(res.body.code).toBe('CARD_QR_EXPIRED');

    const forged = jwt.sign({ sub: r.id, card: r.cardNumber }, 'not-the-platform-secret-0123456789abcdef', { audience: 'culture-card-qr', expiresIn: 60 });
    expect((await t.http().post('/api/cards/verify-qr').set(bearer(librarian)).send({ token: forged }).expect(400)).body.code).toBe('CARD_QR_INVALID');
    // An access token is signed with the same secret but for another audience: not a card code.
    expect((await t.http().post('/api/cards/verify-qr').set(bearer(librarian)).send({ token: r.accessToken }).expect(400)).body.code).toBe('CARD_QR_INVALID');
  });

  it('does not let residents verify cards', async () => {
    const r = await registerResident(t.http);
    const qr = await t.http().get('/api/me/card/qr').set(bearer(r.accessToken)).expect(200);
    await t.http().post('/api/cards/verify-qr').set(bearer(r.accessToken)).send({ token: qr.body.token }).expect(403);
  });

  it('reissues a lost card: new number works, the old one is refused, history is kept', async () => {
    const r = await registerResident(t.http);
    const oldQr = await t.http().get('/api/me/card/qr').set(bearer(r.accessToken)).expect(200);
    const reissued = await t.http().post('/api/me/card/reissue').set(bearer(r.accessToken)).expect(201);
    const newNumber = reissued.body.number;
    expect(newNumber).not.toBe(r.cardNumber);
    expect(reissued.body.status).toBe('active');

    const oldLogin = await t.http().post('/api/auth/login').send({ login: r.cardNumber, password: RESIDENT_PASSWORD }).expect(409);
    expect(oldLogin.body.code).toBe('CARD_LOST');
    await login(t.http, newNumber, RESIDENT_PASSWORD);
    await login(t.http, r.phone, RESIDENT_PASSWORD);

    // A QR code made for the old card no longer passes at the desk.
    const stale = await t.http().post('/api/cards/verify-qr').set(bearer(librarian)).send({ token: oldQr.body.token }).expect(409);
    expect(stale.body.code).toBe('CARD_LOST');

    const history = await t.http().get('/api/me/cards').set(bearer(r.accessToken)).expect(200);
    expect(history.body.map((c: { number: string; status: string }) => [c.number, c.status])).toEqual([
      [newNumber, 'active'],
      [r.cardNumber, 'lost'],
    ]);
    const looked = await t.http().get(`/api/cards/${r.cardNumber}`).set(bearer(librarian)).expect(200);
    expect(looked.body.card.status).toBe('lost');
  });

  it('keeps exactly one card in use under 10 parallel reissues', async () => {
    const r = await registerResident(t.http);
    const results = await Promise.all(
      Array.from({ length: 10 }, () => t.http().post(`/api/patrons/${r.id}/card/reissue`).set(bearer(librarian))),
    );
    expect(results.map((x) => x.status)).toEqual(Array(10).fill(201));
    const ds = t.app.get(DataSource);
    const rows: Array<{ status: string; n: number }> = await ds.query(
      `SELECT status, count(*)::int AS n FROM card WHERE patron_id = $1 GROUP BY status ORDER BY status`,
      [r.id],
    );
    expect(rows).toEqual([
      { status: 'active', n: 1 },
      { status: 'lost', n: 10 },
    ]);
  });

  it('lets the desk suspend and reactivate a card; a suspended card stays suspended across a reissue', async () => {
    const r = await registerResident(t.http);
    const suspended = await t.http()
      .patch(`/api/cards/${r.cardNumber}/status`)
      .set(bearer(librarian))
      .send({ status: 'suspended', reason: '逾期未还' })
      .expect(200);
    expect(suspended.body).toMatchObject({ status: 'suspended', statusReason: '逾期未还' });
    const reissued = await t.http().post('/api/me/card/reissue').set(bearer(r.accessToken)).expect(201);
    expect(reissued.body.status).toBe('suspended');
    await t.http().patch(`/api/cards/${reissued.body.number}/status`).set(bearer(librarian)).send({ status: 'active' }).expect(200);
    const lost = await t.http().patch(`/api/cards/${r.cardNumber}/status`).set(bearer(librarian)).send({ status: 'active' }).expect(409);
    expect(lost.body.code).toBe('CARD_STATUS_INVALID');
    await t.http().patch(`/api/cards/${r.cardNumber}/status`).set(bearer(librarian)).send({ status: 'lost' }).expect(400);
  });

  it('answers an unknown card with 404', async () => {
    const res = await t.http().get('/api/cards/110899999990').set(bearer(librarian)).expect(404);
    expect(res.body.code).toBe('CARD_NOT_FOUND');
  });
});
