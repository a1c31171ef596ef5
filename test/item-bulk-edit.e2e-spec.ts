import { DataSource } from 'typeorm';
import { bearer, login, registerResident, testDistrict, everyDay } from './utils/factories';
import { startTestApp, TEST_ADMIN, TestApp } from './utils/test-app';

const EVERY_DAY = everyDay('08:00', '22:00');

describe('bulk item edits (批量修改)', () => {
  let t: TestApp;
  let admin: string;
  const branch: Record<'A' | 'B' | 'C', string> = { A: '', B: '', C: '' };
  let librarianA: string;
  let recordId: string;
  let seq = 0;

  async function addCopy(home: string, itemType = 'book') {
    const barcode = `BE${String(++seq).padStart(6, '0')}`;
    await t.http().post('/api/catalog/items').set(bearer(admin)).send({ recordId, barcode, branchId: home, itemType, shelvingLocation: '二楼' }).expect(201);
    return barcode;
  }
  const item = async (barcode: string) => (await t.http().get(`/api/catalog/items/${barcode}`).set(bearer(admin)).expect(200)).body;
  const preview = (token: string, body: object) => t.http().post('/api/catalog/items/bulk-edit/preview').set(bearer(token)).send(body);
  const apply = (token: string, body: object) => t.http().post('/api/catalog/items/bulk-edit').set(bearer(token)).send(body);

  beforeAll(async () => {
    t = await startTestApp();
    admin = (await login(t.http, TEST_ADMIN.username, TEST_ADMIN.password)).accessToken;
    const { library: mk } = await testDistrict(t.http, admin, { name: '批量区' }, EVERY_DAY);
    branch.A = await mk('批量总馆', 'central');
    branch.B = await mk('批量东分馆', 'branch', branch.A);
    branch.C = await mk('批量西分馆', 'branch', branch.A);
    await t.http()
      .post('/api/staff')
      .set(bearer(admin))
      .send({ username: 'bulk-a', password: 'Desk12345', name: '馆员A', role: 'librarian', branchIds: [branch.A] })
      .expect(201);
    librarianA = (await login(t.http, 'bulk-a', 'Desk12345')).accessToken;
    recordId = (await t.http().post('/api/catalog/records').set(bearer(admin)).send({ title: '天工开物', authors: ['宋应星'] }).expect(201)).body.id;
  });
  afterAll(() => t.close());

  it('previews what would change without changing it, and names the unknown barcodes', async () => {
    const [a, b] = [await addCopy(branch.A), await addCopy(branch.A, 'periodical')];
    const res = await preview(librarianA, { barcodes: [a, b, 'NOSUCH01', a], itemType: 'periodical', homeBranchId: branch.B }).expect(200);
    expect(res.body.unknown).toEqual(['NOSUCH01']);
    expect(res.body.notYours).toEqual([]);
    expect(res.body.changing).toBe(2);
    expect(res.body.items).toEqual([
      {
        barcode: a,
        title: '天工开物',
        status: 'available',
        changes: {
          homeBranchId: { from: branch.A, to: branch.B, fromName: '批量总馆', toName: '批量东分馆' },
          itemType: { from: 'book', to: 'periodical' },
        },
      },
      { barcode: b, title: '天工开物', status: 'available', changes: { homeBranchId: { from: branch.A, to: branch.B, fromName: '批量总馆', toName: '批量东分馆' } } },
    ]);
    expect(await item(a)).toMatchObject({ itemType: 'book', homeBranchId: branch.A });
  });

  it('applies to every copy in one go, copies on loan included, and a returned copy then goes to its new branch', async () => {
    const copies = [await addCopy(branch.A), await addCopy(branch.A), await addCopy(branch.A)];
    const r = await registerResident(t.http);
    await t.http().post('/api/circulation/checkout').set(bearer(librarianA)).send({ cardNumber: r.cardNumber, barcode: copies[0] }).expect(201);

    const res = await apply(librarianA, { barcodes: copies, homeBranchId: branch.C, itemType: 'children', shelvingLocation: '少儿区' }).expect(200);
    expect(res.body).toMatchObject({ unknown: [], changing: 3 });
    for (const c of copies) expect(await item(c)).toMatchObject({ homeBranchId: branch.C, itemType: 'children', shelvingLocation: '少儿区' });

    // Who changed what is kept, one record per copy.
    const audit: Array<{ barcode: string; edited_by: string; changes: Record<string, { from: string | null; to: string | null }> }> = await t.app
      .get(DataSource)
      .query(`SELECT i.barcode, e.edited_by, e.changes FROM item_edit e JOIN item i ON i.id = e.item_id WHERE i.barcode = ANY($1) ORDER BY i.barcode`, [copies]);
    const [{ id: librarianId }] = await t.app.get(DataSource).query(`SELECT id FROM staff WHERE username = 'bulk-a'`);
    expect(audit).toEqual(
      copies.map((barcode) => ({
        barcode,
        edited_by: librarianId,
        changes: {
          homeBranchId: { from: branch.A, to: branch.C },
          itemType: { from: 'book', to: 'children' },
          shelvingLocation: { from: '二楼', to: '少儿区' },
        },
      })),
    );

    // Returned at the old owner, the copy on loan goes to its new one.
    const back = await t.http().post('/api/circulation/checkin').set(bearer(librarianA)).send({ barcode: copies[0] }).expect(200);
    expect(back.body).toMatchObject({ action: 'transit', destinationBranchId: branch.C });

    // null clears the shelving location (admin: any branch's copies).
    await apply(admin, { barcodes: copies.slice(1), shelvingLocation: null }).expect(200);
    expect((await item(copies[1])).shelvingLocation).toBeNull();
  });

  it('refuses the whole edit while a barcode is unknown, listing it, and changes nothing', async () => {
    const good = await addCopy(branch.A);
    const res = await apply(librarianA, { barcodes: [good, 'NOSUCH02', 'NOSUCH03'], itemType: 'audiovisual' }).expect(400);
    expect(res.body).toMatchObject({ code: 'BULK_EDIT_UNKNOWN_BARCODES', details: { field: 'barcodes', unknown: ['NOSUCH02', 'NOSUCH03'] } });
    expect(res.body.message).toContain('NOSUCH02');
    expect((await item(good)).itemType).toBe('book');
    const [{ n }] = await t.app.get(DataSource).query(`SELECT count(*)::int AS n FROM item_edit e JOIN item i ON i.id = e.item_id WHERE i.barcode = $1`, [good]);
    expect(n).toBe(0);
  });

  it("refuses a librarian's edit of another branch's copies, and changes none of the list", async () => {
    const mine = await addCopy(branch.A);
    const theirs = await addCopy(branch.B);
    const seen = await preview(librarianA, { barcodes: [mine, theirs], itemType: 'periodical' }).expect(200);
    expect(seen.body.notYours).toEqual([theirs]);
    const res = await apply(librarianA, { barcodes: [mine, theirs], itemType: 'periodical' }).expect(403);
    expect(res.body).toMatchObject({ code: 'BULK_EDIT_NOT_YOURS', details: { notYours: [theirs] } });
    expect((await item(mine)).itemType).toBe('book');
  });

  it.each([
    [{ barcodes: [], itemType: 'book' }, 'barcodes'],
    [{ barcodes: ['ok-123', 'bad barcode!'], itemType: 'book' }, 'barcodes'],
    [{ barcodes: ['ok-123'], itemType: 'scroll' }, 'itemType'],
    [{ barcodes: ['ok-123'], homeBranchId: 'not-a-uuid' }, 'homeBranchId'],
    [{ barcodes: ['ok-123'], homeBranchId: '00000000-0000-4000-8000-000000000000' }, 'homeBranchId'],
    [{ barcodes: ['ok-123'], shelvingLocation: 'x'.repeat(65) }, 'shelvingLocation'],
    [{ barcodes: ['ok-123'] }, 'homeBranchId'],
  ])('answers 4xx naming the field for %j', async (body, field) => {
    for (const send of [preview, apply]) {
      const res = await send(librarianA, body);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(JSON.stringify(res.body)).toContain(field);
    }
  });

  it('runs many edits of overlapping lists at once, each whole: none fails, and every copy ends as one of them left it', async () => {
    const copies = await Promise.all(Array.from({ length: 12 }, () => addCopy(branch.A)));
    const types = ['book', 'periodical', 'audiovisual', 'children'];
    // Each edit takes the copies in another order, so edits that locked rows as listed would deadlock.
    const edits = Array.from({ length: 8 }, (_, i) => ({
      barcodes: i % 2 ? [...copies].reverse() : [...copies.slice(i), ...copies.slice(0, i)],
      itemType: types[i % types.length],
      shelvingLocation: `架${i}`,
    }));
    const answers = await Promise.all(edits.map((body) => apply(librarianA, body)));
    expect(answers.map((a) => a.status)).toEqual(edits.map(() => 200));
    const after = await Promise.all(copies.map(item));
    // All or nothing per edit: every copy carries the item type and location of one and the same edit (the last to commit).
    const last = edits.find((e) => e.shelvingLocation === after[0].shelvingLocation)!;
    expect(after.map((i) => [i.itemType, i.shelvingLocation])).toEqual(copies.map(() => [last.itemType, last.shelvingLocation]));
  });

  it('replays the first answer for a retried apply with the same Idempotency-Key', async () => {
    const copy = await addCopy(branch.A);
    const first = await apply(librarianA, { barcodes: [copy], itemType: 'periodical' }).set('Idempotency-Key', 'bulk-edit-retry-1').expect(200);
    expect(first.body.changing).toBe(1);
    const again = await apply(librarianA, { barcodes: [copy], itemType: 'periodical' }).set('Idempotency-Key', 'bulk-edit-retry-1').expect(200);
    expect(again.body).toEqual(first.body);
  });

  it('is not open to residents', async () => {
    const r = await registerResident(t.http);
    await preview(r.accessToken, { barcodes: ['ok-123'], itemType: 'book' }).expect(403);
    await apply(r.accessToken, { barcodes: ['ok-123'], itemType: 'book' }).expect(403);
  });
});
