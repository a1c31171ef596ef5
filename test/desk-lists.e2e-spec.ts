import { DateTime } from 'luxon';
import { bearer, login, registerResident, everyDay } from './utils/factories';
import { startTestApp, TEST_ADMIN, TestApp } from './utils/test-app';

const EVERY_DAY = everyDay('08:00', '22:00');
const at = (days: number, clock: string) =>
  DateTime.now().setZone('Asia/Shanghai').startOf('day').plus({ days }).set({ hour: Number(clock.slice(0, 2)), minute: 0 }).toISO({ suppressMilliseconds: true })!;

/** What the desk lists for its own branch: bookings waiting for approval, and the hold shelf. */
describe('desk lists', () => {
  let t: TestApp;
  let admin: string;
  const branch = { A: '', B: '' };
  const librarian = { A: '', B: '' };

  beforeAll(async () => {
    t = await startTestApp();
    admin = (await login(t.http, TEST_ADMIN.username, TEST_ADMIN.password)).accessToken;
    const region = (await t.http().post('/api/regions').set(bearer(admin)).send({ name: '柜台区', kind: 'district' }).expect(201)).body.id;
    branch.A = (await t.http().post('/api/branches').set(bearer(admin)).send({ name: '甲馆', kind: 'library', level: 'central', regionId: region, sharedCirculation: true, openingHours: EVERY_DAY }).expect(201)).body.id;
    branch.B = (
      await t.http().post('/api/branches').set(bearer(admin)).send({ name: '乙馆', kind: 'library', level: 'branch', parentId: branch.A, regionId: region, sharedCirculation: true, openingHours: EVERY_DAY }).expect(201)
    ).body.id;
    for (const k of ['A', 'B'] as const) {
      await t.http().post('/api/staff').set(bearer(admin)).send({ username: `desk-${k.toLowerCase()}`, password: 'Desk12345', name: k, role: 'librarian', branchIds: [branch[k]] }).expect(201);
      librarian[k] = (await login(t.http, `desk-${k.toLowerCase()}`, 'Desk12345')).accessToken;
    }
  });
  afterAll(() => t.close());

  it('lists a branch’s bookings waiting for approval, soonest first, to its own staff only', async () => {
    const hall = (await t.http().post('/api/venues').set(bearer(librarian.A)).send({ name: '报告厅', kind: 'hall', capacity: 100, requiresApproval: true, maxUpcomingPerPerson: 5 }).expect(201)).body.id;
    const room = (await t.http().post('/api/venues').set(bearer(librarian.A)).send({ name: '小活动室', kind: 'room', capacity: 10 }).expect(201)).body.id;
    const [r, other] = await Promise.all([registerResident(t.http), registerResident(t.http)]);
    const book = (venue: string, day: number, from: string, to: string, who = r) =>
      t.http().post(`/api/venues/${venue}/bookings`).set(bearer(who.accessToken)).send({ startsAt: at(day, from), endsAt: at(day, to), purpose: `${day}-${from}` }).expect(201);
    const later = await book(hall, 3, '10:00', '11:00');
    const sooner = await book(hall, 2, '10:00', '11:00');
    const confirmed = await book(room, 2, '14:00', '15:00', other);
    expect([later.body.status, sooner.body.status, confirmed.body.status]).toEqual(['pending', 'pending', 'confirmed']);

    const pending = await t.http().get('/api/bookings').set(bearer(librarian.A)).expect(200);
    expect(pending.body.map((b: { id: string }) => b.id)).toEqual([sooner.body.id, later.body.id]);
    expect(pending.body[0]).toMatchObject({ status: 'pending', purpose: '2-10:00', venue: { name: '报告厅' } });
    const others = await t.http().get('/api/bookings?status=confirmed').set(bearer(librarian.A)).expect(200);
    expect(others.body.map((b: { id: string }) => b.id)).toEqual([confirmed.body.id]);

    await t.http().post(`/api/bookings/${sooner.body.id}/approve`).set(bearer(librarian.A)).expect(200);
    expect((await t.http().get('/api/bookings').set(bearer(librarian.A)).expect(200)).body.map((b: { id: string }) => b.id)).toEqual([later.body.id]);

    expect((await t.http().get('/api/bookings').set(bearer(librarian.B)).expect(200)).body).toEqual([]);
    expect((await t.http().get(`/api/bookings?branchId=${branch.A}`).set(bearer(librarian.B)).expect(403)).body.code).toBe('BRANCH_FORBIDDEN');
    expect((await t.http().get('/api/bookings').set(bearer(admin)).expect(400)).body.details.errors[0].field).toBe('branchId');
    await t.http().get('/api/bookings').set(bearer(r.accessToken)).expect(403);
  });

  it('lists the hold shelf with whose each copy is and until when', async () => {
    const record = (await t.http().post('/api/catalog/records').set(bearer(admin)).send({ title: '平凡的世界', authors: ['路遥'] }).expect(201)).body.id;
    await t.http().post('/api/catalog/items').set(bearer(admin)).send({ recordId: record, barcode: 'DESK0001', branchId: branch.A, itemType: 'book' }).expect(201);
    const r = await registerResident(t.http, { name: '取书人' });
    const hold = await t.http().post('/api/holds').set(bearer(r.accessToken)).send({ recordId: record, pickupBranchId: branch.A }).expect(201);
    // A copy on the shelf at the pickup branch is trapped at once.
    expect(hold.body.status).toBe('ready');

    const shelf = await t.http().get('/api/holds/shelf').set(bearer(librarian.A)).expect(200);
    expect(shelf.body).toEqual([
      { id: hold.body.id, title: '平凡的世界', barcode: 'DESK0001', patronName: '取书人', cardNumber: r.cardNumber, readyAt: expect.any(String), expiresAt: hold.body.expiresAt, stopId: null, stopName: null },
    ]);
    expect((await t.http().get('/api/holds/shelf').set(bearer(librarian.B)).expect(200)).body).toEqual([]);
    await t.http().get(`/api/holds/shelf?branchId=${branch.A}`).set(bearer(librarian.B)).expect(403);

    await t.http().post('/api/circulation/checkout').set(bearer(librarian.A)).send({ cardNumber: r.cardNumber, barcode: 'DESK0001' }).expect(201);
    expect((await t.http().get('/api/holds/shelf').set(bearer(librarian.A)).expect(200)).body).toEqual([]);
  });
});
