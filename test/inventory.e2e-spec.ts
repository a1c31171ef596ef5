import { DataSource } from 'typeorm';
import { bearer, login, registerResident, testDistrict, everyDay } from './utils/factories';
import { startTestApp, TEST_ADMIN, TestApp } from './utils/test-app';

const EVERY_DAY = everyDay('08:00', '22:00');

/** Stocktaking a shelf range: scans, the report's categories, marking missing once, finding again. */
describe('inventory (盘点)', () => {
  let t: TestApp;
  let ds: DataSource;
  let admin: string;
  let librarian: string;
  let otherLibrarian: string;
  const branch = { A: '', B: '' };
  let seq = 0;

  const addRecord = async (title: string, callNumber?: string) =>
    (await t.http().post('/api/catalog/records').set(bearer(admin)).send({ title, authors: ['测试作者'], callNumber }).expect(201)).body.id as string;
  /** A new copy with this call number at `home`; returns its barcode. */
  async function addCopy(home: string, callNumber: string | null, recordId?: string, shelvingLocation?: string) {
    const barcode = `INV${String(++seq).padStart(5, '0')}`;
    const record = recordId ?? (await addRecord(`书 ${barcode}`));
    await t.http()
      .post('/api/catalog/items')
      .set(bearer(admin))
      .send({ recordId: record, barcode, branchId: home, itemType: 'book', ...(callNumber ? { callNumber } : {}), ...(shelvingLocation ? { shelvingLocation } : {}) })
      .expect(201);
    return barcode;
  }
  const start = (token: string, body: Record<string, unknown>) => t.http().post('/api/inventory/sessions').set(bearer(token)).send(body);
  const scan = (id: string, body: Record<string, unknown>, token = librarian) => t.http().post(`/api/inventory/sessions/${id}/scans`).set(bearer(token)).send(body);
  const report = async (id: string) => (await t.http().get(`/api/inventory/sessions/${id}`).set(bearer(librarian)).expect(200)).body;
  const markMissing = (id: string, key?: string) => {
    const r = t.http().post(`/api/inventory/sessions/${id}/mark-missing`).set(bearer(librarian));
    return (key ? r.set('Idempotency-Key', key) : r).send({});
  };
  const statusOf = async (barcode: string) => (await ds.query(`SELECT status FROM item WHERE barcode = $1`, [barcode]))[0].status as string;
  const barcodes = (lines: Array<{ barcode: string }>) => lines.map((l) => l.barcode).sort();

  beforeAll(async () => {
    t = await startTestApp();
    ds = t.app.get(DataSource);
    admin = (await login(t.http, TEST_ADMIN.username, TEST_ADMIN.password)).accessToken;
    const { library: mk } = await testDistrict(t.http, admin, { name: '盘点区' }, EVERY_DAY);
    branch.A = await mk('盘点总馆', 'central');
    branch.B = await mk('盘点分馆', 'branch', branch.A);
    await t.http().post('/api/staff').set(bearer(admin)).send({ username: 'inv-a', password: 'Desk12345', name: '馆员甲', role: 'librarian', branchIds: [branch.A] }).expect(201);
    await t.http().post('/api/staff').set(bearer(admin)).send({ username: 'inv-b', password: 'Desk12345', name: '馆员乙', role: 'librarian', branchIds: [branch.B] }).expect(201);
    librarian = (await login(t.http, 'inv-a', 'Desk12345')).accessToken;
    otherLibrarian = (await login(t.http, 'inv-b', 'Desk12345')).accessToken;
  }, 120_000);

  afterAll(async () => {
    await t?.close();
  });

  it('refuses a bad range, an unknown branch, another branch, and too many barcodes, naming the field', async () => {
    const empty = await start(librarian, { branchId: branch.A }).expect(400);
    expect(empty.body).toMatchObject({ code: 'INVENTORY_RANGE_EMPTY', details: { field: 'callNumberFrom' } });
    const blank = await start(librarian, { branchId: branch.A, callNumberFrom: '  ' }).expect(400);
    expect(blank.body.details.field).toBe('callNumberFrom');
    const reversed = await start(librarian, { branchId: branch.A, callNumberFrom: 'I247', callNumberTo: 'I242' }).expect(400);
    expect(reversed.body).toMatchObject({ code: 'INVENTORY_RANGE_REVERSED', details: { field: 'callNumberTo' } });
    expect(reversed.body.message).toContain('I247');
    const unknown = await start(admin, { branchId: '00000000-0000-4000-8000-000000000000', callNumberFrom: 'I' }).expect(404);
    expect(unknown.body).toMatchObject({ code: 'BRANCH_NOT_FOUND', details: { field: 'branchId' } });
    expect((await start(admin, { branchId: 'nope', callNumberFrom: 'I' }).expect(400)).body.details.fields).toContain('branchId');
    await start(librarian, { branchId: branch.B, callNumberFrom: 'I' }).expect(403);

    const session = (await start(librarian, { callNumberFrom: 'Z' }).expect(201)).body;
    expect(session).toMatchObject({ branchId: branch.A, callNumberFrom: 'Z', callNumberTo: null, scanCount: 0 });
    const tooMany = await scan(session.id, { barcodes: Array.from({ length: 5001 }, (_, i) => `X${i + 1000}`) }).expect(400);
    expect(tooMany.body.details.fields).toContain('barcodes');
    const bad = await scan(session.id, { barcodes: ['OK-123', 'no spaces'] }).expect(400);
    expect(JSON.stringify(bad.body.details)).toContain('barcodes.1');
    expect((await scan(session.id, {}).expect(400)).body.details.fields).toContain('barcode');
    // Another branch's librarian does not see it.
    await scan(session.id, { barcode: 'INV99999', branchId: branch.B }, otherLibrarian).expect(404);
    await t.http().get(`/api/inventory/sessions/${session.id}?branchId=${branch.B}`).set(bearer(otherLibrarian)).expect(404);
    expect((await report(session.id)).counts.scans).toBe(0);
  });

  it('reports missing, checked out, elsewhere, out of order, unknown; marks missing; a later scan or check-in finds them', async () => {
    const onShelf = [await addCopy(branch.A, 'K825/1'), await addCopy(branch.A, 'K825/2'), await addCopy(branch.A, 'K825/10'), await addCopy(branch.A, 'K826/1')];
    const lonely = await addRecord('孤本', 'K827/1');
    const [gone1, gone2] = [await addCopy(branch.A, 'K825/3'), await addCopy(branch.A, 'K827/1', lonely)];
    const lent = await addCopy(branch.A, 'K825/4');
    const otherBranch = await addCopy(branch.B, 'K825/5');
    const outOfRange = await addCopy(branch.A, 'K900/1');
    const lentUnscanned = await addCopy(branch.A, 'K825/6');
    const reader = await registerResident(t.http);
    for (const b of [lent, lentUnscanned]) await t.http().post('/api/circulation/checkout').set(bearer(admin)).send({ cardNumber: reader.cardNumber, barcode: b, branchId: branch.A }).expect(201);

    const session = (await start(librarian, { branchId: branch.A, callNumberFrom: 'K825', callNumberTo: 'K827' }).expect(201)).body;
    // The scanner one barcode at a time, then a file: K825/10 before K825/2 is out of order.
    const first = await scan(session.id, { barcode: onShelf[0] }).expect(200);
    expect(first.body.scans).toEqual([{ seq: 1, barcode: onShelf[0], found: false, verdict: { kind: 'on_shelf' } }]);
    const file = await scan(session.id, { barcodes: [onShelf[2], onShelf[1], lent, otherBranch, outOfRange, 'NOSUCH-1', onShelf[3], onShelf[0]] }).expect(200);
    expect(file.body.scans.map((s: { seq: number }) => s.seq)).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
    expect(file.body.scans[2].verdict).toEqual({ kind: 'checked_out' });
    expect(file.body.scans[5].verdict).toEqual({ kind: 'unknown' });

    const r = await report(session.id);
    expect(r.counts).toEqual({ scans: 9, barcodes: 8, expected: 6, onShelf: 4, missing: 2, checkedOut: 1, elsewhere: 2, outOfOrder: 1, unknown: 1, found: 0 });
    expect(barcodes(r.missing)).toEqual([gone1, gone2].sort());
    expect(r.missing.every((m: { status: string }) => m.status === 'available')).toBe(true);
    expect(r.checkedOut).toEqual([expect.objectContaining({ barcode: lent, callNumber: 'K825/4' })]);
    expect(r.checkedOut[0].dueAt).toBeTruthy();
    expect(JSON.stringify(r)).not.toContain(reader.phone);
    expect(r.elsewhere.map((e: { barcode: string; reason: string }) => [e.barcode, e.reason]).sort()).toEqual(
      [[otherBranch, 'other_branch'], [outOfRange, 'out_of_range']].sort(),
    );
    expect(r.outOfOrder).toEqual([expect.objectContaining({ barcode: onShelf[1], seq: 3, callNumber: 'K825/2', previousCallNumber: 'K825/10' })]);
    expect(r.unknown).toEqual([{ barcode: 'NOSUCH-1', seq: 7 }]);

    // Marking missing: the unscanned copies available here, not the one on loan; search and holds no longer offer them.
    const marked = await markMissing(session.id, 'mark-once').expect(200);
    expect(marked.body).toEqual({ marked: [gone1, gone2].sort(), markedBySession: 2 });
    expect(await statusOf(gone1)).toBe('missing');
    expect(await statusOf(lentUnscanned)).toBe('on_loan');
    expect((await markMissing(session.id, 'mark-once').expect(200)).body).toEqual(marked.body);
    expect((await markMissing(session.id).expect(200)).body).toEqual({ marked: [], markedBySession: 2 });
    const after = await report(session.id);
    expect(after.missing.map((m: { status: string }) => m.status)).toEqual(['missing', 'missing']);
    const search = await t.http().get(`/api/catalog/search?q=${encodeURIComponent('孤本')}`).expect(200);
    expect(search.body.items[0].availability).toEqual([{ branchId: branch.A, total: 1, available: 0 }]);
    const hold = await t.http().post('/api/holds').set(bearer(reader.accessToken)).send({ recordId: lonely, pickupBranchId: branch.A }).expect(409);
    expect(hold.body.code).toBe('NO_HOLDABLE_COPY');

    // Scanned again (in this or any inventory): found, available again.
    const again = await scan(session.id, { barcodes: [gone1, gone1] }).expect(200);
    expect(again.body.scans.map((s: { found: boolean }) => s.found)).toEqual([true, false]);
    expect(await statusOf(gone1)).toBe('available');
    const final = await report(session.id);
    expect(final.found).toEqual([expect.objectContaining({ barcode: gone1, seq: 10 })]);
    expect(barcodes(final.missing)).toEqual([gone2]);
    expect(final.counts.found).toBe(1);
    // At check-in: found too.
    const checkin = await t.http().post('/api/circulation/checkin').set(bearer(librarian)).send({ barcode: gone2, branchId: branch.A }).expect(200);
    expect(checkin.body).toMatchObject({ barcode: gone2, found: true, action: 'shelve' });
    expect(await statusOf(gone2)).toBe('available');
    const foundEvents = await ds.query(`SELECT count(*)::int AS n FROM usage_event WHERE kind = 'item_found' AND branch_id = $1`, [branch.A]);
    expect(foundEvents[0].n).toBe(2);
  });

  it('takes a shelving location as the range, alone', async () => {
    const here = await addCopy(branch.A, null, undefined, '少儿阅览室');
    const away = await addCopy(branch.A, 'K825/1', undefined, '二楼文学区');
    const session = (await start(librarian, { branchId: branch.A, shelvingLocation: '少儿阅览室' }).expect(201)).body;
    await scan(session.id, { barcodes: [away] }).expect(200);
    const r = await report(session.id);
    expect(barcodes(r.missing)).toEqual([here]);
    expect(r.elsewhere).toEqual([expect.objectContaining({ barcode: away, reason: 'out_of_range' })]);
  });

  it('keeps every scan of two librarians scanning into one session at once, numbered 1..n without gaps', async () => {
    await t.http().post('/api/staff').set(bearer(admin)).send({ username: 'inv-a2', password: 'Desk12345', name: '馆员丙', role: 'librarian', branchIds: [branch.A] }).expect(201);
    const second = (await login(t.http, 'inv-a2', 'Desk12345')).accessToken;
    const session = (await start(librarian, { branchId: branch.A, callNumberFrom: 'Q' }).expect(201)).body;
    const sent = Array.from({ length: 40 }, (_, i) => `PAR${String(i).padStart(4, '0')}`);
    const answers = await Promise.all(
      sent.map((barcode, i) => (i % 5 === 4 ? scan(session.id, { barcodes: [barcode, `${barcode}-B`] }, i % 2 ? second : librarian) : scan(session.id, { barcode }, i % 2 ? second : librarian))),
    );
    expect(answers.map((a) => a.status)).toEqual(sent.map(() => 200));
    const rows: Array<{ seq: number; barcode: string }> = await ds.query(`SELECT seq, barcode FROM inventory_scan WHERE session_id = $1 ORDER BY seq`, [session.id]);
    expect(rows.length).toBe(48);
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 48 }, (_, i) => i + 1));
    expect(new Set(rows.map((r) => r.barcode))).toEqual(new Set(sent.flatMap((b, i) => (i % 5 === 4 ? [b, `${b}-B`] : [b]))));
    expect((await report(session.id)).counts).toMatchObject({ scans: 48, barcodes: 48, unknown: 48 });
  });

  it('marks each copy once when mark-missing is sent twice at once', async () => {
    const copies = await Promise.all(Array.from({ length: 12 }, (_, i) => addCopy(branch.A, `R1/${i + 1}`)));
    const session = (await start(librarian, { branchId: branch.A, callNumberFrom: 'R1', callNumberTo: 'R1' }).expect(201)).body;
    await scan(session.id, { barcodes: copies.slice(0, 2) }).expect(200);
    const [a, b, c] = await Promise.all([markMissing(session.id), markMissing(session.id), markMissing(session.id)]);
    expect([a.status, b.status, c.status]).toEqual([200, 200, 200]);
    const all = [...a.body.marked, ...b.body.marked, ...c.body.marked].sort();
    expect(all).toEqual(copies.slice(2).sort());
    const rows = await ds.query(`SELECT count(*)::int AS n FROM inventory_missing WHERE session_id = $1`, [session.id]);
    expect(rows[0].n).toBe(10);
    for (const x of copies.slice(2)) expect(await statusOf(x)).toBe('missing');
    for (const x of copies.slice(0, 2)) expect(await statusOf(x)).toBe('available');
  });

  it('lists the branch’s sessions for the desk to take up again', async () => {
    const list = (await t.http().get('/api/inventory/sessions').set(bearer(librarian)).expect(200)).body;
    expect(list.length).toBeGreaterThanOrEqual(4);
    expect(list.every((s: { branchId: string }) => s.branchId === branch.A)).toBe(true);
    expect((await t.http().get('/api/inventory/sessions').set(bearer(otherLibrarian)).expect(200)).body).toEqual([]);
  });
});
