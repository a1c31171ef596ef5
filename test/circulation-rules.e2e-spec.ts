import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { bearer, login, registerResident, Resident, everyDay } from './utils/factories';
import { startTestApp, TEST_ADMIN, TestApp } from './utils/test-app';

const EVERY_DAY = everyDay('08:00', '22:00');
const ZONE = 'Asia/Shanghai';

interface PolicyRule {
  patronCategory: string | null;
  itemType: string | null;
  branchId: string | null;
  loanDays: number;
  maxLoans: number;
  renewalsAllowed: number;
  holdsAllowed: boolean;
  maxHolds: number;
  holdPickupDays: number;
  finePerDay: number;
  fineCap: number;
  blockFinesOver: number;
  blockOverdueItems: number;
}
interface Policies {
  rules: PolicyRule[];
  floatingPairs: Array<{ branchAId: string; branchBId: string }>;
}

/** The end of the local day `days` after today, as the due-date rule computes it (every branch here is open daily). */
const endOfDayIn = (days: number) => DateTime.now().setZone(ZONE).startOf('day').plus({ days }).endOf('day').toMillis();

describe('circulation rules: renewals, holds, expiry, floating, lost items, history, policies, fines', () => {
  let t: TestApp;
  let db: DataSource;
  let admin: string;
  const branch: Record<'A' | 'B' | 'C' | 'X' | 'S', string> = { A: '', B: '', C: '', X: '', S: '' };
  const librarian: Record<'A' | 'B' | 'C', string> = { A: '', B: '', C: '' };
  let seq = 0;
  let defaults: Policies;

  async function addItem(home: string, record: string, extra: Record<string, unknown> = {}) {
    const barcode = `R${String(++seq).padStart(6, '0')}`;
    const res = await t.http()
      .post('/api/catalog/items')
      .set(bearer(admin))
      .send({ recordId: record, barcode, branchId: home, itemType: 'book', ...extra })
      .expect(201);
    return { barcode, id: res.body.id as string };
  }
  const addCopy = async (home: string, record: string) => (await addItem(home, record)).barcode;

  async function addRecord(title: string) {
    const res = await t.http().post('/api/catalog/records').set(bearer(admin)).send({ title, authors: ['规则作者'] }).expect(201);
    return res.body.id as string;
  }

  const checkout = (lib: string, r: Pick<Resident, 'cardNumber'>, barcode: string) =>
    t.http().post('/api/circulation/checkout').set(bearer(lib)).send({ cardNumber: r.cardNumber, barcode });
  const checkin = (lib: string, barcode: string) => t.http().post('/api/circulation/checkin').set(bearer(lib)).send({ barcode });
  const renew = (token: string, loanId: string) => t.http().post(`/api/circulation/loans/${loanId}/renew`).set(bearer(token));
  const placeHold = (r: Resident, body: Record<string, unknown>) => t.http().post('/api/holds').set(bearer(r.accessToken)).send(body);
  const myHolds = async (r: Resident) => (await t.http().get('/api/me/holds').set(bearer(r.accessToken)).expect(200)).body;
  const myLoans = async (r: Resident, history = false) =>
    (await t.http().get(`/api/me/loans${history ? '?history=true' : ''}`).set(bearer(r.accessToken)).expect(200)).body;
  const itemOf = async (barcode: string) => (await t.http().get(`/api/catalog/items/${barcode}`).set(bearer(admin)).expect(200)).body;
  const putPolicies = (body: object, token = admin) => t.http().put('/api/circulation/policies').set(bearer(token)).send(body);
  const getPolicies = async (): Promise<Policies> => (await t.http().get('/api/circulation/policies').set(bearer(admin)).expect(200)).body;
  const defaultRule = (p: Policies) => p.rules.find((r) => !r.patronCategory && !r.itemType && !r.branchId)!;
  const outgoing = async (token: string) => (await t.http().get('/api/transits?direction=outgoing').set(bearer(token)).expect(200)).body;

  beforeAll(async () => {
    t = await startTestApp();
    db = t.app.get(DataSource);
    admin = (await login(t.http, TEST_ADMIN.username, TEST_ADMIN.password)).accessToken;
    const district = await t.http().post('/api/regions').set(bearer(admin)).send({ name: '规则区', kind: 'district' }).expect(201);
    const mk = async (name: string, level: string, parentId?: string, shared = true, kind = 'library') =>
      (
        await t.http()
          .post('/api/branches')
          .set(bearer(admin))
          .send({ name, kind, level, regionId: district.body.id, parentId, sharedCirculation: shared, openingHours: EVERY_DAY })
          .expect(201)
      ).body.id as string;
    branch.A = await mk('A 总馆', 'central');
    branch.B = await mk('B 分馆', 'branch', branch.A);
    branch.C = await mk('C 分馆', 'branch', branch.A);
    branch.X = await mk('X 未加入', 'branch', branch.A, false);
    branch.S = await mk('S 服务点', 'service_point', branch.B, true, 'service_point');
    for (const k of ['A', 'B', 'C'] as const) {
      await t.http()
        .post('/api/staff')
        .set(bearer(admin))
        .send({ username: `rules-${k.toLowerCase()}`, password: 'Desk12345', name: `馆员${k}`, role: 'librarian', branchIds: [branch[k]] })
        .expect(201);
      librarian[k] = (await login(t.http, `rules-${k.toLowerCase()}`, 'Desk12345')).accessToken;
    }
    defaults = await getPolicies();
  });
  afterAll(() => t.close());

  describe('renewal', () => {
    it('renews the resident’s own loan once, refuses a second renewal, and hides other residents’ loans', async () => {
      const title = await addRecord('水浒传');
      const copy = await addCopy(branch.A, title);
      const [r, other] = await Promise.all([registerResident(t.http), registerResident(t.http)]);
      const out = await checkout(librarian.A, r, copy).expect(201);
      const before = new Date(out.body.dueAt).getTime();

      const first = await renew(r.accessToken, out.body.loanId).expect(200);
      expect(first.body).toEqual({ loanId: out.body.loanId, dueAt: expect.any(String), renewals: 1 });
      expect(new Date(first.body.dueAt).getTime()).toBeGreaterThanOrEqual(before);
      expect(await myLoans(r)).toMatchObject([{ id: out.body.loanId, renewals: 1, status: 'open' }]);

      const second = await renew(r.accessToken, out.body.loanId).expect(409);
      expect(second.body).toMatchObject({ statusCode: 409, code: 'RENEWAL_LIMIT_REACHED', details: { max: 1 } });

      const foreign = await renew(other.accessToken, out.body.loanId).expect(404);
      expect(foreign.body).toMatchObject({ statusCode: 404, code: 'LOAN_NOT_FOUND' });
      // Nothing changed for the owner.
      expect(await myLoans(r)).toMatchObject([{ id: out.body.loanId, renewals: 1 }]);
    });

    it('lets a librarian renew a loan at the desk', async () => {
      const title = await addRecord('西游记');
      const copy = await addCopy(branch.B, title);
      const r = await registerResident(t.http);
      const out = await checkout(librarian.B, r, copy).expect(201);
      const res = await renew(librarian.B, out.body.loanId).expect(200);
      expect(res.body).toMatchObject({ loanId: out.body.loanId, renewals: 1 });
      expect(new Date(res.body.dueAt).getTime()).toBeGreaterThanOrEqual(new Date(out.body.dueAt).getTime());
      expect((await renew(librarian.B, out.body.loanId).expect(409)).body.code).toBe('RENEWAL_LIMIT_REACHED');
    });
  });

  describe('hold lifecycle', () => {
    it('queues holds first come first served, cancels, and refuses bad holds', async () => {
      const title = await addRecord('聊斋志异');
      const copy = await addCopy(branch.A, title);
      const [borrower, r1, r2, r3] = await Promise.all([
        registerResident(t.http),
        registerResident(t.http),
        registerResident(t.http),
        registerResident(t.http),
      ]);
      await checkout(librarian.A, borrower, copy).expect(201);

      const h1 = await placeHold(r1, { recordId: title, pickupBranchId: branch.C }).expect(201);
      expect(h1.body).toMatchObject({ status: 'waiting', queuePosition: 1, pickupBranchId: branch.C, recordId: title, trappedItemId: null });
      const h2 = await placeHold(r2, { recordId: title, pickupBranchId: branch.B }).expect(201);
      expect(h2.body).toMatchObject({ status: 'waiting', queuePosition: 2 });

      // Another resident cannot see, let alone cancel, r1's hold.
      expect((await t.http().delete(`/api/holds/${h1.body.id}`).set(bearer(r2.accessToken)).expect(404)).body.code).toBe('HOLD_NOT_FOUND');

      expect((await placeHold(r1, { recordId: title, pickupBranchId: branch.B }).expect(409)).body.code).toBe('HOLD_EXISTS');
      expect((await placeHold(borrower, { recordId: title, pickupBranchId: branch.A }).expect(409)).body.code).toBe('HOLD_ALREADY_ON_LOAN');
      const bad = await placeHold(r3, { recordId: title, pickupBranchId: branch.X }).expect(400);
      expect(bad.body).toMatchObject({ statusCode: 400, code: 'PICKUP_BRANCH_INVALID' });

      const cancelled = await t.http().delete(`/api/holds/${h1.body.id}`).set(bearer(r1.accessToken)).expect(200);
      expect(cancelled.body).toMatchObject({ id: h1.body.id, status: 'cancelled', queuePosition: null });
      expect(await myHolds(r1)).toEqual([]);
      expect(await myHolds(r2)).toMatchObject([{ id: h2.body.id, status: 'waiting', queuePosition: 1 }]);
      // Cancelling twice is refused: the hold is over.
      expect((await t.http().delete(`/api/holds/${h1.body.id}`).set(bearer(r1.accessToken)).expect(409)).body.code).toBe('HOLD_NOT_ACTIVE');
    });
  });

  describe('holds on a copy that is on the shelf', () => {
    it('puts the copy on the hold shelf at once when it is at the pickup branch', async () => {
      const title = await addRecord('儒林外史');
      const copy = await addItem(branch.C, title);
      const r = await registerResident(t.http);
      const hold = await placeHold(r, { recordId: title, pickupBranchId: branch.C }).expect(201);
      expect(hold.body).toMatchObject({ status: 'ready', trappedItemId: copy.id, queuePosition: null });
      // Seven open days after today (every day is open here); the day it became ready does not count.
      expect(new Date(hold.body.expiresAt).getTime()).toBe(endOfDayIn(7));
      expect(await itemOf(copy.barcode)).toMatchObject({ status: 'on_hold_shelf', currentBranchId: branch.C });
      expect((await outgoing(librarian.C)).map((x: { barcode: string }) => x.barcode)).not.toContain(copy.barcode);
    });

    it('sends the copy from another branch to the pickup branch', async () => {
      const title = await addRecord('镜花缘');
      const copy = await addItem(branch.A, title);
      const r = await registerResident(t.http);
      const hold = await placeHold(r, { recordId: title, pickupBranchId: branch.C }).expect(201);
      expect(hold.body).toMatchObject({ status: 'in_transit', trappedItemId: copy.id });
      const transit = (await outgoing(librarian.A)).find((x: { barcode: string }) => x.barcode === copy.barcode);
      expect(transit).toMatchObject({ fromBranchId: branch.A, toBranchId: branch.C, reason: 'hold', holdId: hold.body.id });
      expect(await itemOf(copy.barcode)).toMatchObject({ status: 'in_transit', currentBranchId: branch.A });
    });

    it('detaches a travelling copy from a cancelled hold; it arrives and goes home', async () => {
      const title = await addRecord('七侠五义');
      const copy = await addItem(branch.A, title);
      const r = await registerResident(t.http);
      const hold = await placeHold(r, { recordId: title, pickupBranchId: branch.C }).expect(201);
      expect(hold.body).toMatchObject({ status: 'in_transit', trappedItemId: copy.id });

      const cancelled = await t.http().delete(`/api/holds/${hold.body.id}`).set(bearer(r.accessToken)).expect(200);
      expect(cancelled.body).toMatchObject({ status: 'cancelled', trappedItemId: null });
      // The copy keeps travelling to C, no longer for anyone.
      const transit = (await outgoing(librarian.A)).find((x: { barcode: string }) => x.barcode === copy.barcode);
      expect(transit).toMatchObject({ fromBranchId: branch.A, toBranchId: branch.C });

      const arrived = await t.http().post(`/api/transits/${transit.id}/receive`).set(bearer(librarian.C)).send({}).expect(201);
      expect(arrived.body).toMatchObject({ action: 'transit', destinationBranchId: branch.A });
      expect(arrived.body.holdId).toBeUndefined();
      expect(await itemOf(copy.barcode)).toMatchObject({ status: 'in_transit', currentBranchId: branch.C });
      const home = (await outgoing(librarian.C)).find((x: { barcode: string }) => x.barcode === copy.barcode);
      expect(home).toMatchObject({ fromBranchId: branch.C, toBranchId: branch.A, reason: 'return_home', holdId: null });

      // Cancelling detaches the transit from the hold (HoldsService.release sets transit.hold_id to null).
      const [sent] = await db.query(`SELECT hold_id FROM transit WHERE id = $1`, [transit.id]);
      expect(sent).toEqual({ hold_id: null });
    });

    it('traps the copy nearest the pickup branch', async () => {
      const title = await addRecord('老残游记');
      const atA = await addItem(branch.A, title); // created first, so it is not chosen merely by order
      const atB = await addItem(branch.B, title);
      const r = await registerResident(t.http);
      const hold = await placeHold(r, { recordId: title, pickupBranchId: branch.S }).expect(201);
      expect(hold.body).toMatchObject({ status: 'in_transit', trappedItemId: atB.id, pickupBranchId: branch.S });
      const fromB = (await outgoing(librarian.B)).find((x: { barcode: string }) => x.barcode === atB.barcode);
      expect(fromB).toMatchObject({ fromBranchId: branch.B, toBranchId: branch.S, reason: 'hold', holdId: hold.body.id });
      expect((await outgoing(librarian.A)).map((x: { barcode: string }) => x.barcode)).not.toContain(atA.barcode);
      expect(await itemOf(atA.barcode)).toMatchObject({ status: 'available', currentBranchId: branch.A });
    });
  });

  describe('hold expiry', () => {
    it('expires a ready hold past its deadline, passes the copy to the next in line, and is idempotent', async () => {
      const title = await addRecord('封神演义');
      const copy = await addItem(branch.A, title);
      const [r1, r2] = await Promise.all([registerResident(t.http), registerResident(t.http)]);
      const h1 = await placeHold(r1, { recordId: title, pickupBranchId: branch.A }).expect(201);
      expect(h1.body).toMatchObject({ status: 'ready', trappedItemId: copy.id });
      const h2 = await placeHold(r2, { recordId: title, pickupBranchId: branch.B }).expect(201);
      expect(h2.body).toMatchObject({ status: 'waiting', queuePosition: 1 });

      // Not yet due: nothing expires.
      expect((await t.http().post('/api/circulation/holds/expire').set(bearer(admin)).expect(200)).body).toEqual({ expired: 0 });
      // Only admins run it.
      await t.http().post('/api/circulation/holds/expire').set(bearer(librarian.A)).expect(403);

      await db.query(`UPDATE hold SET expires_at = now() - interval '1 hour' WHERE id = $1`, [h1.body.id]);
      expect((await t.http().post('/api/circulation/holds/expire').set(bearer(admin)).expect(200)).body).toEqual({ expired: 1 });

      const [row] = await db.query(`SELECT status, trapped_item_id, closed_at FROM hold WHERE id = $1`, [h1.body.id]);
      expect(row).toMatchObject({ status: 'expired', trapped_item_id: null, closed_at: expect.any(Date) });
      expect(await myHolds(r1)).toEqual([]);

      // r2 picks up at B, so the copy goes there for them.
      expect(await myHolds(r2)).toMatchObject([{ id: h2.body.id, status: 'in_transit', trappedItemId: copy.id }]);
      const transit = (await outgoing(librarian.A)).find((x: { barcode: string }) => x.barcode === copy.barcode);
      expect(transit).toMatchObject({ fromBranchId: branch.A, toBranchId: branch.B, reason: 'hold', holdId: h2.body.id });

      expect((await t.http().post('/api/circulation/holds/expire').set(bearer(admin)).expect(200)).body).toEqual({ expired: 0 });
      expect(await myHolds(r2)).toMatchObject([{ id: h2.body.id, status: 'in_transit' }]);
    });
  });

  describe('floating', () => {
    afterEach(async () => {
      await putPolicies(defaults).expect(200);
    });

    it('shelves an item of A returned at B when A and B float, and it then circulates from B', async () => {
      const current = await getPolicies();
      const res = await putPolicies({ ...current, floatingPairs: [{ branchAId: branch.A, branchBId: branch.B }] }).expect(200);
      const sorted = [branch.A, branch.B].sort();
      expect(res.body.floatingPairs).toEqual([{ branchAId: sorted[0], branchBId: sorted[1] }]);
      expect(res.body.rules).toEqual(current.rules);

      const title = await addRecord('官场现形记');
      const copy = await addCopy(branch.A, title);
      const r = await registerResident(t.http);
      await checkout(librarian.A, r, copy).expect(201);
      const back = await checkin(librarian.B, copy).expect(200);
      expect(back.body).toMatchObject({ wasOnLoan: true, action: 'shelve' });
      expect(back.body.destinationBranchId).toBeUndefined();
      const record = await t.http().get(`/api/catalog/records/${title}`).expect(200);
      expect(record.body.items.find((i: { barcode: string }) => i.barcode === copy)).toMatchObject({
        homeBranchId: branch.A,
        circulatingBranchId: branch.B,
        currentBranchId: branch.B,
        status: 'available',
      });

      // C is not in the pair: an item of A returned at C goes home.
      const other = await addCopy(branch.A, title);
      expect((await checkin(librarian.C, other).expect(200)).body).toMatchObject({ action: 'transit', destinationBranchId: branch.A });
    });

    it('stops floating once the pair is removed', async () => {
      await putPolicies({ ...defaults, floatingPairs: [] }).expect(200);
      expect((await getPolicies()).floatingPairs).toEqual([]);
      const title = await addRecord('二十年目睹之怪现状');
      const copy = await addCopy(branch.A, title);
      expect((await checkin(librarian.B, copy).expect(200)).body).toMatchObject({ action: 'transit', destinationBranchId: branch.A });
    });

    it('shelves a floating item wherever it is returned', async () => {
      const title = await addRecord('孽海花');
      const copy = await addItem(branch.A, title, { floating: true });
      const r = await registerResident(t.http);
      await checkout(librarian.A, r, copy.barcode).expect(201);
      expect((await checkin(librarian.C, copy.barcode).expect(200)).body).toMatchObject({ wasOnLoan: true, action: 'shelve' });
      expect(await itemOf(copy.barcode)).toMatchObject({ floating: true, circulatingBranchId: branch.C, currentBranchId: branch.C, status: 'available' });
    });
  });

  describe('lost and claims returned', () => {
    it('declares a loan lost, and a later checkin finds the copy again', async () => {
      const title = await addRecord('海上花列传');
      const copy = await addCopy(branch.A, title);
      const r = await registerResident(t.http);
      const out = await checkout(librarian.A, r, copy).expect(201);

      // Residents may not declare loans lost.
      await t.http().post(`/api/circulation/loans/${out.body.loanId}/lost`).set(bearer(r.accessToken)).expect(403);
      const lost = await t.http().post(`/api/circulation/loans/${out.body.loanId}/lost`).set(bearer(librarian.A)).expect(200);
      expect(lost.body).toEqual({ loanId: out.body.loanId, status: 'lost' });
      expect(await itemOf(copy)).toMatchObject({ status: 'lost', currentBranchId: null });
      expect(await myLoans(r)).toEqual([]);
      expect((await t.http().post(`/api/circulation/loans/${out.body.loanId}/lost`).set(bearer(librarian.A)).expect(409)).body.code).toBe(
        'LOAN_NOT_OPEN',
      );

      const found = await checkin(librarian.B, copy).expect(200);
      expect(found.body).toMatchObject({ wasOnLoan: false, action: 'transit', destinationBranchId: branch.A });
      expect(found.body.loanId).toBeUndefined();
      const item = await itemOf(copy);
      expect(item.status).not.toBe('lost');
      expect(item).toMatchObject({ status: 'in_transit', currentBranchId: branch.B });
    });

    it('marks a loan claims returned and keeps it among the resident’s open loans', async () => {
      const title = await addRecord('歧路灯');
      const copy = await addCopy(branch.B, title);
      const r = await registerResident(t.http);
      const out = await checkout(librarian.B, r, copy).expect(201);
      const res = await t.http().post(`/api/circulation/loans/${out.body.loanId}/claims-returned`).set(bearer(librarian.B)).expect(200);
      expect(res.body).toEqual({ loanId: out.body.loanId, status: 'claims_returned' });
      expect(await myLoans(r)).toMatchObject([{ id: out.body.loanId, barcode: copy, status: 'claims_returned', closedAt: null }]);
      expect(await itemOf(copy)).toMatchObject({ status: 'claims_returned' });
      // It is no longer open, so it cannot be renewed.
      expect((await renew(r.accessToken, out.body.loanId).expect(409)).body).toMatchObject({ code: 'LOAN_NOT_OPEN', details: { status: 'claims_returned' } });
    });
  });

  describe('loan history', () => {
    it('keeps returned loans only while the resident opts in', async () => {
      const r = await registerResident(t.http);
      expect((await t.http().put('/api/me/loan-history').set(bearer(r.accessToken)).send({ keep: true }).expect(200)).body).toEqual({ keep: true });
      const title = await addRecord('醒世姻缘传');
      const copy = await addCopy(branch.C, title);
      const out = await checkout(librarian.C, r, copy).expect(201);
      await checkin(librarian.C, copy).expect(200);

      expect(await myLoans(r)).toEqual([]);
      const history = await myLoans(r, true);
      expect(history).toHaveLength(1);
      expect(history[0]).toMatchObject({ id: out.body.loanId, barcode: copy, title: '醒世姻缘传', status: 'returned', overdue: false });
      expect(history[0].closedAt).not.toBeNull();

      expect((await t.http().put('/api/me/loan-history').set(bearer(r.accessToken)).send({ keep: false }).expect(200)).body).toEqual({ keep: false });
      expect(await myLoans(r, true)).toEqual([]);
      // The loan itself is kept, anonymised.
      const [row] = await db.query(`SELECT patron_id, status FROM loan WHERE id = $1`, [out.body.loanId]);
      expect(row).toEqual({ patron_id: null, status: 'returned' });
    });
  });

  describe('policies', () => {
    afterEach(async () => {
      await putPolicies(defaults).expect(200);
    });

    it('has the network default: 30 days, 10 loans, 1 renewal, no fines', () => {
      expect(defaults.rules).toHaveLength(1);
      expect(defaultRule(defaults)).toMatchObject({ loanDays: 30, maxLoans: 10, renewalsAllowed: 1, holdsAllowed: true, finePerDay: 0, fineCap: 0 });
      expect(defaults.floatingPairs).toEqual([]);
    });

    it('validates the matrix and only lets admins replace it', async () => {
      const base = defaultRule(defaults);
      const missing = await putPolicies({ rules: [{ ...base, patronCategory: 'child' }] }).expect(400);
      expect(missing.body).toMatchObject({ statusCode: 400, code: 'POLICY_DEFAULT_MISSING' });

      const duplicate = await putPolicies({ rules: [base, { ...base, itemType: 'book' }, { ...base, itemType: 'book', loanDays: 14 }] }).expect(400);
      expect(duplicate.body).toMatchObject({ statusCode: 400, code: 'POLICY_DUPLICATE', details: { index: 2 } });

      const unknown = await putPolicies({ rules: [base, { ...base, branchId: randomUUID() }] }).expect(400);
      expect(unknown.body).toMatchObject({ statusCode: 400, code: 'REFERENCE_NOT_FOUND' });

      const forbidden = await putPolicies({ rules: [base] }, librarian.A).expect(403);
      expect(forbidden.body).toMatchObject({ statusCode: 403, code: 'FORBIDDEN' });

      // None of the refused requests changed anything.
      expect(await getPolicies()).toEqual(defaults);
    });

    it('applies the most specific rule: a child borrows for 7 days, an adult for 30', async () => {
      const base = defaultRule(defaults);
      await putPolicies({ rules: [base, { ...base, patronCategory: 'child', loanDays: 7 }] }).expect(200);
      const title = await addRecord('小王子');
      const [c1, c2] = [await addCopy(branch.A, title), await addCopy(branch.A, title)];
      const [child, adult] = await Promise.all([registerResident(t.http, { category: 'child' }), registerResident(t.http)]);

      const childLoan = await checkout(librarian.A, child, c1).expect(201);
      const adultLoan = await checkout(librarian.A, adult, c2).expect(201);
      expect(new Date(childLoan.body.dueAt).getTime()).toBe(endOfDayIn(7));
      expect(new Date(adultLoan.body.dueAt).getTime()).toBe(endOfDayIn(30));
    });

    it('charges an overdue fine at the rate of the checkout branch, up to its cap', async () => {
      const base = defaultRule(defaults);
      await putPolicies({ rules: [base, { ...base, branchId: branch.C, finePerDay: 0.5, fineCap: 2 }] }).expect(200);
      const title = await addRecord('格林童话');
      const copy = await addCopy(branch.C, title);
      const r = await registerResident(t.http);
      const out = await checkout(librarian.C, r, copy).expect(201);
      await db.query(`UPDATE loan SET due_at = now() - interval '10 days' WHERE id = $1`, [out.body.loanId]);

      const back = await checkin(librarian.C, copy).expect(200);
      expect(back.body).toMatchObject({ wasOnLoan: true, loanId: out.body.loanId, fine: 2, action: 'shelve' });
      // The resident did not opt into history, so the fine no longer points at the (anonymised) loan.
      const fines = await db.query(`SELECT amount::text AS amount, reason, loan_id FROM fine WHERE patron_id = $1`, [r.id]);
      expect(fines).toEqual([{ amount: '2.00', reason: 'overdue', loan_id: null }]);

      // Elsewhere the network default (no fines) applies.
      const free = await addCopy(branch.A, title);
      const out2 = await checkout(librarian.A, r, free).expect(201);
      await db.query(`UPDATE loan SET due_at = now() - interval '10 days' WHERE id = $1`, [out2.body.loanId]);
      const back2 = await checkin(librarian.A, free).expect(200);
      expect(back2.body.fine).toBeUndefined();
    });
  });

  describe('what a review found', () => {
    it('lets the resident a copy was set aside for borrow it, even when someone else waits for that copy', async () => {
      const title = await addRecord('论语');
      const copy = await addCopy(branch.A, title);
      const [first, p, q] = await Promise.all([registerResident(t.http), registerResident(t.http), registerResident(t.http)]);
      await checkout(librarian.A, first, copy).expect(201);
      await placeHold(p, { recordId: title, pickupBranchId: branch.A }).expect(201);
      const item = await itemOf(copy);
      await placeHold(q, { itemId: item.id, pickupBranchId: branch.A }).expect(201);
      expect((await checkin(librarian.A, copy).expect(200)).body).toMatchObject({ action: 'hold-shelf' });
      expect((await checkout(librarian.A, q, copy).expect(409)).body.code).toBe('ITEM_ON_HOLD_FOR_OTHER');
      await checkout(librarian.A, p, copy).expect(201);
    });

    it('serves a title hold from a shelf copy even when an earlier hold waits for another copy', async () => {
      const title = await addRecord('孟子');
      const [x, y] = [await addItem(branch.A, title), await addItem(branch.A, title)];
      const [borrower, q, p] = await Promise.all([registerResident(t.http), registerResident(t.http), registerResident(t.http)]);
      await checkout(librarian.A, borrower, x.barcode).expect(201);
      await placeHold(q, { itemId: x.id, pickupBranchId: branch.A }).expect(201);
      const hold = await placeHold(p, { recordId: title, pickupBranchId: branch.A }).expect(201);
      expect(hold.body).toMatchObject({ status: 'ready', trappedItemId: y.id });
    });

    it('closes a ready hold when its resident borrows another copy, and passes the set-aside copy on', async () => {
      const title = await addRecord('大学');
      const [x, y] = [await addItem(branch.C, title), await addItem(branch.C, title)];
      const p = await registerResident(t.http);
      const hold = await placeHold(p, { recordId: title, pickupBranchId: branch.C }).expect(201);
      const setAside = hold.body.trappedItemId as string;
      const other = setAside === x.id ? y : x;
      await checkout(librarian.C, p, other.barcode).expect(201);
      expect(await myHolds(p)).toEqual([]);
      expect(await itemOf(setAside === x.id ? x.barcode : y.barcode)).toMatchObject({ status: 'available', currentBranchId: branch.C });
    });

    it('charges what an overdue loan owes when it is renewed', async () => {
      const defaults = await getPolicies();
      const base = defaultRule(defaults);
      await putPolicies({ rules: [base, { ...base, branchId: branch.B, finePerDay: 0.5, fineCap: 5 }] }).expect(200);
      try {
        const copy = await addCopy(branch.B, await addRecord('中庸'));
        const r = await registerResident(t.http);
        const out = await checkout(librarian.B, r, copy).expect(201);
        await db.query(`UPDATE loan SET due_at = now() - interval '4 days' WHERE id = $1`, [out.body.loanId]);
        await renew(r.accessToken, out.body.loanId).expect(200);
        const fines = await db.query(`SELECT amount::text AS amount FROM fine WHERE patron_id = $1`, [r.id]);
        expect(fines).toEqual([{ amount: '2.00' }]);
      } finally {
        await putPolicies(defaults).expect(200);
      }
    });

    it('leaves a ready hold alone when its copy is scanned again at the pickup branch', async () => {
      const title = await addRecord('尚书');
      const copy = await addCopy(branch.C, title);
      const p = await registerResident(t.http);
      const hold = await placeHold(p, { recordId: title, pickupBranchId: branch.C }).expect(201);
      const again = await checkin(librarian.C, copy).expect(200);
      expect(again.body).toMatchObject({ action: 'hold-shelf', holdId: hold.body.id, wasOnLoan: false });
      const [after] = await myHolds(p);
      expect(after.expiresAt).toBe(hold.body.expiresAt);
      const inbox = await t.http().get('/api/me/notifications').set(bearer(p.accessToken)).expect(200);
      expect(inbox.body).toHaveLength(1);
    });
  });
});
