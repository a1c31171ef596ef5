import { DataSource } from 'typeorm';
import { JobRunner } from '@lib/jobs';
import { bearer, everyDay, login, registerResident, Resident, RESIDENT_PASSWORD, testDistrict, uniqueIdNumber, uniquePhone } from './utils/factories';
import { startTestApp, TEST_ADMIN, TestApp } from './utils/test-app';

/**
 * PIPL: the staff access log (who read or changed a resident's personal data, when, what, from where; append-only
 * in the database; kept PERSONAL_DATA_LOG_DAYS), the resident's export of their data, and closing an account.
 */
describe('personal data: access log, export, closing an account', () => {
  let t: TestApp;
  let db: DataSource;
  let admin: string;
  let desk: string;
  let deskId: string;
  let branchId: string;
  let seq = 0;

  async function addCopy(): Promise<string> {
    const record = await t.http().post('/api/catalog/records').set(bearer(admin)).send({ title: `个人信息测试书 ${++seq}`, authors: ['作者'] }).expect(201);
    const barcode = `PD${String(seq).padStart(6, '0')}`;
    await t.http().post('/api/catalog/items').set(bearer(admin)).send({ recordId: record.body.id, barcode, branchId, itemType: 'book' }).expect(201);
    return barcode;
  }
  const checkout = (cardNumber: string, barcode: string) => t.http().post('/api/circulation/checkout').set(bearer(desk)).send({ cardNumber, barcode });
  const checkin = (barcode: string) => t.http().post('/api/circulation/checkin').set(bearer(desk)).send({ barcode }).expect(200);
  const accessLog = async (query: string) => (await t.http().get(`/api/admin/personal-data-access?${query}`).set(bearer(admin)).expect(200)).body;
  const close = (r: Pick<Resident, 'accessToken'>, password = RESIDENT_PASSWORD, language = 'zh-CN') =>
    t.http().post('/api/me/close').set(bearer(r.accessToken)).set('accept-language', language).send({ password });
  const rollups = async () => ({
    daily: await db.query(`SELECT * FROM usage_daily ORDER BY 1, 2, 3, 4, 5`),
    monthly: await db.query(`SELECT * FROM usage_monthly ORDER BY 1, 2, 3, 4, 5`),
    events: (await db.query(`SELECT count(*)::int AS n FROM usage_event`))[0].n,
  });

  beforeAll(async () => {
    t = await startTestApp();
    db = t.app.get(DataSource);
    admin = (await login(t.http, TEST_ADMIN.username, TEST_ADMIN.password)).accessToken;
    const { library } = await testDistrict(t.http, admin, { name: '个人信息区' }, everyDay('00:00', '23:59'));
    branchId = await library('个人信息馆', 'central');
    const staff = await t.http()
      .post('/api/staff')
      .set(bearer(admin))
      .send({ username: 'pipl-desk', password: 'Desk12345', name: '前台', role: 'librarian', branchIds: [branchId] })
      .expect(201);
    deskId = staff.body.id;
    desk = (await login(t.http, 'pipl-desk', 'Desk12345')).accessToken;
  });
  afterAll(() => t.close());

  describe('the access log', () => {
    it('records every staff read and change of a resident with who, what, the client address and the user agent', async () => {
      const r = await registerResident(t.http, { name: '赵小明', idNumber: uniqueIdNumber() });
      await t.http().get(`/api/cards/${r.cardNumber}`).set(bearer(desk)).set('user-agent', 'DeskBrowser/1.0').set('x-forwarded-for', '203.0.113.9').expect(200);
      await t.http().patch(`/api/cards/${r.cardNumber}/status`).set(bearer(desk)).send({ status: 'suspended', reason: '逾期' }).expect(200);
      await t.http().post(`/api/patrons/${r.id}/card/reissue`).set(bearer(desk)).expect(201);
      await t.http().get(`/api/circulation/fines?cardNumber=${(await db.query(`SELECT number FROM card WHERE patron_id = $1 AND status = 'suspended'`, [r.id]))[0].number}`).set(bearer(desk)).expect(200);
      // The resident's own reads are not staff access.
      await t.http().get('/api/me').set(bearer(r.accessToken)).expect(200);

      const log = await accessLog(`patronId=${r.id}`);
      expect(log.total).toBe(4);
      expect(log.items.map((i: { action: string }) => i.action)).toEqual(['fines.account', 'card.reissue', 'card.status', 'card.lookup']);
      const lookup = log.items[3];
      expect(lookup).toMatchObject({
        staffId: deskId,
        staffUsername: 'pipl-desk',
        patronId: r.id,
        patronName: '赵*明',
        operation: 'read',
        fields: expect.arrayContaining(['name', 'phone(masked)', 'idNumber(masked)']),
        userAgent: 'DeskBrowser/1.0',
      });
      // TRUST_PROXY is off: the forwarded header is not believed; the address is the socket's.
      expect(lookup.ip).toMatch(/127\.0\.0\.1/);
      expect(log.items.slice(1, 3).map((i: { operation: string }) => i.operation)).toEqual(['change', 'change']);

      // Filters and paging: by staff member, by window, one per page.
      expect((await accessLog(`staffId=${deskId}&patronId=${r.id}&pageSize=1&page=3`)).items).toEqual([expect.objectContaining({ action: "card.status" })]);
      expect((await accessLog(`patronId=${r.id}&from=2999-01-01T00:00:00Z`)).total).toBe(0);
      expect((await accessLog(`patronId=${r.id}&from=2000-01-01T00:00:00Z&to=2999-01-01T00:00:00%2B08:00`)).total).toBe(4);
      expect((await accessLog(`staffId=00000000-0000-4000-8000-000000000000`)).total).toBe(0);
    });

    it('writes nothing for a refused change, and only admins read it; bad filters are a 400 naming the field', async () => {
      const r = await registerResident(t.http);
      await t.http().post(`/api/patrons/${r.id}/card/reissue`).set(bearer(desk)).expect(201);
      const [{ number: lost }] = await db.query(`SELECT number FROM card WHERE patron_id = $1 AND status = 'lost'`, [r.id]);
      await t.http().patch(`/api/cards/${lost}/status`).set(bearer(desk)).send({ status: 'active' }).expect(409);
      expect((await accessLog(`patronId=${r.id}`)).items.map((i: { action: string }) => i.action)).toEqual(['card.reissue']);

      await t.http().get('/api/admin/personal-data-access').set(bearer(desk)).expect(403);
      await t.http().get('/api/admin/personal-data-access').set(bearer(r.accessToken)).expect(403);
      for (const [query, field] of [['patronId=abc', 'patronId'], ['staffId=1', 'staffId'], ['from=yesterday', 'from'], ['to=2026-12-01T10:00:00', 'to'], ['pageSize=0', 'pageSize']]) {
        const res = await t.http().get(`/api/admin/personal-data-access?${query}`).set(bearer(admin)).expect(400);
        expect(res.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
        expect(res.body.details.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
      }
    });

    it('is append-only in the database: UPDATE, DELETE and TRUNCATE are refused, whoever asks', async () => {
      const r = await registerResident(t.http);
      await t.http().get(`/api/cards/${r.cardNumber}`).set(bearer(desk)).expect(200);
      await expect(db.query(`UPDATE personal_data_access SET staff_id = patron_id WHERE patron_id = $1`, [r.id])).rejects.toMatchObject({ code: '23001' });
      await expect(db.query(`DELETE FROM personal_data_access WHERE patron_id = $1`, [r.id])).rejects.toMatchObject({ code: '23001' });
      await expect(db.query(`TRUNCATE personal_data_access`)).rejects.toMatchObject({ code: '23001' });
      // Even the purge's setting cannot reach a line younger than 30 days.
      await expect(
        db.transaction(async (em) => {
          await em.query(`SELECT set_config('culture.personal_data_purge_before', now()::text, true)`);
          await em.query(`DELETE FROM personal_data_access WHERE patron_id = $1`, [r.id]);
        }),
      ).rejects.toMatchObject({ code: '23001' });
      expect((await accessLog(`patronId=${r.id}`)).total).toBe(1);
    });

    it('is kept PERSONAL_DATA_LOG_DAYS (three years by default): the purge job removes older lines only', async () => {
      const r = await registerResident(t.http);
      await t.http().get(`/api/cards/${r.cardNumber}`).set(bearer(desk)).expect(200);
      for (const days of [1096, 1094, 40]) {
        await db.query(
          `INSERT INTO personal_data_access (at, staff_id, patron_id, operation, action, fields) VALUES (now() - make_interval(days => $1), $2, $3, 'read', 'test.old', '{name}')`,
          [days, deskId, r.id],
        );
      }
      expect(t.env.PERSONAL_DATA_LOG_DAYS).toBe(1095);
      const result = await t.app.get(JobRunner).runNow('purge-personal-data-log');
      expect(result.accessLogLines).toBeGreaterThanOrEqual(1);
      const left: Array<{ days: number }> = await db.query(
        `SELECT round(extract(epoch FROM now() - at) / 86400)::int AS days FROM personal_data_access WHERE patron_id = $1 ORDER BY at`,
        [r.id],
      );
      expect(left.map((l) => l.days)).toEqual([1094, 40, 0]);
    });
  });

  describe('a resident downloads their data', () => {
    it('answers one JSON attachment with their own data unmasked: profile, cards, loans, holds, fines and payments, bookings, registrations, services, demands', async () => {
      const phone = uniquePhone();
      const idNumber = uniqueIdNumber();
      const r = await registerResident(t.http, { name: '钱多多', phone, idNumber });
      const barcode = await addCopy();
      await checkout(r.cardNumber, barcode).expect(201);
      await db.query(`INSERT INTO fine (patron_id, amount, reason, branch_id) VALUES ($1, '1.50', 'overdue', $2)`, [r.id, branchId]);
      await t.http().post('/api/circulation/fines/payments').set(bearer(desk)).send({ cardNumber: r.cardNumber, amount: 0.5 }).expect(201);

      const res = await t.http().get('/api/me/export').set(bearer(r.accessToken)).expect(200);
      expect(res.headers['content-type']).toMatch(/application\/json/);
      expect(res.headers['content-disposition']).toMatch(/^attachment; filename=".+\.json"$/);
      expect(res.body.profile).toMatchObject({ id: r.id, name: '钱多多', phone, idNumber: idNumber.toUpperCase(), category: 'adult' });
      expect(res.body.cards).toEqual([expect.objectContaining({ number: r.cardNumber, status: 'active' })]);
      expect(res.body.loans).toEqual([expect.objectContaining({ barcode })]);
      expect(res.body.fines).toMatchObject({ owed: 1, fines: [expect.objectContaining({ amount: 1.5, paid: 0.5 })], payments: [expect.objectContaining({ amount: 0.5 })] });
      for (const key of ['holds', 'bookings', 'registrations', 'services']) expect(Array.isArray(res.body[key])).toBe(true);
      expect(res.body.demands).toEqual({ asked: [], votedFor: [] });

      await t.http().get('/api/me/export').set(bearer(desk)).expect(403);
      await t.http().get('/api/me/export').expect(401);
    });
  });

  describe('a resident closes their account', () => {
    it('is refused with a 409 listing what is open (loans, fines), in zh-CN and English; a wrong password is a 400 naming it', async () => {
      const r = await registerResident(t.http);
      const barcode = await addCopy();
      await checkout(r.cardNumber, barcode).expect(201);
      await db.query(`INSERT INTO fine (patron_id, amount, reason, branch_id) VALUES ($1, '2.00', 'overdue', $2)`, [r.id, branchId]);

      const wrong = await close(r, 'not-my-password').expect(400);
      expect(wrong.body).toMatchObject({ code: 'PASSWORD_WRONG', details: { field: 'password' } });
      await close(r, '').expect(400);

      const zh = await close(r).expect(409);
      expect(zh.body).toMatchObject({ statusCode: 409, code: 'ACCOUNT_HAS_OPEN_ITEMS', details: { openLoans: 1, owed: 2, activeHolds: 0 } });
      expect(zh.body.message).toBe('账号暂不能注销，请先处理：1 册未归还的借阅、未缴罚款 2.00 元');
      const en = await close(r, RESIDENT_PASSWORD, 'en').expect(409);
      expect(en.body.message).toBe('The account cannot be closed yet; first settle: 1 loan not returned, unpaid fines of ¥2.00');
      // Nothing changed.
      await t.http().get('/api/me').set(bearer(r.accessToken)).expect(200);
      expect((await db.query(`SELECT status FROM card WHERE patron_id = $1`, [r.id])).map((c: { status: string }) => c.status)).toEqual(['active']);
    });

    it('once settled: ends the card, erases the personal fields, ends every session, and leaves the usage statistics as they were', async () => {
      const phone = uniquePhone();
      const r = await registerResident(t.http, { name: '孙悟空', phone, idNumber: uniqueIdNumber() });
      const second = await login(t.http, r.cardNumber, RESIDENT_PASSWORD);
      const barcode = await addCopy();
      await checkout(r.cardNumber, barcode).expect(201);
      await checkin(barcode);
      await db.query(`INSERT INTO fine (patron_id, amount, reason, branch_id) VALUES ($1, '1.00', 'overdue', $2)`, [r.id, branchId]);
      await t.http().post('/api/circulation/fines/payments').set(bearer(desk)).send({ cardNumber: r.cardNumber, amount: 1 }).expect(201);
      const before = await rollups();
      expect(before.events).toBeGreaterThan(0);

      const res = await close(r).expect(200);
      expect(res.body).toMatchObject({ cardsEnded: 1, sessionsEnded: 2, closedAt: expect.any(String) });

      // Sessions and tokens: the access tokens in flight, the refresh token and the password all stop working.
      await t.http().get('/api/me').set(bearer(r.accessToken)).expect(401);
      await t.http().get('/api/me').set(bearer(second.accessToken)).expect(401);
      await t.http().post('/api/auth/refresh').send({ refreshToken: r.refreshToken }).expect(401);
      await t.http().post('/api/auth/login').send({ login: phone, password: RESIDENT_PASSWORD }).expect(401);
      await t.http().post('/api/auth/login').send({ login: r.cardNumber, password: RESIDENT_PASSWORD }).expect(401);

      // The card ended; the desk sees a closed account, no personal data.
      const [row] = await db.query(`SELECT name, phone_fingerprint, phone_encrypted, id_number_fingerprint, id_number_encrypted, closed_at FROM patron WHERE id = $1`, [r.id]);
      expect(row).toMatchObject({ name: '已注销', phone_fingerprint: null, phone_encrypted: null, id_number_fingerprint: null, id_number_encrypted: null, closed_at: expect.any(Date) });
      const card = await t.http().get(`/api/cards/${r.cardNumber}`).set(bearer(desk)).expect(200);
      expect(card.body).toMatchObject({ card: { status: 'closed', endedAt: expect.any(String) }, patron: { name: '已注销', phone: null, idNumber: null, card: null } });
      expect((await checkout(r.cardNumber, await addCopy()).expect(409)).body).toMatchObject({ code: 'CARD_NOT_USABLE' });
      // The returned loan forgot its reader; the paid fine stays (for the accounts), on the anonymised row.
      expect((await db.query(`SELECT count(*)::int AS n FROM loan WHERE patron_id = $1`, [r.id]))[0].n).toBe(0);
      expect((await db.query(`SELECT count(*)::int AS n FROM fine WHERE patron_id = $1`, [r.id]))[0].n).toBe(1);

      // Usage statistics: the log and its rollups are exactly as before (they never held the person).
      expect(await rollups()).toEqual(before);

      // The phone number is free to register again, as a new person.
      const again = await registerResident(t.http, { phone });
      expect(again.id).not.toBe(r.id);
    });

    it('never lets a racing checkout and the close both succeed', async () => {
      const rounds = 8;
      let closes = 0;
      let checkouts = 0;
      for (let i = 0; i < rounds; i++) {
        const r = await registerResident(t.http);
        const barcode = await addCopy();
        const [closed, lent] = await Promise.all([close(r), checkout(r.cardNumber, barcode)]);
        expect([closed.status, lent.status].sort()).toEqual(closed.status === 200 ? [200, 409] : [201, 409]);
        if (closed.status === 200) {
          closes++;
          expect(lent.body.code).toBe('CARD_NOT_USABLE');
          expect((await db.query(`SELECT count(*)::int AS n FROM loan l JOIN item i ON i.id = l.item_id WHERE i.barcode = $1`, [barcode]))[0].n).toBe(0);
        } else {
          checkouts++;
          expect(closed.body).toMatchObject({ code: 'ACCOUNT_HAS_OPEN_ITEMS', details: { openLoans: 1 } });
          expect((await db.query(`SELECT closed_at FROM patron WHERE id = $1`, [r.id]))[0].closed_at).toBeNull();
        }
      }
      expect(closes + checkouts).toBe(rounds);
    });
  });

  describe('behind a proxy', () => {
    // Last: a second instance of the same deployment, whose shutdown must not disturb the tests above.
    it('honours TRUST_PROXY for the address it records', async () => {
      const behindProxy = await startTestApp({ TRUST_PROXY: '1' }, { sameDeploymentAs: t });
      try {
        const r = await registerResident(t.http);
        await behindProxy.http().get(`/api/cards/${r.cardNumber}`).set(bearer(desk)).set('x-forwarded-for', '203.0.113.9').expect(200);
        expect((await accessLog(`patronId=${r.id}`)).items).toEqual([expect.objectContaining({ action: 'card.lookup', ip: '203.0.113.9' })]);
      } finally {
        await behindProxy.close();
      }
    });

  });
});
