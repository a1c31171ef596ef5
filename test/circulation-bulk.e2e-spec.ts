import { DataSource } from 'typeorm';
import { bearer, login, registerResident, Resident, everyDay } from './utils/factories';
import { startTestApp, TEST_ADMIN, TestApp } from './utils/test-app';

const EVERY_DAY = everyDay('08:00', '22:00');

interface Item {
  ok: boolean;
  barcode: string;
  wasOnLoan?: boolean;
  loanId?: string;
  action?: string;
  destinationBranchId?: string;
  holdId?: string;
  holdFor?: { patronName: string; cardLast4: string | null; pickupBy: string | null };
  message?: { zh: string; en: string };
  error?: { statusCode: number; code: string; message: string; details: Record<string, unknown> };
}

/** A Saturday cart at the desk: many returns in one request, each copy answered on its own, in order. */
describe('bulk check-in (a cart of returns)', () => {
  let t: TestApp;
  let ds: DataSource;
  let admin: string;
  const branch = { A: '', B: '', X: '' };
  const librarian = { A: '', A2: '' };
  let recordId: string;
  let seq = 0;
  let residents: Resident[] = [];
  const loansOf = new Map<Resident, number>();

  const addRecord = async (title: string) =>
    (await t.http().post('/api/catalog/records').set(bearer(admin)).send({ title, authors: ['测试作者'] }).expect(201)).body.id as string;
  async function addCopy(home: string, record = recordId) {
    const barcode = `BK${String(++seq).padStart(6, '0')}`;
    await t.http().post('/api/catalog/items').set(bearer(admin)).send({ recordId: record, barcode, branchId: home, itemType: 'book' }).expect(201);
    return barcode;
  }
  /** Lends a new copy of `home` to a resident with room under the loan limit (10). */
  async function lentCopy(home: string, record = recordId) {
    const barcode = await addCopy(home, record);
    const r = residents.find((x) => (loansOf.get(x) ?? 0) < 10)!;
    loansOf.set(r, (loansOf.get(r) ?? 0) + 1);
    await t.http().post('/api/circulation/checkout').set(bearer(admin)).send({ cardNumber: r.cardNumber, barcode, branchId: home }).expect(201);
    return barcode;
  }
  const checkinList = (token: string, barcodes: unknown, extra: Record<string, unknown> = {}) =>
    t.http().post('/api/circulation/checkin').set(bearer(token)).send({ barcodes, ...extra });
  const returnEvents = async (branchId: string) =>
    (await ds.query(`SELECT count(*)::int AS n FROM usage_event WHERE kind = 'return' AND branch_id = $1`, [branchId]))[0].n as number;
  /** Every loan ever made of these copies: [barcode, status, closed, checkin branch]. */
  const loanRows = async (barcodes: string[]) =>
    (await ds.query(
      `SELECT i.barcode, l.status, l.closed_at IS NOT NULL AS closed, l.checkin_branch_id
         FROM loan l JOIN item i ON i.id = l.item_id WHERE i.barcode = ANY($1) ORDER BY i.barcode`,
      [barcodes],
    )) as Array<{ barcode: string; status: string; closed: boolean; checkin_branch_id: string | null }>;

  beforeAll(async () => {
    t = await startTestApp();
    ds = t.app.get(DataSource);
    admin = (await login(t.http, TEST_ADMIN.username, TEST_ADMIN.password)).accessToken;
    const district = await t.http().post('/api/regions').set(bearer(admin)).send({ name: '批量区', kind: 'district' }).expect(201);
    const mk = async (name: string, level: string, parentId?: string, shared = true) =>
      (
        await t.http()
          .post('/api/branches')
          .set(bearer(admin))
          .send({ name, kind: 'library', level, regionId: district.body.id, parentId, sharedCirculation: shared, openingHours: EVERY_DAY })
          .expect(201)
      ).body.id as string;
    branch.A = await mk('A 总馆', 'central');
    branch.B = await mk('B 分馆', 'branch', branch.A);
    branch.X = await mk('X 未加入', 'branch', branch.A, false);
    for (const [k, username] of [['A', 'bulk-a'], ['A2', 'bulk-a2']] as const) {
      await t.http().post('/api/staff').set(bearer(admin)).send({ username, password: 'Desk12345', name: `馆员${k}`, role: 'librarian', branchIds: [branch.A] }).expect(201);
      librarian[k] = (await login(t.http, username, 'Desk12345')).accessToken;
    }
    recordId = await addRecord('西游记');
    residents = await Promise.all(Array.from({ length: 8 }, () => registerResident(t.http)));
  }, 120_000);
  afterAll(() => t.close());

  it('answers a cart of 50 mixed copies per copy, in order, and closes each loan exactly once', async () => {
    const onLoanHome: string[] = [];
    for (let i = 0; i < 33; i++) onLoanHome.push(await lentCopy(branch.A));
    const onLoanFromB: string[] = [];
    for (let i = 0; i < 5; i++) onLoanFromB.push(await lentCopy(branch.B));
    const notOnLoan: string[] = [];
    for (let i = 0; i < 5; i++) notOnLoan.push(await addCopy(branch.A));
    // A copy a resident waits for, picked up here: it goes on the hold shelf.
    const heldTitle = await addRecord('聊斋志异');
    const held = await lentCopy(branch.A, heldTitle);
    const waiting = await registerResident(t.http, { name: '欧阳小娜' });
    const hold = await t.http().post('/api/holds').set(bearer(waiting.accessToken)).send({ recordId: heldTitle, pickupBranchId: branch.A }).expect(201);
    const unknown = ['NOPE-0001', 'NOPE-0002', 'NOPE-0003', 'NOPE-0004'];

    // Interleaved as a real cart is, with two copies scanned twice: 50 entries.
    const groups = [onLoanHome, onLoanFromB, notOnLoan, [held], unknown];
    const cart: string[] = [];
    for (let i = 0; i < onLoanHome.length; i++) for (const g of groups) if (g[i] !== undefined) cart.push(g[i]);
    cart.splice(10, 0, onLoanHome[0]);
    cart.push(held);
    expect(cart).toHaveLength(50);

    const before = await returnEvents(branch.A);
    const res = await checkinList(librarian.A, cart).expect(200);
    const items: Item[] = res.body.items;
    expect(Object.keys(res.body)).toEqual(['items']);
    expect(items.map((x) => x.barcode)).toEqual(cart);

    const firstIndex = (barcode: string) => cart.indexOf(barcode);
    items.forEach((item, i) => {
      const b = cart[i];
      if (firstIndex(b) !== i) {
        // Scanned twice, returned once: the repeat says so and points at the first entry.
        expect(item).toEqual({
          ok: false,
          barcode: b,
          error: { statusCode: 400, code: 'CHECKIN_REPEATED', message: expect.stringContaining(b), details: { barcode: b, field: `barcodes.${i}`, sameAs: `barcodes.${firstIndex(b)}` } },
        });
      } else if (onLoanHome.includes(b)) {
        expect(item).toMatchObject({ ok: true, wasOnLoan: true, loanId: expect.any(String), action: 'shelve', message: { zh: '上架：本馆', en: 'Shelve here' } });
      } else if (onLoanFromB.includes(b)) {
        expect(item).toMatchObject({ ok: true, wasOnLoan: true, action: 'transit', destinationBranchId: branch.B, message: { zh: '归还调拨：送往 B 分馆', en: 'Send to B 分馆' } });
      } else if (notOnLoan.includes(b)) {
        expect(item).toMatchObject({ ok: true, wasOnLoan: false, action: 'shelve' });
        expect(item).not.toHaveProperty('loanId');
        expect(item.message!.en).toContain('was not on loan');
      } else if (b === held) {
        expect(item).toMatchObject({ ok: true, wasOnLoan: true, action: 'hold-shelf', holdId: hold.body.id });
        expect(item.holdFor).toEqual({ patronName: '欧**娜', cardLast4: waiting.cardNumber.slice(-4), pickupBy: expect.any(String) });
      } else {
        expect(unknown).toContain(b);
        // The platform's one error shape, in the request's language (zh-CN by default), naming the entry.
        expect(item).toEqual({
          ok: false,
          barcode: b,
          error: { statusCode: 404, code: 'ITEM_NOT_FOUND', message: `条码不存在：${b}`, details: { barcode: b, field: `barcodes.${i}` } },
        });
      }
    });
    expect(JSON.stringify(res.body)).not.toContain(waiting.phone);

    // The database: every loan of the cart closed once, here, as returned; one return event per loan.
    const lent = [...onLoanHome, ...onLoanFromB, held];
    const rows = await loanRows(lent);
    expect(rows).toHaveLength(lent.length);
    expect(rows.every((r) => r.status === 'returned' && r.closed && r.checkin_branch_id === branch.A)).toBe(true);
    expect(await returnEvents(branch.A)).toBe(before + lent.length);
    const [{ n: open }] = await ds.query(`SELECT count(*)::int AS n FROM loan l JOIN item i ON i.id = l.item_id WHERE i.barcode = ANY($1) AND l.closed_at IS NULL`, [cart]);
    expect(open).toBe(0);
    const statuses: Array<{ barcode: string; status: string }> = await ds.query(`SELECT barcode, status FROM item WHERE barcode = ANY($1)`, [cart]);
    const statusOf = Object.fromEntries(statuses.map((s) => [s.barcode, s.status]));
    expect(new Set([...onLoanHome, ...notOnLoan].map((b) => statusOf[b]))).toEqual(new Set(['available']));
    expect(new Set(onLoanFromB.map((b) => statusOf[b]))).toEqual(new Set(['in_transit']));
    expect(statusOf[held]).toBe('on_hold_shelf');
    const mine = await t.http().get('/api/me/holds').set(bearer(waiting.accessToken)).expect(200);
    expect(mine.body).toMatchObject([{ id: hold.body.id, status: 'ready' }]);
    // Exactly one transit per copy sent to B: the repeat did not route it a second time.
    const [{ n: transits }] = await ds.query(`SELECT count(*)::int AS n FROM transit tr JOIN item i ON i.id = tr.item_id WHERE i.barcode = ANY($1)`, [onLoanFromB]);
    expect(transits).toBe(onLoanFromB.length);
  }, 180_000);

  it('does the others when one copy is refused, and words the errors in English when asked', async () => {
    const own = await lentCopy(branch.X);
    const foreign = await lentCopy(branch.A);
    const res = await checkinList(admin, [foreign, own, 'NOPE-0100'], { branchId: branch.X }).set('Accept-Language', 'en').expect(200);
    expect(res.body.items).toEqual([
      {
        ok: false,
        barcode: foreign,
        error: { statusCode: 409, code: 'BRANCH_NOT_PARTICIPATING', message: 'This branch is not in shared circulation and handles only its own items', details: {} },
      },
      expect.objectContaining({ ok: true, barcode: own, wasOnLoan: true, action: 'shelve' }),
      { ok: false, barcode: 'NOPE-0100', error: expect.objectContaining({ code: 'ITEM_NOT_FOUND', message: 'No item with barcode NOPE-0100' }) },
    ]);
    // The refused copy is still out; the other one is back.
    const closed = Object.fromEntries((await loanRows([foreign, own])).map((r) => [r.barcode, r.closed]));
    expect(closed).toEqual({ [foreign]: false, [own]: true });
  });

  it('two desks checking in overlapping carts at once close each loan exactly once', async () => {
    const shared: string[] = [];
    for (let i = 0; i < 16; i++) shared.push(await lentCopy(branch.A));
    const onlyFirst: string[] = [];
    const onlySecond: string[] = [];
    for (let i = 0; i < 4; i++) onlyFirst.push(await lentCopy(branch.A));
    for (let i = 0; i < 4; i++) onlySecond.push(await lentCopy(branch.A));
    // The same copies in opposite orders, so the two desks meet on them from both ends.
    const cart1 = [...shared, ...onlyFirst];
    const cart2 = [...onlySecond, ...[...shared].reverse()];
    const before = await returnEvents(branch.A);
    const [r1, r2] = await Promise.all([checkinList(librarian.A, cart1), checkinList(librarian.A2, cart2)]);
    expect([r1.status, r2.status]).toEqual([200, 200]);
    const items1: Item[] = r1.body.items;
    const items2: Item[] = r2.body.items;
    expect(items1.map((x) => x.barcode)).toEqual(cart1);
    expect(items2.map((x) => x.barcode)).toEqual(cart2);
    expect([...items1, ...items2].every((x) => x.ok && x.action === 'shelve')).toBe(true);

    const byBarcode = (items: Item[], b: string) => items.find((x) => x.barcode === b)!;
    for (const b of shared) {
      // One desk closed the loan, the other found the copy already back.
      const answers = [byBarcode(items1, b), byBarcode(items2, b)];
      expect(answers.filter((a) => a.wasOnLoan)).toHaveLength(1);
      expect(answers.filter((a) => a.wasOnLoan === false)).toHaveLength(1);
    }
    for (const b of onlyFirst) expect(byBarcode(items1, b).wasOnLoan).toBe(true);
    for (const b of onlySecond) expect(byBarcode(items2, b).wasOnLoan).toBe(true);

    const all = [...shared, ...onlyFirst, ...onlySecond];
    const rows = await loanRows(all);
    expect(rows).toHaveLength(all.length);
    expect(rows.every((r) => r.status === 'returned' && r.closed)).toBe(true);
    expect(await returnEvents(branch.A)).toBe(before + all.length);
    const loanIds = [...items1, ...items2].filter((x) => x.wasOnLoan).map((x) => x.loanId);
    expect(new Set(loanIds).size).toBe(all.length);
  }, 180_000);

  it('replays the first answer for a retry with the same Idempotency-Key, without checking in again', async () => {
    const copies = [await lentCopy(branch.A), await lentCopy(branch.A)];
    const before = await returnEvents(branch.A);
    const first = await checkinList(librarian.A, copies).set('Idempotency-Key', 'cart-retry-1').expect(200);
    expect(first.body.items.map((x: Item) => x.wasOnLoan)).toEqual([true, true]);
    const again = await checkinList(librarian.A, copies).set('Idempotency-Key', 'cart-retry-1').expect(200);
    expect(again.body).toEqual(first.body);
    expect(await returnEvents(branch.A)).toBe(before + 2);
    // Another cart under the same key is refused rather than mixed up with the first.
    expect((await checkinList(librarian.A, [copies[0]]).set('Idempotency-Key', 'cart-retry-1').expect(409)).body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    // Without a key, a second scan is simply a copy that was not on loan.
    const plain = await checkinList(librarian.A, copies).expect(200);
    expect(plain.body.items.map((x: Item) => x.wasOnLoan)).toEqual([false, false]);
  });

  it('a kiosk cart routes held copies without saying whose hold it is', async () => {
    await t.http().post('/api/staff').set(bearer(admin)).send({ username: 'bulk-kiosk', password: 'Kiosk12345', name: '自助机', role: 'kiosk', branchIds: [branch.A] }).expect(201);
    const kiosk = (await login(t.http, 'bulk-kiosk', 'Kiosk12345')).accessToken;
    const title = await addRecord('镜花缘');
    const copy = await lentCopy(branch.A, title);
    const waiting = await registerResident(t.http, { name: '欧阳小娜' });
    await t.http().post('/api/holds').set(bearer(waiting.accessToken)).send({ recordId: title, pickupBranchId: branch.A }).expect(201);
    const res = await checkinList(kiosk, [copy, await addCopy(branch.A)]).expect(200);
    expect(res.body.items[0]).toMatchObject({ ok: true, action: 'hold-shelf', wasOnLoan: true });
    expect(res.body.items[0]).not.toHaveProperty('holdFor');
    expect(JSON.stringify(res.body)).not.toContain('**');
  });

  it('refuses a malformed list with a 400 that names barcodes, and keeps the single check-in as it was', async () => {
    const copy = await addCopy(branch.A);
    const fieldsOf = async (body: Record<string, unknown>) => {
      const res = await t.http().post('/api/circulation/checkin').set(bearer(librarian.A)).send(body).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      return res.body.details as { fields: string; errors: Array<{ field: string; messages: string[] }> };
    };
    for (const barcodes of [[], Array.from({ length: 101 }, (_, i) => `BULK${i}`), 'BK000001', null, {}]) {
      expect((await fieldsOf({ barcodes })).fields).toBe('barcodes');
    }
    const bad = await fieldsOf({ barcodes: [copy, 'x', 'has space', 7] });
    expect(bad.errors).toEqual([{ field: 'barcodes', messages: ['barcodes.1, barcodes.2, barcodes.3 must be 3-32 letters, digits or "-"'] }]);
    const both = await fieldsOf({ barcode: copy, barcodes: [copy] });
    expect(both.errors).toEqual([{ field: 'barcodes', messages: ['send either barcode or barcodes, not both'] }]);
    // Neither: the single check-in's answer, unchanged.
    expect((await fieldsOf({})).fields).toBe('barcode');
    const single = await t.http().post('/api/circulation/checkin').set(bearer(librarian.A)).send({ barcode: copy }).expect(200);
    expect(single.body).toMatchObject({ barcode: copy, wasOnLoan: false, action: 'shelve' });
    expect(single.body).not.toHaveProperty('ok');
    expect(single.body).not.toHaveProperty('items');
    // A list for a branch that does not exist is one 404, not a list of them.
    const missing = await checkinList(admin, [copy], { branchId: '00000000-0000-4000-8000-000000000000' }).expect(404);
    expect(missing.body).toMatchObject({ code: 'BRANCH_NOT_FOUND', details: { field: 'branchId' } });
  });
});
