import { DataSource } from 'typeorm';
import { bearer, login, registerResident, Resident, everyDay } from './utils/factories';
import { startTestApp, TEST_ADMIN, TestApp } from './utils/test-app';

const EVERY_DAY = everyDay('08:00', '22:00');

describe('borrow anywhere, return anywhere', () => {
  let t: TestApp;
  let admin: string;
  const branch: Record<'A' | 'B' | 'C' | 'X', string> = { A: '', B: '', C: '', X: '' };
  const librarian: Record<'A' | 'B' | 'C', string> = { A: '', B: '', C: '' };
  let recordId: string;
  let seq = 0;

  async function addCopy(home: string, record = recordId, itemType = 'book') {
    const barcode = `T${String(++seq).padStart(6, '0')}`;
    await t.http().post('/api/catalog/items').set(bearer(admin)).send({ recordId: record, barcode, branchId: home, itemType }).expect(201);
    return barcode;
  }

  async function addRecord(title: string) {
    const res = await t.http().post('/api/catalog/records').set(bearer(admin)).send({ title, authors: ['测试作者'] }).expect(201);
    return res.body.id as string;
  }

  const checkout = (lib: string, r: Pick<Resident, 'cardNumber'>, barcode: string) =>
    t.http().post('/api/circulation/checkout').set(bearer(lib)).send({ cardNumber: r.cardNumber, barcode });
  const checkin = (lib: string, barcode: string) => t.http().post('/api/circulation/checkin').set(bearer(lib)).send({ barcode });

  beforeAll(async () => {
    t = await startTestApp();
    admin = (await login(t.http, TEST_ADMIN.username, TEST_ADMIN.password)).accessToken;
    const district = await t.http().post('/api/regions').set(bearer(admin)).send({ name: '流通区', kind: 'district' }).expect(201);
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
    branch.C = await mk('C 分馆', 'branch', branch.A);
    branch.X = await mk('X 未加入', 'branch', branch.A, false);
    for (const k of ['A', 'B', 'C'] as const) {
      await t.http()
        .post('/api/staff')
        .set(bearer(admin))
        .send({ username: `lib-${k.toLowerCase()}`, password: 'Desk12345', name: `馆员${k}`, role: 'librarian', branchIds: [branch[k]] })
        .expect(201);
      librarian[k] = (await login(t.http, `lib-${k.toLowerCase()}`, 'Desk12345')).accessToken;
    }
    recordId = await addRecord('三国演义');
  });
  afterAll(() => t.close());

  it('lends at A, takes back at B, sends it home to A, and A receives it', async () => {
    const r = await registerResident(t.http);
    const copy = await addCopy(branch.A);
    const out = await checkout(librarian.A, r, copy).expect(201);
    expect(out.body).toEqual({ loanId: expect.any(String), dueAt: expect.any(String) });
    // 30 days (network default), due at the end of the day, Shanghai time.
    expect(new Date(out.body.dueAt).toISOString()).toMatch(/T15:59:59\.999Z$/);

    const loans = await t.http().get('/api/me/loans').set(bearer(r.accessToken)).expect(200);
    expect(loans.body).toMatchObject([{ barcode: copy, title: '三国演义', status: 'open', overdue: false }]);

    const back = await checkin(librarian.B, copy).expect(200);
    expect(back.body).toMatchObject({ wasOnLoan: true, action: 'transit', destinationBranchId: branch.A });
    expect(back.body.message.zh).toContain('A 总馆');

    const incoming = await t.http().get(`/api/transits?direction=incoming`).set(bearer(librarian.A)).expect(200);
    const transit = incoming.body.find((x: { barcode: string }) => x.barcode === copy);
    expect(transit).toMatchObject({ fromBranchId: branch.B, toBranchId: branch.A, reason: 'return_home' });
    const outgoing = await t.http().get(`/api/transits?direction=outgoing`).set(bearer(librarian.B)).expect(200);
    expect(outgoing.body.map((x: { barcode: string }) => x.barcode)).toContain(copy);

    // B cannot receive what goes to A.
    expect((await t.http().post(`/api/transits/${transit.id}/receive`).set(bearer(librarian.B)).send({}).expect(409)).body.code).toBe('TRANSIT_WRONG_BRANCH');
    const received = await t.http().post(`/api/transits/${transit.id}/receive`).set(bearer(librarian.A)).send({}).expect(201);
    expect(received.body).toMatchObject({ action: 'shelve' });
    const record = await t.http().get(`/api/catalog/records/${recordId}`).expect(200);
    expect(record.body.items.find((i: { barcode: string }) => i.barcode === copy)).toMatchObject({ status: 'available', currentBranchId: branch.A });

    // The returned loan is anonymised: the resident did not opt into history.
    const history = await t.http().get('/api/me/loans?history=true').set(bearer(r.accessToken)).expect(200);
    expect(history.body).toEqual([]);
  });

  it('a copy returned at the pickup branch goes on its hold shelf, labelled with the masked reader and the pickup deadline', async () => {
    const title = await addRecord('水浒传');
    const copy = await addCopy(branch.A, title);
    const [lender, waiting] = await Promise.all([registerResident(t.http), registerResident(t.http, { name: '欧阳小娜' })]);
    await checkout(librarian.A, lender, copy).expect(201);
    const hold = await t.http().post('/api/holds').set(bearer(waiting.accessToken)).send({ recordId: title, pickupBranchId: branch.A }).expect(201);

    const back = await checkin(librarian.A, copy).expect(200);
    expect(back.body).toMatchObject({ action: 'hold-shelf', holdId: hold.body.id });
    expect(back.body.holdFor).toMatchObject({ patronName: '欧**娜', cardLast4: waiting.cardNumber.slice(-4) });
    const mine = await t.http().get('/api/me/holds').set(bearer(waiting.accessToken)).expect(200);
    expect(mine.body[0].expiresAt).toEqual(expect.any(String));
    expect(back.body.holdFor.pickupBy).toBe(mine.body[0].expiresAt);
    expect(JSON.stringify(back.body)).not.toContain(waiting.phone);
  });

  it('a kiosk checkin traps the hold the same way but does not say whose it is', async () => {
    await t.http()
      .post('/api/staff')
      .set(bearer(admin))
      .send({ username: 'kiosk-a', password: 'Kiosk12345', name: '自助机', role: 'kiosk', branchIds: [branch.A] })
      .expect(201);
    const kiosk = (await login(t.http, 'kiosk-a', 'Kiosk12345')).accessToken;
    const title = await addRecord('儒林外史');
    const copy = await addCopy(branch.A, title);
    const [lender, waiting] = await Promise.all([registerResident(t.http), registerResident(t.http, { name: '欧阳小娜' })]);
    await checkout(librarian.A, lender, copy).expect(201);
    const hold = await t.http().post('/api/holds').set(bearer(waiting.accessToken)).send({ recordId: title, pickupBranchId: branch.A }).expect(201);

    const back = await checkin(kiosk, copy).expect(200);
    expect(back.body).toMatchObject({ wasOnLoan: true, action: 'hold-shelf', holdId: hold.body.id, message: { zh: expect.any(String), en: expect.any(String) } });
    expect(back.body).not.toHaveProperty('holdFor');
    const text = JSON.stringify(back.body);
    for (const secret of ['欧', '**', waiting.phone]) expect(text).not.toContain(secret);
    // The hold was still filled: the resident's copy waits on the shelf.
    const mine = await t.http().get('/api/me/holds').set(bearer(waiting.accessToken)).expect(200);
    expect(mine.body[0]).toMatchObject({ id: hold.body.id, status: 'ready' });
  });

  it('traps the next returned copy for a hold and sends it to the pickup branch; renewal is refused meanwhile', async () => {
    const title = await addRecord('红楼梦');
    const copy1 = await addCopy(branch.A, title);
    const copy2 = await addCopy(branch.A, title);
    const [r1, r2, r3] = await Promise.all([registerResident(t.http), registerResident(t.http), registerResident(t.http)]);
    const loan1 = await checkout(librarian.A, r1, copy1).expect(201);
    await checkout(librarian.A, r3, copy2).expect(201);

    const hold = await t.http().post('/api/holds').set(bearer(r2.accessToken)).send({ recordId: title, pickupBranchId: branch.C }).expect(201);
    expect(hold.body).toMatchObject({ status: 'waiting', queuePosition: 1, pickupBranchId: branch.C });

    const renew = await t.http().post(`/api/circulation/loans/${loan1.body.loanId}/renew`).set(bearer(r1.accessToken)).expect(409);
    expect(renew.body.code).toBe('RENEWAL_BLOCKED_BY_HOLD');

    const back = await checkin(librarian.B, copy1).expect(200);
    expect(back.body).toMatchObject({ action: 'transit', destinationBranchId: branch.C, holdId: hold.body.id });
    // The desk sees who it is for, masked (测试读者 → 测**者), never the phone; no deadline while on the road.
    expect(back.body.holdFor).toEqual({ patronName: '测**者', cardLast4: r2.cardNumber.slice(-4), pickupBy: null });
    expect(JSON.stringify(back.body)).not.toContain(r2.phone);
    const incoming = await t.http().get('/api/transits?direction=incoming').set(bearer(librarian.C)).expect(200);
    const transit = incoming.body.find((x: { barcode: string }) => x.barcode === copy1);
    expect(transit).toMatchObject({ reason: 'hold', holdId: hold.body.id });

    const arrived = await t.http().post(`/api/transits/${transit.id}/receive`).set(bearer(librarian.C)).send({}).expect(201);
    expect(arrived.body).toMatchObject({ action: 'hold-shelf', holdId: hold.body.id });
    const mine = await t.http().get('/api/me/holds').set(bearer(r2.accessToken)).expect(200);
    expect(mine.body).toMatchObject([{ id: hold.body.id, status: 'ready', trappedItemId: expect.any(String) }]);
    expect(new Date(mine.body[0].expiresAt).getTime()).toBeGreaterThan(Date.now() + 6 * 86_400_000);

    // The resident is told, in their language, where and until when.
    const inbox = await t.http().get('/api/me/notifications?unread=true').set(bearer(r2.accessToken)).expect(200);
    expect(inbox.body).toHaveLength(1);
    expect(inbox.body[0]).toMatchObject({ kind: 'hold_ready', title: '预约图书已到馆', payload: { holdId: hold.body.id, branchId: branch.C } });
    expect(inbox.body[0].body).toContain('《红楼梦》已到C 分馆');
    const english = await t.http().get('/api/me/notifications').set(bearer(r2.accessToken)).set('Accept-Language', 'en').expect(200);
    expect(english.body[0].title).toBe('Your hold is ready');
    await t.http().post(`/api/me/notifications/${inbox.body[0].id}/read`).set(bearer(r2.accessToken)).expect(200);
    expect((await t.http().get('/api/me/notifications?unread=true').set(bearer(r2.accessToken)).expect(200)).body).toEqual([]);
    await t.http().post(`/api/me/notifications/${inbox.body[0].id}/read`).set(bearer(r1.accessToken)).expect(404);

    // Someone else may not take the trapped copy; the resident who waited may, at C.
    expect((await checkout(librarian.C, r3, copy1).expect(409)).body.code).toBe('ITEM_ON_HOLD_FOR_OTHER');
    await checkout(librarian.C, r2, copy1).expect(201);
    expect((await t.http().get('/api/me/holds').set(bearer(r2.accessToken)).expect(200)).body).toEqual([]);
  });

  it('lets exactly one of 50 parallel checkouts of one copy succeed', async () => {
    const copy = await addCopy(branch.A);
    const residents = await Promise.all(Array.from({ length: 10 }, () => registerResident(t.http)));
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => checkout(librarian.A, residents[i % 10], copy)));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(49);
    expect(new Set(results.filter((r) => r.status === 409).map((r) => r.body.code))).toEqual(new Set(['ITEM_ALREADY_ON_LOAN']));
    const ds = t.app.get(DataSource);
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM loan l JOIN item i ON i.id = l.item_id WHERE i.barcode = $1 AND l.closed_at IS NULL`, [copy]);
    expect(n).toBe(1);
  });

  it('refuses over the loan limit and when blocked by overdue items, with clear codes', async () => {
    const r = await registerResident(t.http, { category: 'child' });
    const current = (await t.http().get('/api/circulation/policies').set(bearer(admin)).expect(200)).body;
    await t.http()
      .put('/api/circulation/policies')
      .set(bearer(admin))
      .send({ ...current, rules: [...current.rules, { ...current.rules[0], patronCategory: 'child', maxLoans: 1, blockOverdueItems: 1 }] })
      .expect(200);
    const [c1, c2] = [await addCopy(branch.A), await addCopy(branch.A)];
    const first = await checkout(librarian.A, r, c1).expect(201);
    expect((await checkout(librarian.A, r, c2).expect(409)).body).toMatchObject({ code: 'LOAN_LIMIT_REACHED', details: { max: 1 } });

    await t.app.get(DataSource).query(`UPDATE loan SET due_at = now() - interval '3 days' WHERE id = $1`, [first.body.loanId]);
    const blocked = await checkout(librarian.A, r, c2).expect(409);
    expect(blocked.body).toMatchObject({ code: 'PATRON_BLOCKED', details: { code: 'overdue' } });
    await t.http().put('/api/circulation/policies').set(bearer(admin)).send(current).expect(200);
  });

  it('routes a copy that was not on loan, and says so', async () => {
    const copy = await addCopy(branch.A);
    const res = await checkin(librarian.C, copy).expect(200);
    expect(res.body).toMatchObject({ wasOnLoan: false, action: 'transit', destinationBranchId: branch.A });
    expect(res.body.message.en).toContain('was not on loan');
  });

  it('lends with the dynamic card QR token', async () => {
    const r = await registerResident(t.http);
    const qr = await t.http().get('/api/me/card/qr').set(bearer(r.accessToken)).expect(200);
    const copy = await addCopy(branch.B);
    await t.http().post('/api/circulation/checkout').set(bearer(librarian.B)).send({ cardToken: qr.body.token, barcode: copy }).expect(201);
  });

  it('keeps librarians to their own branches and non-participating branches to their own items', async () => {
    const r = await registerResident(t.http);
    const copy = await addCopy(branch.A);
    const other = await t.http()
      .post('/api/circulation/checkout')
      .set(bearer(librarian.B))
      .send({ cardNumber: r.cardNumber, barcode: copy, branchId: branch.A })
      .expect(403);
    expect(other.body.code).toBe('BRANCH_FORBIDDEN');
    const res = await t.http().post('/api/circulation/checkout').set(bearer(admin)).send({ cardNumber: r.cardNumber, barcode: copy, branchId: branch.X }).expect(409);
    expect(res.body.code).toBe('BRANCH_NOT_PARTICIPATING');
    // An admin acts at many branches, so must say which.
    expect((await t.http().post('/api/circulation/checkout').set(bearer(admin)).send({ cardNumber: r.cardNumber, barcode: copy }).expect(400)).body.details.fields).toBe('branchId');
  });

  it('answers unknown barcodes and cards with 404 and bad bodies with 400', async () => {
    const r = await registerResident(t.http);
    expect((await checkout(librarian.A, r, 'NOPE-000').expect(404)).body.code).toBe('ITEM_NOT_FOUND');
    expect((await checkout(librarian.A, { cardNumber: '110899999990' }, await addCopy(branch.A)).expect(404)).body.code).toBe('CARD_NOT_FOUND');
    const bad = await t.http().post('/api/circulation/checkout').set(bearer(librarian.A)).send({ barcode: 'x' }).expect(400);
    expect(bad.body.details.fields).toContain('cardNumber');
  });

  it('writes a usage event for each transaction, without personal data', async () => {
    const rows: Array<{ kind: string; n: number }> = await t.app
      .get(DataSource)
      .query(`SELECT kind, count(*)::int AS n FROM usage_event GROUP BY kind ORDER BY kind`);
    const kinds = Object.fromEntries(rows.map((r) => [r.kind, r.n]));
    expect(kinds.loan).toBeGreaterThanOrEqual(5);
    expect(kinds.return).toBeGreaterThanOrEqual(2);
    expect(kinds.hold_placed).toBeGreaterThanOrEqual(1);
    expect(kinds.hold_filled).toBeGreaterThanOrEqual(1);
    const cols: Array<{ column_name: string }> = await t.app
      .get(DataSource)
      .query(`SELECT column_name FROM information_schema.columns WHERE table_name = 'usage_event'`);
    expect(cols.map((c) => c.column_name)).not.toContain('patron_id');
  });
});
