import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { PAYMENT_PROVIDER, PaymentProvider } from '@lib/circulation';
import { bearer, login, registerResident, Resident, testDistrict, everyDay } from './utils/factories';
import { startTestApp, TEST_ADMIN, TestApp } from './utils/test-app';

const EVERY_DAY = everyDay('08:00', '22:00');
const ZONE = 'Asia/Shanghai';

describe('fines: paying at the desk and online, waiving, receipts, the audit trail', () => {
  let t: TestApp;
  let db: DataSource;
  let admin: string;
  let branchId: string;
  let otherBranchId: string;
  const desk: string[] = [];
  let seq = 0;
  let defaults: { rules: Array<Record<string, unknown>>; floatingPairs: unknown[] };

  const defaultRule = () => defaults.rules.find((r) => !r.patronCategory && !r.itemType && !r.branchId)!;
  const putPolicies = (rules: Array<Record<string, unknown>>) =>
    t.http().put('/api/circulation/policies').set(bearer(admin)).send({ rules, floatingPairs: [] });

  async function addCopy(home = branchId) {
    const record = await t.http().post('/api/catalog/records').set(bearer(admin)).send({ title: `罚款测试书 ${++seq}`, authors: ['作者'] }).expect(201);
    const barcode = `FN${String(seq).padStart(6, '0')}`;
    await t.http().post('/api/catalog/items').set(bearer(admin)).send({ recordId: record.body.id, barcode, branchId: home, itemType: 'book' }).expect(201);
    return barcode;
  }

  /** Fines put straight in (the charge trigger writes their events), `created_at` spaced so the order is known. */
  async function charge(r: Resident, amounts: string[]): Promise<string[]> {
    const ids: string[] = [];
    for (const [i, amount] of amounts.entries()) {
      const [row] = await db.query(
        `INSERT INTO fine (patron_id, amount, reason, branch_id, created_at) VALUES ($1, $2, 'overdue', $3, now() - make_interval(days => $4)) RETURNING id`,
        [r.id, amount, branchId, 100 - i],
      );
      ids.push(row.id);
    }
    return ids;
  }

  const pay = (r: Pick<Resident, 'cardNumber'>, amount: unknown, token = desk[0]) =>
    t.http().post('/api/circulation/fines/payments').set(bearer(token)).send({ cardNumber: r.cardNumber, amount });
  const account = async (r: Pick<Resident, 'cardNumber'>) =>
    (await t.http().get(`/api/circulation/fines?cardNumber=${r.cardNumber}`).set(bearer(desk[0])).expect(200)).body;
  const waive = (fineId: string, body: Record<string, unknown>, token = desk[0]) =>
    t.http().post(`/api/circulation/fines/${fineId}/waive`).set(bearer(token)).send(body);
  const checkout = (r: Pick<Resident, 'cardNumber'>, barcode: string) =>
    t.http().post('/api/circulation/checkout').set(bearer(desk[0])).send({ cardNumber: r.cardNumber, barcode });
  const checkin = (barcode: string) => t.http().post('/api/circulation/checkin').set(bearer(desk[0])).send({ barcode });

  beforeAll(async () => {
    t = await startTestApp();
    db = t.app.get(DataSource);
    admin = (await login(t.http, TEST_ADMIN.username, TEST_ADMIN.password)).accessToken;
    const { library: mk } = await testDistrict(t.http, admin, { name: '罚款区' }, EVERY_DAY);
    branchId = await mk('罚款总馆', 'central');
    otherBranchId = await mk('罚款分馆', 'branch', branchId);
    for (const k of [1, 2]) {
      await t.http()
        .post('/api/staff')
        .set(bearer(admin))
        .send({ username: `fines-${k}`, password: 'Desk12345', name: `收费员${k}`, role: 'librarian', branchIds: [branchId] })
        .expect(201);
      desk.push((await login(t.http, `fines-${k}`, 'Desk12345')).accessToken);
    }
    defaults = (await t.http().get('/api/circulation/policies').set(bearer(admin)).expect(200)).body;
  });
  afterAll(() => t.close());

  it('takes part of what is owed in cash, oldest fine first, and answers a numbered receipt with the name masked', async () => {
    const r = await registerResident(t.http, { name: '欧阳小娜' });
    const [oldest, middle, newest] = await charge(r, ['1.10', '2.20', '0.30']);
    expect(await account(r)).toMatchObject({ owed: 3.6, patronName: '欧**娜' });

    const res = await pay(r, 1.7).expect(201);
    expect(res.body).toMatchObject({ amount: 1.7, method: 'cash', branchName: '罚款总馆', patronName: '欧**娜' });
    expect(res.body.receiptNumber).toMatch(/^R\d{4}-\d{6}$/);
    expect(res.body.lines).toEqual([
      expect.objectContaining({ fineId: oldest, amount: 1.1 }),
      expect.objectContaining({ fineId: middle, amount: 0.6 }),
    ]);
    expect(JSON.stringify(res.body)).not.toContain('欧阳小娜');

    const after = await account(r);
    expect(after.owed).toBe(1.9);
    expect(after.fines).toEqual([
      expect.objectContaining({ id: middle, amount: 2.2, paid: 0.6, owing: 1.6, settledAt: null }),
      expect.objectContaining({ id: newest, amount: 0.3, paid: 0, owing: 0.3 }),
      expect.objectContaining({ id: oldest, amount: 1.1, paid: 1.1, owing: 0, settledAt: expect.any(String) }),
    ]);
    expect(after.receipts).toEqual([expect.objectContaining({ receiptNumber: res.body.receiptNumber })]);

    // The printable receipt, and no float drift: 0.1 + 0.2 is paid as exactly 0.30.
    expect((await t.http().get(`/api/circulation/receipts/${res.body.receiptNumber}`).set(bearer(desk[1])).expect(200)).body).toEqual(res.body);
    const second = await pay(r, 1.9).expect(201);
    expect(second.body.receiptNumber).not.toBe(res.body.receiptNumber);
    expect((await account(r)).owed).toBe(0);
    const [{ paid }] = await db.query(`SELECT sum(paid)::text AS paid FROM fine WHERE patron_id = $1`, [r.id]);
    expect(paid).toBe('3.60');
  });

  it('refuses more than is owed, and bad amounts, with a 400 naming amount', async () => {
    const r = await registerResident(t.http);
    await charge(r, ['2.00']);
    const over = await pay(r, 2.01).expect(400);
    expect(over.body).toMatchObject({ statusCode: 400, code: 'PAYMENT_OVER_OWED', details: { field: 'amount', owed: '2.00' } });
    for (const bad of [0, -1, 1.234, '1.00', null, 1e9]) {
      const res = await pay(r, bad).expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
      expect(res.body.details.errors.map((e: { field: string }) => e.field)).toEqual(['amount']);
    }
    // Nothing owed: any payment is too much.
    const clear = await registerResident(t.http);
    expect((await pay(clear, 1).expect(400)).body).toMatchObject({ code: 'PAYMENT_OVER_OWED', details: { field: 'amount', owed: '0.00' } });
    expect((await account(r)).owed).toBe(2);
    expect((await db.query(`SELECT count(*)::int AS n FROM payment WHERE patron_id = $1`, [r.id]))[0].n).toBe(0);
  });

  it('waives part of a fine for a reason, and keeps every charge, payment and waiver in an append-only trail', async () => {
    const r = await registerResident(t.http);
    const [fine] = await charge(r, ['5.00']);
    const noReason = await waive(fine, { amount: 1 }).expect(400);
    expect(noReason.body.details.errors.map((e: { field: string }) => e.field)).toEqual(['reason']);
    expect((await waive(fine, { amount: 1, reason: '   ' }).expect(400)).body.details.errors[0].field).toBe('reason');
    expect((await waive(fine, { amount: 5.01, reason: '系统故障' }).expect(400)).body).toMatchObject({ code: 'WAIVE_OVER_OWED', details: { field: 'amount' } });

    expect((await waive(fine, { amount: 1.5, reason: '系统故障导致逾期' }).expect(201)).body).toMatchObject({ id: fine, waived: 1.5, owing: 3.5 });
    await pay(r, 3.5, desk[1]).expect(201);
    expect((await waive(fine, { amount: 0.01, reason: '已缴清' }).expect(400)).body.code).toBe('WAIVE_OVER_OWED');

    const events = await db.query(
      `SELECT kind, amount::text AS amount, reason, actor_id IS NOT NULL AS by_someone, branch_id, payment_id IS NOT NULL AS with_payment
         FROM fine_event WHERE fine_id = $1 ORDER BY id`,
      [fine],
    );
    expect(events).toEqual([
      { kind: 'charged', amount: '5.00', reason: 'overdue', by_someone: false, branch_id: branchId, with_payment: false },
      { kind: 'waived', amount: '1.50', reason: '系统故障导致逾期', by_someone: true, branch_id: branchId, with_payment: false },
      { kind: 'paid', amount: '3.50', reason: 'cash', by_someone: true, branch_id: branchId, with_payment: true },
    ]);
    const [{ actor_id }] = await db.query(`SELECT actor_id FROM fine_event WHERE fine_id = $1 AND kind = 'paid'`, [fine]);
    const [{ id: secondLibrarian }] = await db.query(`SELECT id FROM staff WHERE username = 'fines-2'`);
    expect(actor_id).toBe(secondLibrarian);

    for (const sql of [`UPDATE fine_event SET amount = 1 WHERE fine_id = $1`, `DELETE FROM fine_event WHERE fine_id = $1`]) {
      await expect(db.query(sql, [fine])).rejects.toMatchObject({ code: '23001' });
    }
    await expect(db.query(`TRUNCATE fine_event`)).rejects.toMatchObject({ code: '23001' });
    // And the database never lets a fine be settled past its amount.
    await expect(db.query(`UPDATE fine SET paid = paid + 0.01 WHERE id = $1`, [fine])).rejects.toMatchObject({ code: '23514' });
  });

  it('lifts a fines block at once: after a payment brings the total under the limit, the next checkout succeeds', async () => {
    await putPolicies([{ ...defaultRule(), branchId: null, finePerDay: 0.5, fineCap: 3, blockFinesOver: 1 }]).expect(200);
    try {
      const r = await registerResident(t.http);
      const first = await addCopy();
      const out = await checkout(r, first).expect(201);
      await db.query(`UPDATE loan SET due_at = now() - interval '10 days' WHERE id = $1`, [out.body.loanId]);
      expect((await checkin(first).expect(200)).body.fine).toBe(3);

      const next = await addCopy();
      expect((await checkout(r, next).expect(409)).body).toMatchObject({ code: 'PATRON_BLOCKED', details: { code: 'fines' } });
      await pay(r, 1.5).expect(201);
      expect((await checkout(r, next).expect(409)).body.code).toBe('PATRON_BLOCKED'); // 1.50 still over 1
      await pay(r, 0.5).expect(201);
      await checkout(r, next).expect(201); // 1.00 is not over the limit
    } finally {
      await putPolicies(defaults.rules).expect(200);
    }
  });

  it('never takes more than is owed when many desks pay the same fines at once', async () => {
    const r = await registerResident(t.http);
    await charge(r, ['1.00', '0.70', '1.30']);
    const attempts = Array.from({ length: 24 }, (_, i) => pay(r, 0.5, desk[i % 2]));
    const results = await Promise.all(attempts);
    const statuses = results.map((res) => res.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(6);
    expect(statuses.filter((s) => s === 400)).toHaveLength(18);
    expect(results.filter((res) => res.status === 400).every((res) => res.body.code === 'PAYMENT_OVER_OWED')).toBe(true);
    const [{ paid, taken, receipts }] = await db.query(
      `SELECT (SELECT sum(paid)::text FROM fine WHERE patron_id = $1) AS paid, (SELECT sum(amount)::text FROM payment WHERE patron_id = $1) AS taken,
              (SELECT count(DISTINCT receipt_number)::int FROM payment WHERE patron_id = $1) AS receipts`,
      [r.id],
    );
    expect({ paid, taken, receipts }).toEqual({ paid: '3.00', taken: '3.00', receipts: 6 });
    expect((await account(r)).owed).toBe(0);
  });

  it('lets a resident see their fines and receipts and pay online, the same way as at the desk', async () => {
    const [r, other] = await Promise.all([registerResident(t.http), registerResident(t.http)]);
    await charge(r, ['4.00']);
    const cash = await pay(r, 1).expect(201);
    const online = await t.http().post('/api/me/fines/payments').set(bearer(r.accessToken)).send({ amount: 2.5 }).expect(201);
    expect(online.body).toMatchObject({ method: 'online', amount: 2.5, branchName: null, lines: [expect.objectContaining({ amount: 2.5 })] });
    const [{ provider_reference }] = await db.query(`SELECT provider_reference FROM payment WHERE receipt_number = $1`, [online.body.receiptNumber]);
    expect(provider_reference).toMatch(/^log-/);
    expect((await t.http().post('/api/me/fines/payments').set(bearer(r.accessToken)).send({ amount: 0.51 }).expect(400)).body.details.field).toBe('amount');

    const mine = (await t.http().get('/api/me/fines').set(bearer(r.accessToken)).expect(200)).body;
    expect(mine).toMatchObject({ owed: 0.5, fines: [expect.objectContaining({ amount: 4, paid: 3.5, owing: 0.5 })] });
    expect(mine.receipts.map((x: { receiptNumber: string }) => x.receiptNumber)).toEqual([online.body.receiptNumber, cash.body.receiptNumber]);
    await t.http().get(`/api/me/receipts/${cash.body.receiptNumber}`).set(bearer(r.accessToken)).expect(200);
    expect((await t.http().get(`/api/me/receipts/${cash.body.receiptNumber}`).set(bearer(other.accessToken)).expect(404)).body.code).toBe('RECEIPT_NOT_FOUND');
    await t.http().get(`/api/circulation/fines?cardNumber=${r.cardNumber}`).set(bearer(r.accessToken)).expect(403);
    expect((await t.http().get(`/api/circulation/fines?cardNumber=12`).set(bearer(desk[0])).expect(400)).body.details.errors[0].field).toBe('cardNumber');
  });

  it('charges online through the configured provider, and records nothing when the provider declines', async () => {
    const provider = t.app.get<PaymentProvider>(PAYMENT_PROVIDER);
    expect(provider.name).toBe('log');
    const r = await registerResident(t.http);
    await charge(r, ['3.00']);
    const spy = jest.spyOn(provider, 'charge').mockResolvedValueOnce({ accepted: false, reference: 'declined-1' });
    try {
      const declined = await t.http().post('/api/me/fines/payments').set(bearer(r.accessToken)).send({ amount: 3 }).expect(409);
      expect(declined.body).toMatchObject({ code: 'PAYMENT_DECLINED', details: { provider: 'log' } });
      expect(spy).toHaveBeenCalledWith(expect.objectContaining({ patronId: r.id, amountFen: 300 }));
    } finally {
      spy.mockRestore();
    }
    expect((await db.query(`SELECT count(*)::int AS n FROM payment WHERE patron_id = $1`, [r.id]))[0].n).toBe(0);
    expect((await account(r)).owed).toBe(3);
    // A retry with the same key is answered as the first time, and charged once.
    const key = { 'Idempotency-Key': `online-${r.id}` };
    const first = await t.http().post('/api/me/fines/payments').set(bearer(r.accessToken)).set(key).send({ amount: 1 }).expect(201);
    const retry = await t.http().post('/api/me/fines/payments').set(bearer(r.accessToken)).set(key).send({ amount: 1 }).expect(201);
    expect(retry.body.receiptNumber).toBe(first.body.receiptNumber);
    expect((await account(r)).owed).toBe(2);
  });

  describe('overdue days', () => {
    /** The local date `days` from today at the branch. */
    const localDay = (days: number) => DateTime.now().setZone(ZONE).startOf('day').plus({ days }).toISODate()!;

    it('count only the days the checkout branch is open, unless the policy says calendar days', async () => {
      // Closed three days in a row just before today.
      for (const d of [-3, -2, -1]) {
        await t.http().put(`/api/branches/${otherBranchId}/calendar/exceptions/${localDay(d)}`).set(bearer(admin)).send({ intervals: [], reason: '闭馆' }).expect(200);
      }
      const rule = { ...defaultRule(), branchId: null, finePerDay: 1, fineCap: 0, blockFinesOver: 0 };
      const due = DateTime.fromISO(localDay(-5), { zone: ZONE }).endOf('day').toJSDate(); // five days late today
      try {
        for (const [overdueDays, expected] of [['open', 2], ['calendar', 5]] as const) {
          await putPolicies([{ ...rule, overdueDays }]).expect(200);
          const r = await registerResident(t.http);
          const copy = await addCopy(otherBranchId);
          const out = await t.http().post('/api/circulation/checkout').set(bearer(admin)).send({ cardNumber: r.cardNumber, barcode: copy, branchId: otherBranchId }).expect(201);
          await db.query(`UPDATE loan SET due_at = $2 WHERE id = $1`, [out.body.loanId, due]);
          expect((await checkin(copy).expect(200)).body.fine).toBe(expected);
        }
        expect((await t.http().get('/api/circulation/policies').set(bearer(admin)).expect(200)).body.rules[0].overdueDays).toBe('calendar');
        expect((await putPolicies([{ ...rule, overdueDays: 'weekdays' }]).expect(400)).body.details.errors[0].field).toBe('rules.0.overdueDays');
      } finally {
        await putPolicies(defaults.rules).expect(200);
      }
    });
  });
});
