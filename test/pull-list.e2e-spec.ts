import { DateTime } from 'luxon';
import { bearer, login, registerResident, Resident, testDistrict, everyDay } from './utils/factories';
import { startTestApp, TEST_ADMIN, TestApp } from './utils/test-app';

const EVERY_DAY = everyDay('08:00', '22:00');

interface PullLine {
  holdId: string;
  barcode: string;
  title: string;
  callNumber: string | null;
  pickupBranchId: string;
  pickupBranchName: string;
  patronName: string;
  cardLast4: string | null;
  placedAt: string;
}

describe('the pull list (取书单) and the check-in slips', () => {
  let t: TestApp;
  let admin: string;
  const branch: Record<'A' | 'B' | 'C', string> = { A: '', B: '', C: '' };
  const librarian: Record<'A' | 'B' | 'C', string> = { A: '', B: '', C: '' };
  let seq = 0;

  async function addRecord(title: string) {
    return (await t.http().post('/api/catalog/records').set(bearer(admin)).send({ title, authors: ['测试作者'] }).expect(201)).body.id as string;
  }
  async function addCopy(home: string, recordId: string) {
    const barcode = `PL${String(++seq).padStart(6, '0')}`;
    await t.http().post('/api/catalog/items').set(bearer(admin)).send({ recordId, barcode, branchId: home, itemType: 'book', callNumber: `I247/${seq}` }).expect(201);
    return barcode;
  }
  const placeHold = (r: Resident, recordId: string, pickupBranchId: string) =>
    t.http().post('/api/holds').set(bearer(r.accessToken)).send({ recordId, pickupBranchId });
  const pullList = async (lib: string) => (await t.http().get('/api/holds/pull-list').set(bearer(lib)).expect(200)).body as PullLine[];
  const checkin = (lib: string, barcode: string) => t.http().post('/api/circulation/checkin').set(bearer(lib)).send({ barcode });

  beforeAll(async () => {
    t = await startTestApp();
    admin = (await login(t.http, TEST_ADMIN.username, TEST_ADMIN.password)).accessToken;
    const { library: mk } = await testDistrict(t.http, admin, { name: '取书区' }, EVERY_DAY);
    branch.A = await mk('取书总馆', 'central');
    branch.B = await mk('取书东分馆', 'branch', branch.A);
    branch.C = await mk('取书西分馆', 'branch', branch.A);
    for (const k of ['A', 'B', 'C'] as const) {
      await t.http()
        .post('/api/staff')
        .set(bearer(admin))
        .send({ username: `pull-${k.toLowerCase()}`, password: 'Desk12345', name: `馆员${k}`, role: 'librarian', branchIds: [branch[k]] })
        .expect(201);
      librarian[k] = (await login(t.http, `pull-${k.toLowerCase()}`, 'Desk12345')).accessToken;
    }
  });
  afterAll(() => t.close());

  it('lists the copies a branch must take off its shelves, oldest hold first, and only at the branch they stand at', async () => {
    const recordId = await addRecord('红楼梦');
    const copies = [await addCopy(branch.A, recordId), await addCopy(branch.A, recordId), await addCopy(branch.A, recordId)];
    const onLoan = await addCopy(branch.A, recordId);
    const borrower = await registerResident(t.http);
    await t.http().post('/api/circulation/checkout').set(bearer(librarian.A)).send({ cardNumber: borrower.cardNumber, barcode: onLoan }).expect(201);

    const readers = [
      await registerResident(t.http, { name: '张小明' }),
      await registerResident(t.http),
      await registerResident(t.http),
      await registerResident(t.http),
    ];
    const pickups = [branch.B, branch.A, branch.C, branch.B];
    const holds: string[] = [];
    for (let i = 0; i < readers.length; i++) holds.push((await placeHold(readers[i], recordId, pickups[i]).expect(201)).body.id);

    const atA = await pullList(librarian.A);
    // Three copies on A's shelves serve the three oldest holds; the copy on loan serves nobody yet, the fourth hold waits.
    expect(atA.map((l) => l.holdId)).toEqual(holds.slice(0, 3));
    expect(new Set(atA.map((l) => l.barcode))).toEqual(new Set(copies));
    expect(atA.map((l) => l.barcode)).not.toContain(onLoan);
    expect(atA[0]).toMatchObject({ title: '红楼梦', pickupBranchId: branch.B, pickupBranchName: '取书东分馆', patronName: '张*明' });
    expect(atA[0].callNumber).toMatch(/^I247\//);
    expect(atA[0].cardLast4).toBe(readers[0].cardNumber.slice(-4));
    expect(JSON.stringify(atA)).not.toContain('张小明');
    expect(JSON.stringify(atA)).not.toContain(readers[0].cardNumber);
    // The other branches have nothing to pull for these holds.
    expect(await pullList(librarian.B)).toEqual([]);
    expect(await pullList(librarian.C)).toEqual([]);

    // Scanning the pulled copy captures it for its hold, as check-in always has, and takes it off the list.
    const first = atA[0];
    const sent = await checkin(librarian.A, first.barcode).expect(200);
    expect(sent.body).toMatchObject({ action: 'transit', destinationBranchId: branch.B, holdId: first.holdId, wasOnLoan: false });
    const afterTransit = await pullList(librarian.A);
    expect(afterTransit.map((l) => l.holdId)).toEqual(holds.slice(1, 3));
    // Now truly in transit to B: not on B's list either (B receives it, it does not pull it).
    expect(await pullList(librarian.B)).toEqual([]);

    // The copy for the hold picked up at A itself goes to A's hold shelf when scanned.
    const shelved = await checkin(librarian.A, afterTransit[0].barcode).expect(200);
    expect(shelved.body).toMatchObject({ action: 'hold-shelf', holdId: holds[1] });
    expect((await pullList(librarian.A)).map((l) => l.holdId)).toEqual([holds[2]]);
  });

  it('keeps a copy not yet pulled on the list for the next hold when its hold is cancelled', async () => {
    const recordId = await addRecord('西游记');
    const copy = await addCopy(branch.C, recordId);
    const [first, second] = [await registerResident(t.http), await registerResident(t.http)];
    const h1 = (await placeHold(first, recordId, branch.C).expect(201)).body.id as string;
    const h2 = (await placeHold(second, recordId, branch.B).expect(201)).body.id as string;
    expect((await pullList(librarian.C)).filter((l) => l.barcode === copy).map((l) => l.holdId)).toEqual([h1]);

    await t.http().delete(`/api/holds/${h1}`).set(bearer(first.accessToken)).expect(200);
    // Still on C's shelf, now set aside for the second reader (on its way to B on paper).
    expect((await pullList(librarian.C)).filter((l) => l.barcode === copy).map((l) => l.holdId)).toEqual([h2]);
    await t.http().delete(`/api/holds/${h2}`).set(bearer(second.accessToken)).expect(200);
    expect((await pullList(librarian.C)).filter((l) => l.barcode === copy)).toEqual([]);
  });

  it('gives the check-in answer what a slip prints: title, where it goes, the masked reader, the card tail and the day here', async () => {
    const recordId = await addRecord('水浒传');
    const copy = await addCopy(branch.A, recordId);
    const homeCopy = await addCopy(branch.A, recordId);
    const reader = await registerResident(t.http, { name: '欧阳修文' });
    const borrower = await registerResident(t.http);
    await t.http().post('/api/circulation/checkout').set(bearer(librarian.A)).send({ cardNumber: borrower.cardNumber, barcode: copy }).expect(201);
    await t.http().post('/api/circulation/checkout').set(bearer(librarian.A)).send({ cardNumber: borrower.cardNumber, barcode: homeCopy }).expect(201);
    await placeHold(reader, recordId, branch.C).expect(201);

    const before = DateTime.now().setZone('Asia/Shanghai').toISODate();
    const held = await checkin(librarian.B, copy).expect(200);
    const home = await checkin(librarian.B, homeCopy).expect(200);
    const after = DateTime.now().setZone('Asia/Shanghai').toISODate();
    expect(held.body).toMatchObject({
      action: 'transit',
      title: '水浒传',
      destinationName: '取书西分馆',
      holdFor: { patronName: '欧**文', cardLast4: reader.cardNumber.slice(-4) },
    });
    expect([before, after]).toContain(held.body.checkedInOn);
    expect(home.body).toMatchObject({ action: 'transit', title: '水浒传', destinationName: '取书总馆' });
    expect(home.body.holdFor).toBeUndefined();
    expect(JSON.stringify(held.body)).not.toContain('欧阳修文');
    expect(JSON.stringify(held.body)).not.toContain(reader.phone);

    // Staying here: the slip names this branch.
    const local = await addCopy(branch.B, recordId);
    expect((await checkin(librarian.B, local).expect(200)).body).toMatchObject({ action: 'shelve', destinationName: '取书东分馆' });
  });

  it('never lists one copy twice, nor one hold twice, when many residents hold one title at once', async () => {
    const recordId = await addRecord('封神演义');
    const copies = await Promise.all([1, 2, 3].map(() => addCopy(branch.C, recordId)));
    const readers = await Promise.all(Array.from({ length: 12 }, () => registerResident(t.http)));
    const placed = await Promise.all(readers.map((r, i) => placeHold(r, recordId, i % 2 ? branch.A : branch.B)));
    expect(placed.map((p) => p.status)).toEqual(readers.map(() => 201));

    const lines = (await pullList(librarian.C)).filter((l) => copies.includes(l.barcode));
    expect(lines).toHaveLength(3);
    expect(new Set(lines.map((l) => l.barcode)).size).toBe(3);
    expect(new Set(lines.map((l) => l.holdId)).size).toBe(3);
    // The copies went to the oldest holds, whichever request got in first.
    // (Placements queue on the title's lock, so the holds' times are well apart; the list is in their order.)
    const queue = placed.map((p) => ({ id: p.body.id as string, placedAt: p.body.placedAt as string }));
    const oldest = [...queue].sort((a, b) => a.placedAt.localeCompare(b.placedAt)).slice(0, 3);
    expect(lines.map((l) => l.holdId)).toEqual(oldest.map((h) => h.id));
    for (const k of ['A', 'B'] as const) expect((await pullList(librarian[k])).filter((l) => copies.includes(l.barcode))).toEqual([]);
  });

  it('is refused for a branch the librarian does not staff, and to residents', async () => {
    await t.http().get('/api/holds/pull-list').set(bearer((await registerResident(t.http)).accessToken)).expect(403);
    await t.http().get(`/api/holds/pull-list?branchId=${branch.B}`).set(bearer(librarian.A)).expect(403);
  });
});
