import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { bearer, login, registerResident, Resident, testDistrict, everyDay } from './utils/factories';
import { startTestApp, TEST_ADMIN, TestApp } from './utils/test-app';

const EVERY_DAY = everyDay('08:00', '22:00');
const MINUTE = 60_000;

/** One record as a desk uploads it. */
interface Rec {
  clientId: string;
  type: string;
  at: string;
  barcode: string;
  cardNumber?: string;
}

interface Outcome {
  clientId: string;
  result: 'applied' | 'conflict' | 'duplicate';
  type?: string;
  loanId?: string;
  dueAt?: string;
  checkin?: { barcode: string; wasOnLoan: boolean; loanId?: string; action: string };
  conflictId?: string;
  code?: string | null;
  firstOutcome?: string;
  message?: { zh: string; en: string };
}

/** A service point whose network dropped: its desk uploads what it queued, and the server replays it in time order. */
describe('offline circulation (upload of a desk’s queue)', () => {
  let t: TestApp;
  let ds: DataSource;
  let admin: string;
  const branch = { A: '', B: '' };
  const librarian = { A: '', B: '' };
  let recordId: string;
  let seq = 0;

  const addCopy = async (home = branch.A) => {
    const barcode = `OF${String(++seq).padStart(6, '0')}`;
    await t.http().post('/api/catalog/items').set(bearer(admin)).send({ recordId, barcode, branchId: home, itemType: 'book' }).expect(201);
    return barcode;
  };
  const lend = (r: Resident, barcode: string, branchId = branch.A) =>
    t.http().post('/api/circulation/checkout').set(bearer(admin)).send({ cardNumber: r.cardNumber, barcode, branchId }).expect(201);
  const upload = (token: string, transactions: unknown[], branchId: string | undefined = branch.A) =>
    t.http().post('/api/circulation/offline').set(bearer(token)).send({ branchId, transactions });
  const ago = (minutes: number) => new Date(Date.now() - minutes * MINUTE).toISOString();
  const checkout = (r: Resident, barcode: string, at: string): Rec => ({ clientId: randomUUID(), type: 'checkout', at, cardNumber: r.cardNumber, barcode });
  const checkin = (barcode: string, at: string): Rec => ({ clientId: randomUUID(), type: 'checkin', at, barcode });
  const loansOf = async (barcode: string) =>
    (await ds.query(
      `SELECT l.patron_id, l.status, l.checked_out_at, l.due_at, l.closed_at, l.checkin_branch_id FROM loan l JOIN item i ON i.id = l.item_id
        WHERE i.barcode = $1 ORDER BY l.checked_out_at`,
      [barcode],
    )) as Array<{ patron_id: string | null; status: string; checked_out_at: Date; due_at: Date; closed_at: Date | null; checkin_branch_id: string | null }>;
  const patronOf = async (r: Resident) => (await ds.query(`SELECT patron_id FROM card WHERE number = $1`, [r.cardNumber]))[0].patron_id as string;

  beforeAll(async () => {
    t = await startTestApp();
    ds = t.app.get(DataSource);
    admin = (await login(t.http, TEST_ADMIN.username, TEST_ADMIN.password)).accessToken;
    const { library: mk } = await testDistrict(t.http, admin, { name: '离线区' }, EVERY_DAY);
    branch.A = await mk('山村服务点', 'central');
    branch.B = await mk('镇图书馆', 'branch', branch.A);
    for (const [k, username] of [['A', 'offline-a'], ['B', 'offline-b']] as const) {
      await t.http().post('/api/staff').set(bearer(admin)).send({ username, password: 'Desk12345', name: `馆员${k}`, role: 'librarian', branchIds: [branch[k]] }).expect(201);
      librarian[k] = (await login(t.http, username, 'Desk12345')).accessToken;
    }
    recordId = (await t.http().post('/api/catalog/records').set(bearer(admin)).send({ title: '呐喊', authors: ['鲁迅'] }).expect(201)).body.id;
  }, 120_000);
  afterAll(() => t.close());

  it('applies by each record’s own time, not the list’s order: a return then a new loan of the same copy', async () => {
    const [first, second] = [await registerResident(t.http), await registerResident(t.http)];
    const barcode = await addCopy();
    await lend(first, barcode);
    // Lent at the desk three days ago (while it was online) …
    await ds.query(`UPDATE loan SET checked_out_at = now() - interval '3 days' WHERE item_id = (SELECT id FROM item WHERE barcode = $1)`, [barcode]);
    // … then offline: returned 40 minutes ago, lent to another resident 20 minutes ago. Uploaded the other way round.
    const returnedAt = ago(40);
    const lentAt = ago(20);
    const lendAgain = checkout(second, barcode, lentAt);
    const giveBack = checkin(barcode, returnedAt);
    const res = await upload(librarian.A, [lendAgain, giveBack]).expect(200);
    const items = res.body.items as Outcome[];
    expect(items.map((i) => [i.clientId, i.result])).toEqual([
      [giveBack.clientId, 'applied'],
      [lendAgain.clientId, 'applied'],
    ]);
    expect(items[0].checkin).toMatchObject({ barcode, wasOnLoan: true, action: 'shelve' });

    const loans = await loansOf(barcode);
    expect(loans.map((l) => l.status)).toEqual(['returned', 'open']);
    expect(loans[0].closed_at!.toISOString()).toBe(new Date(returnedAt).toISOString());
    expect(loans[0].checkin_branch_id).toBe(branch.A);
    // The offline loan starts at its own time, and its due date counts from that day at the branch (Asia/Shanghai, open every day).
    expect(loans[1].patron_id).toBe(await patronOf(second));
    expect(loans[1].checked_out_at.toISOString()).toBe(new Date(lentAt).toISOString());
    const due = DateTime.fromISO(lentAt, { zone: 'Asia/Shanghai' }).startOf('day').plus({ days: 30 }).endOf('day').toJSDate();
    expect(loans[1].due_at.toISOString()).toBe(due.toISOString());
    expect(items[1].dueAt).toBe(due.toISOString());
    const row = await ds.query(`SELECT outcome, loan_id FROM offline_transaction WHERE client_id = $1`, [lendAgain.clientId]);
    expect(row).toEqual([{ outcome: 'applied', loan_id: items[1].loanId }]);
  });

  it('keeps what the rules refuse as conflicts, applies the rest of the upload, and lists them for the branch with the card masked', async () => {
    const [owner, reader, blocked] = [await registerResident(t.http), await registerResident(t.http), await registerResident(t.http)];
    const elsewhere = await addCopy(branch.B);
    await lend(owner, elsewhere, branch.B);
    const free = [await addCopy(), await addCopy()];
    const lentLater = await addCopy();
    await lend(owner, lentLater);
    await t.http().patch(`/api/cards/${blocked.cardNumber}/status`).set(bearer(admin)).send({ status: 'suspended', reason: '逾期未还' }).expect(200);

    const onLoanElsewhere = checkout(reader, elsewhere, ago(50));
    const cardBlocked = checkout(blocked, free[0], ago(45));
    const unknownCopy = checkout(reader, 'NOPE-7777', ago(44));
    const fine = checkout(reader, free[1], ago(40));
    const future = checkin(free[1], new Date(Date.now() + 60 * MINUTE).toISOString());
    const tooOld = checkout(reader, free[0], new Date(Date.now() - 31 * 24 * 60 * MINUTE).toISOString());
    // A return recorded before the copy's current loan began cannot be that loan's return.
    const beforeLoan = checkin(lentLater, new Date(Date.now() - 2 * 24 * 60 * MINUTE).toISOString());
    const res = await upload(librarian.A, [future, fine, unknownCopy, cardBlocked, onLoanElsewhere, tooOld, beforeLoan]).expect(200);
    const byId = new Map((res.body.items as Outcome[]).map((i) => [i.clientId, i]));
    const code = (x: { clientId: string }) => [byId.get(x.clientId)!.result, byId.get(x.clientId)!.code ?? null];
    expect(code(onLoanElsewhere)).toEqual(['conflict', 'ITEM_ALREADY_ON_LOAN']);
    expect(code(cardBlocked)).toEqual(['conflict', 'CARD_NOT_USABLE']);
    expect(code(unknownCopy)).toEqual(['conflict', 'ITEM_NOT_FOUND']);
    expect(code(fine)).toEqual(['applied', null]);
    expect(code(future)).toEqual(['conflict', 'OFFLINE_AT_IN_FUTURE']);
    expect(code(tooOld)).toEqual(['conflict', 'OFFLINE_AT_TOO_OLD']);
    expect(code(beforeLoan)).toEqual(['conflict', 'OFFLINE_RETURN_BEFORE_LOAN']);
    expect((res.body.items as Outcome[]).map((i) => i.clientId)).toEqual([tooOld, beforeLoan, onLoanElsewhere, cardBlocked, unknownCopy, fine, future].map((x) => x.clientId));
    expect(byId.get(cardBlocked.clientId)!.message).toEqual({ zh: '读者证状态为 suspended，不能借阅', en: 'The card is suspended and cannot be used to borrow' });

    // Refused records changed nothing: the copy elsewhere is still the owner's, the blocked card borrowed nothing, the later loan is open.
    expect((await loansOf(elsewhere)).map((l) => [l.status, l.patron_id])).toEqual([['open', await patronOf(owner)]]);
    expect(await loansOf(free[0])).toEqual([]);
    expect((await loansOf(lentLater)).map((l) => l.status)).toEqual(['open']);
    expect((await loansOf(free[1])).map((l) => [l.status, l.patron_id])).toEqual([['open', await patronOf(reader)]]);

    const list = await t.http().get('/api/circulation/offline/conflicts').query({ branchId: branch.A }).set(bearer(librarian.A)).expect(200);
    const mine = (list.body.items as Array<{ clientId: string; code: string; card: string | null; title: string | null; barcode: string; type: string }>).filter((c) =>
      [onLoanElsewhere, cardBlocked, unknownCopy, future, tooOld, beforeLoan].some((x) => x.clientId === c.clientId),
    );
    expect(mine.map((c) => c.code)).toEqual(['OFFLINE_AT_TOO_OLD', 'OFFLINE_RETURN_BEFORE_LOAN', 'ITEM_ALREADY_ON_LOAN', 'CARD_NOT_USABLE', 'ITEM_NOT_FOUND', 'OFFLINE_AT_IN_FUTURE']);
    const blockedRow = mine.find((c) => c.clientId === cardBlocked.clientId)!;
    expect(blockedRow).toMatchObject({ type: 'checkout', barcode: free[0], title: '呐喊', card: `${blocked.cardNumber.slice(0, 4)}****${blocked.cardNumber.slice(-4)}` });
    expect(JSON.stringify(list.body)).not.toContain(blocked.cardNumber);
    expect(JSON.stringify(list.body)).not.toContain(reader.cardNumber);
    // Another branch's librarian neither sees nor settles them.
    await t.http().get('/api/circulation/offline/conflicts').query({ branchId: branch.A }).set(bearer(librarian.B)).expect(403);
    const bList = await t.http().get('/api/circulation/offline/conflicts').set(bearer(librarian.B)).expect(200);
    expect(bList.body.items).toEqual([]);
  });

  it('settles a conflict once, with a note; it leaves the open list, and two librarians settling it at once cannot both succeed', async () => {
    const reader = await registerResident(t.http);
    const [a, b] = [checkout(reader, 'NOPE-8001', ago(30)), checkout(reader, 'NOPE-8002', ago(29))];
    const items = (await upload(librarian.A, [a, b]).expect(200)).body.items as Outcome[];
    const [idA, idB] = items.map((i) => i.conflictId!);
    await t.http().post(`/api/circulation/offline/conflicts/${idA}/settle`).set(bearer(librarian.B)).send({ branchId: branch.B, note: '不是本馆' }).expect(404);
    const settled = await t.http().post(`/api/circulation/offline/conflicts/${idA}/settle`).set(bearer(librarian.A)).send({ note: '条码贴错，已重贴后在柜台借出' }).expect(200);
    expect(settled.body.id).toBe(idA);
    const again = await t.http().post(`/api/circulation/offline/conflicts/${idA}/settle`).set(bearer(librarian.A)).send({ note: '再次' }).expect(409);
    expect(again.body.code).toBe('OFFLINE_CONFLICT_SETTLED');
    const open = (await t.http().get('/api/circulation/offline/conflicts').set(bearer(librarian.A)).expect(200)).body.items as Array<{ id: string }>;
    expect(open.map((c) => c.id)).toContain(idB);
    expect(open.map((c) => c.id)).not.toContain(idA);
    const done = (await t.http().get('/api/circulation/offline/conflicts').query({ state: 'settled' }).set(bearer(librarian.A)).expect(200)).body.items as Array<{ id: string; settleNote: string }>;
    expect(done.find((c) => c.id === idA)!.settleNote).toBe('条码贴错，已重贴后在柜台借出');

    const race = await Promise.all(
      Array.from({ length: 6 }, (_, i) => t.http().post(`/api/circulation/offline/conflicts/${idB}/settle`).set(bearer(librarian.A)).send({ note: `第 ${i} 位` })),
    );
    expect(race.map((r) => r.status).sort()).toEqual([200, 409, 409, 409, 409, 409]);
  });

  it('applies an upload retried after a dropped connection once: the second answers duplicate', async () => {
    const reader = await registerResident(t.http);
    const copies = [await addCopy(), await addCopy()];
    const batch = [checkout(reader, copies[0], ago(15)), checkout(reader, copies[1], ago(14)), checkin(copies[0], ago(10)), checkout(reader, 'NOPE-9001', ago(9))];
    const first = (await upload(librarian.A, batch).expect(200)).body.items as Outcome[];
    expect(first.map((i) => i.result)).toEqual(['applied', 'applied', 'applied', 'conflict']);
    const second = (await upload(librarian.A, batch).expect(200)).body.items as Outcome[];
    expect(second.map((i) => [i.result, i.firstOutcome, i.code])).toEqual([
      ['duplicate', 'applied', null],
      ['duplicate', 'applied', null],
      ['duplicate', 'applied', null],
      ['duplicate', 'conflict', 'ITEM_NOT_FOUND'],
    ]);
    expect((await loansOf(copies[0])).map((l) => l.status)).toEqual(['returned']);
    expect((await loansOf(copies[1])).map((l) => l.status)).toEqual(['open']);
    const rows = await ds.query(`SELECT count(*)::int AS n FROM offline_transaction WHERE client_id = ANY($1)`, [batch.map((b) => b.clientId)]);
    expect(rows[0].n).toBe(4);
    const conflicts = await ds.query(`SELECT count(*)::int AS n FROM offline_transaction WHERE client_id = $1 AND outcome = 'conflict'`, [batch[3].clientId]);
    expect(conflicts[0].n).toBe(1);
  });

  it('applies the same batch uploaded eight times in parallel exactly once per record', async () => {
    const readers = [await registerResident(t.http), await registerResident(t.http)];
    const copies: string[] = [];
    for (let i = 0; i < 6; i++) copies.push(await addCopy());
    const batch = copies.map((c, i) => checkout(readers[i % 2], c, ago(30 - i)));
    batch.push(checkin(copies[0], ago(5)));
    const uploads = await Promise.all(Array.from({ length: 8 }, () => upload(librarian.A, batch)));
    expect(uploads.map((u) => u.status)).toEqual(Array(8).fill(200));
    for (const record of batch) {
      const outcomes = uploads.map((u) => (u.body.items as Outcome[]).find((i) => i.clientId === record.clientId)!.result);
      expect(outcomes.filter((o) => o === 'applied')).toHaveLength(1);
      expect(outcomes.filter((o) => o === 'duplicate')).toHaveLength(7);
    }
    const loans = await ds.query(
      `SELECT i.barcode, l.status FROM loan l JOIN item i ON i.id = l.item_id WHERE i.barcode = ANY($1) ORDER BY i.barcode`,
      [copies],
    );
    expect(loans).toEqual(copies.map((barcode, i) => ({ barcode, status: i === 0 ? 'returned' : 'open' })));
    const rows = await ds.query(`SELECT count(*)::int AS n FROM offline_transaction WHERE client_id = ANY($1)`, [batch.map((b) => b.clientId)]);
    expect(rows[0].n).toBe(batch.length);
  });

  it('lends each copy once when two desks that lent the same copies offline upload at the same moment', async () => {
    const [a, b] = [await registerResident(t.http), await registerResident(t.http)];
    const copies: string[] = [];
    for (let i = 0; i < 5; i++) copies.push(await addCopy());
    const deskA = copies.map((c, i) => checkout(a, c, ago(20 - i)));
    const deskB = copies.map((c, i) => checkout(b, c, ago(20 - i)));
    const [resA, resB] = await Promise.all([upload(librarian.A, deskA), upload(admin, deskB, branch.B)]);
    expect([resA.status, resB.status]).toEqual([200, 200]);
    const outcomes = [...(resA.body.items as Outcome[]), ...(resB.body.items as Outcome[])];
    for (const c of copies) {
      const forCopy = [deskA, deskB].map((desk) => outcomes.find((o) => o.clientId === desk[copies.indexOf(c)].clientId)!);
      expect(forCopy.map((o) => o.result).sort()).toEqual(['applied', 'conflict']);
      expect(forCopy.find((o) => o.result === 'conflict')!.code).toBe('ITEM_ALREADY_ON_LOAN');
      expect((await loansOf(c)).map((l) => l.status)).toEqual(['open']);
    }
  });

  it('refuses bad input with a 400 naming the field, and librarians of another branch with a 403', async () => {
    const reader = await registerResident(t.http);
    const ok = checkout(reader, 'OF999999', ago(1));
    const bad = async (transactions: unknown, field: string) => {
      const res = await upload(librarian.A, transactions as unknown[]).expect(400);
      expect((res.body.details.errors as Array<{ field: string }>).map((e) => e.field)).toContain(field);
    };
    await bad([{ ...ok, at: '2026-12-04 10:00' }], 'transactions.0.at');
    await bad([ok, { ...ok, clientId: 'not-a-uuid' }], 'transactions.1.clientId');
    await bad([{ ...ok, cardNumber: undefined }], 'transactions.0.cardNumber');
    await bad([{ ...ok, type: 'renew' }], 'transactions.0.type');
    await bad([{ ...ok, barcode: 'x y' }], 'transactions.0.barcode');
    await bad([], 'transactions');
    await bad(Array.from({ length: 501 }, () => ({ ...ok, clientId: randomUUID() })), 'transactions');
    await upload(librarian.B, [ok], branch.A).expect(403);
    await t.http().post('/api/circulation/offline').send({ branchId: branch.A, transactions: [ok] }).expect(401);
    await t.http().post(`/api/circulation/offline/conflicts/${randomUUID()}/settle`).set(bearer(librarian.A)).send({ note: '' }).expect(400);
    await t.http().post(`/api/circulation/offline/conflicts/${randomUUID()}/settle`).set(bearer(librarian.A)).send({ note: '无' }).expect(404);
    expect(await ds.query(`SELECT 1 FROM offline_transaction WHERE client_id = $1`, [ok.clientId])).toEqual([]);
  });
});
