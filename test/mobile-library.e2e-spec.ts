import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { bearer, login, registerResident, everyDay } from './utils/factories';
import { startTestApp, TEST_ADMIN, TestApp } from './utils/test-app';

const EVERY_DAY = everyDay('08:00', '22:00');
const ZONE = 'Asia/Shanghai';

/** 流动图书车: the route's stops and visits, loans and returns at a stop counted for its community, holds picked up at a stop. */
describe('the mobile library', () => {
  let t: TestApp;
  let admin: string;
  let vanLibrarian: string;
  let libLibrarian: string;
  const region = { district: '', sub: '', c1: '', c2: '' };
  const branch = { lib: '', van: '', van2: '' };
  let recordId: string;
  let seq = 0;

  /** A day some days from today in the branch's zone: the visits' dates never depend on the machine's zone. */
  const day = (days: number) => DateTime.now().setZone(ZONE).plus({ days }).toISODate()!;

  async function addCopy(home: string) {
    const barcode = `MOB${String(++seq).padStart(5, '0')}`;
    await t.http().post('/api/catalog/items').set(bearer(admin)).send({ recordId, barcode, branchId: home, itemType: 'book' }).expect(201);
    return barcode;
  }

  async function addStop(name: string, regionId: string, token = vanLibrarian, extra: Record<string, unknown> = {}) {
    return (await t.http().post('/api/mobile-stops').set(bearer(token)).send({ name, regionId, place: `${name}广场`, ...extra }).expect(201)).body as { id: string; branchId: string };
  }

  beforeAll(async () => {
    t = await startTestApp();
    admin = (await login(t.http, TEST_ADMIN.username, TEST_ADMIN.password)).accessToken;
    const mkRegion = async (name: string, kind: string, parentId?: string) =>
      (await t.http().post('/api/regions').set(bearer(admin)).send({ name, kind, parentId, population: 1000 }).expect(201)).body.id as string;
    region.district = await mkRegion('流动区', 'district');
    region.sub = await mkRegion('车站街道', 'subdistrict', region.district);
    region.c1 = await mkRegion('东湖社区', 'community', region.sub);
    region.c2 = await mkRegion('西山村', 'village', region.sub);
    const mkBranch = async (name: string, kind: string, level: string, parentId?: string) =>
      (
        await t.http()
          .post('/api/branches')
          .set(bearer(admin))
          .send({ name, kind, level, regionId: region.district, parentId, sharedCirculation: true, openingHours: EVERY_DAY })
          .expect(201)
      ).body.id as string;
    branch.lib = await mkBranch('流动区图书馆', 'library', 'central');
    branch.van = await mkBranch('流动图书车一号', 'mobile', 'service_point', branch.lib);
    branch.van2 = await mkBranch('流动图书车二号', 'mobile', 'service_point', branch.lib);
    for (const [username, at] of [['van-lib', branch.van], ['lib-lib', branch.lib], ['van2-lib', branch.van2]]) {
      await t.http().post('/api/staff').set(bearer(admin)).send({ username, password: 'Desk12345', name: '馆员', role: 'librarian', branchIds: [at] }).expect(201);
    }
    vanLibrarian = (await login(t.http, 'van-lib', 'Desk12345')).accessToken;
    libLibrarian = (await login(t.http, 'lib-lib', 'Desk12345')).accessToken;
    recordId = (await t.http().post('/api/catalog/records').set(bearer(admin)).send({ title: '城南旧事', authors: ['林海音'] }).expect(201)).body.id;
  });
  afterAll(() => t.close());

  it('keeps stops of a mobile library only, in a community or village, and names the field it refuses', async () => {
    const refused = async (token: string, body: Record<string, unknown>, status: number) => (await t.http().post('/api/mobile-stops').set(bearer(token)).send(body).expect(status)).body;
    // Only a mobile library has stops; a stop serves a community or a village, not a subdistrict.
    expect((await refused(libLibrarian, { name: '馆前', regionId: region.c1 }, 400)).details.field).toBe('branchId');
    expect((await refused(vanLibrarian, { name: '街道口', regionId: region.sub }, 400)).details.field).toBe('regionId');
    expect((await refused(vanLibrarian, { name: '无处', regionId: '00000000-0000-4000-8000-000000000000' }, 404)).details.field).toBe('regionId');
    expect((await refused(vanLibrarian, { name: '', regionId: region.c1 }, 400)).details.fields).toContain('name');
    expect((await refused(vanLibrarian, { name: '东湖', regionId: 'not-a-uuid' }, 400)).details.fields).toContain('regionId');
    // A librarian acts at their own branch only.
    expect((await refused(vanLibrarian, { name: '东湖', regionId: region.c1, branchId: branch.van2 }, 403)).code).toBe('BRANCH_FORBIDDEN');

    const stop = await addStop('东湖站', region.c1);
    expect(stop).toMatchObject({ branchId: branch.van, regionId: region.c1, regionName: '东湖社区', name: '东湖站', place: '东湖站广场', visits: [] });
    const renamed = await t.http().patch(`/api/mobile-stops/${stop.id}`).set(bearer(vanLibrarian)).send({ name: '东湖社区站', regionId: region.c2 }).expect(200);
    expect(renamed.body).toMatchObject({ name: '东湖社区站', regionId: region.c2, place: '东湖站广场' });
    expect((await t.http().patch(`/api/mobile-stops/${stop.id}`).set(bearer(vanLibrarian)).send({ regionId: region.district }).expect(400)).body.details.field).toBe('regionId');
    // Another branch's librarian does not find it to change.
    await t.http().patch(`/api/mobile-stops/${stop.id}`).set(bearer(libLibrarian)).send({ name: '改名' }).expect(404);

    // Visits: dates that exist, an end after the start; the answer gives each visit's day and times in the branch's zone.
    const visits = (body: Record<string, unknown>) => t.http().post(`/api/mobile-stops/${stop.id}/visits`).set(bearer(vanLibrarian)).send(body);
    expect((await visits({ dates: [day(1), '2026-02-30'], starts: '09:30', ends: '11:00' }).expect(400)).body.details.errors[0].messages[0]).toContain('dates.1');
    expect((await visits({ dates: [], starts: '09:30', ends: '11:00' }).expect(400)).body.details.fields).toContain('dates');
    expect((await visits({ dates: [day(1)], starts: '9:30', ends: '11:00' }).expect(400)).body.details.fields).toContain('starts');
    expect((await visits({ dates: [day(1)], starts: '11:00', ends: '09:30' }).expect(400)).body.details.field).toBe('ends');
    const scheduled = await visits({ dates: [day(8), day(1)], starts: '09:30', ends: '11:00' }).expect(201);
    expect(scheduled.body.visits.map((v: { date: string; starts: string; ends: string }) => [v.date, v.starts, v.ends])).toEqual([
      [day(1), '09:30', '11:00'],
      [day(8), '09:30', '11:00'],
    ]);
    expect(new Date(scheduled.body.visits[0].startsAt).toISOString()).toBe(DateTime.fromISO(`${day(1)}T09:30`, { zone: ZONE }).toUTC().toISO());

    // Residents read the route without logging in.
    const route = await t.http().get(`/api/mobile-stops?branchId=${branch.van}`).expect(200);
    expect(route.body.find((s: { id: string }) => s.id === stop.id)).toMatchObject({ name: '东湖社区站', branchName: '流动图书车一号', visits: [{ date: day(1) }, { date: day(8) }] });
    expect((await t.http().get(`/api/mobile-stops?days=0`).expect(400)).body.details.fields).toContain('days');

    // A visit cancelled; the stop deleted with its visits (no hold names it).
    const first = scheduled.body.visits[0].id;
    await t.http().delete(`/api/mobile-stops/${stop.id}/visits/${first}`).set(bearer(libLibrarian)).expect(404);
    const after = await t.http().delete(`/api/mobile-stops/${stop.id}/visits/${first}`).set(bearer(vanLibrarian)).expect(200);
    expect(after.body.visits.map((v: { date: string }) => v.date)).toEqual([day(8)]);
    await t.http().delete(`/api/mobile-stops/${stop.id}/visits/${first}`).set(bearer(vanLibrarian)).expect(404);
    await t.http().delete(`/api/mobile-stops/${stop.id}`).set(bearer(vanLibrarian)).expect(200);
    await t.http().get(`/api/mobile-stops/${stop.id}`).expect(404);
  });

  it('has the van in one place at a time, even when many schedule it at once', async () => {
    const stops = await Promise.all(Array.from({ length: 8 }, (_, i) => addStop(`并发站${i}`, i % 2 ? region.c1 : region.c2)));
    // Eight stops, eight requests for overlapping times on the same day: exactly one wins.
    const answers = await Promise.all(
      stops.map((s, i) => t.http().post(`/api/mobile-stops/${s.id}/visits`).set(bearer(vanLibrarian)).send({ dates: [day(20)], starts: `10:0${i}`, ends: '12:00' })),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
    expect(answers.filter((a) => a.status === 409).every((a) => a.body.code === 'MOBILE_STOP_VISIT_OVERLAP' && a.body.details.field === 'dates')).toBe(true);
    // Back to back is fine; the other van is somewhere else of its own.
    await t.http().post(`/api/mobile-stops/${stops[0].id}/visits`).set(bearer(vanLibrarian)).send({ dates: [day(20)], starts: '12:00', ends: '13:00' }).expect(201);
    const van2 = await login(t.http, 'van2-lib', 'Desk12345');
    const other = await addStop('二号车站', region.c1, van2.accessToken);
    await t.http().post(`/api/mobile-stops/${other.id}/visits`).set(bearer(van2.accessToken)).send({ dates: [day(20)], starts: '10:00', ends: '12:00' }).expect(201);
    const listed = await t.http().get(`/api/mobile-stops?branchId=${branch.van}&days=30`).expect(200);
    expect(listed.body.flatMap((s: { visits: unknown[] }) => s.visits)).toHaveLength(2);
  });

  it('counts a loan and a return at a stop for the stop’s community, and refuses a stop of another branch naming stopId', async () => {
    const stop = await addStop('西山站', region.c2);
    const van2 = await login(t.http, 'van2-lib', 'Desk12345');
    const elsewhere = await addStop('别的车', region.c1, van2.accessToken);
    const r = await registerResident(t.http);
    const copy = await addCopy(branch.van);

    const wrong = await t.http().post('/api/circulation/checkout').set(bearer(vanLibrarian)).send({ cardNumber: r.cardNumber, barcode: copy, stopId: elsewhere.id }).expect(400);
    expect(wrong.body).toMatchObject({ code: 'MOBILE_STOP_NOT_AT_BRANCH', details: { field: 'stopId' } });
    expect((await t.http().post('/api/circulation/checkout').set(bearer(vanLibrarian)).send({ cardNumber: r.cardNumber, barcode: copy, stopId: 'x' }).expect(400)).body.details.fields).toContain('stopId');
    expect((await t.http().post('/api/circulation/checkin').set(bearer(vanLibrarian)).send({ barcode: copy, stopId: elsewhere.id }).expect(400)).body.details.field).toBe('stopId');
    expect((await t.http().post('/api/circulation/checkin').set(bearer(vanLibrarian)).send({ barcodes: [copy], stopId: elsewhere.id }).expect(400)).body.details.field).toBe('stopId');
    // Nothing happened: the copy is still on the shelf.
    expect((await t.http().get('/api/me/loans').set(bearer(r.accessToken)).expect(200)).body).toEqual([]);

    await t.http().post('/api/circulation/checkout').set(bearer(vanLibrarian)).send({ cardNumber: r.cardNumber, barcode: copy, stopId: stop.id }).expect(201);
    const [loan] = (await t.http().get('/api/me/loans').set(bearer(r.accessToken)).expect(200)).body;
    // The year the loan counts in, in the branch's zone (from the loan itself, so a year's end in between cannot mislead).
    const year = DateTime.fromISO(loan.checkedOutAt, { zone: ZONE }).year;
    const loanDay = DateTime.fromISO(loan.checkedOutAt, { zone: ZONE }).toISODate()!;
    const byRegion = await t.http().get(`/api/indicators/circulation_per_volume?plan=haidian-2015-2017&year=${year}&regionId=${region.sub}&by=region`).set(bearer(admin)).expect(200);
    const loansIn = Object.fromEntries(byRegion.body.breakdown.map((b: { key: string; numerator: number | null }) => [b.key, b.numerator ?? 0]));
    // The van's own region is the district; the loan counts in 西山村, where the stop is, and nowhere else in the subdistrict.
    expect(loansIn[region.c2]).toBe(1);
    expect(loansIn[region.c1]).toBe(0);

    const back = await t.http().post('/api/circulation/checkin').set(bearer(vanLibrarian)).send({ barcode: copy, stopId: stop.id }).expect(200);
    expect(back.body).toMatchObject({ wasOnLoan: true });
    const returns = (regionId: string) =>
      t.http().get(`/api/stats/usage?metric=return&from=${loanDay}&to=${DateTime.now().setZone(ZONE).toISODate()}&regionId=${regionId}`).set(bearer(admin)).expect(200);
    expect((await returns(region.c2)).body.total.events).toBe(1);
    expect((await returns(region.c1)).body.total.events).toBe(0);

    // Without a stop, the van's loans count where the van is registered (the district), as before.
    await t.http().post('/api/circulation/checkout').set(bearer(vanLibrarian)).send({ cardNumber: r.cardNumber, barcode: copy }).expect(201);
    const again = await t.http().get(`/api/indicators/circulation_per_volume?plan=haidian-2015-2017&year=${year}&regionId=${region.sub}&by=region`).set(bearer(admin)).expect(200);
    expect(again.body.breakdown.find((b: { key: string }) => b.key === region.c2).numerator).toBe(1);
  });

  it('counts a checkout and a return uploaded from the van\u2019s offline queue for the stop\u2019s community', async () => {
    const stop = await addStop('北安河站', region.c1);
    const r = await registerResident(t.http);
    // A title of its own: the copy back on the van's shelf must not serve the later tests' holds.
    const ownRecord = (await t.http().post('/api/catalog/records').set(bearer(admin)).send({ title: '离线车上书', authors: ['佚名'] }).expect(201)).body.id as string;
    const copy = 'MOBOFF01';
    await t.http().post('/api/catalog/items').set(bearer(admin)).send({ recordId: ownRecord, barcode: copy, branchId: branch.van, itemType: 'book' }).expect(201);
    // Usage counts on the day the upload is applied; yesterday to tomorrow holds it whatever the instant.
    const count = async (metric: 'loan' | 'return', regionId: string) =>
      (await t.http().get(`/api/stats/usage?metric=${metric}&from=${day(-1)}&to=${day(1)}&regionId=${regionId}`).set(bearer(admin)).expect(200)).body.total.events as number;
    const before = { loanC1: await count('loan', region.c1), returnC1: await count('return', region.c1), loanC2: await count('loan', region.c2) };
    const at = (secondsAgo: number) => new Date(Date.now() - secondsAgo * 1000).toISOString();
    const upload = await t.http()
      .post('/api/circulation/offline')
      .set(bearer(vanLibrarian))
      .send({
        transactions: [
          { clientId: randomUUID(), type: 'checkout', at: at(120), cardNumber: r.cardNumber, barcode: copy, stopId: stop.id },
          { clientId: randomUUID(), type: 'checkin', at: at(60), barcode: copy, stopId: stop.id },
        ],
      })
      .expect(200);
    expect(upload.body.items.map((i: { result: string }) => i.result)).toEqual(['applied', 'applied']);
    expect(await count('loan', region.c1)).toBe(before.loanC1 + 1);
    expect(await count('return', region.c1)).toBe(before.returnC1 + 1);
    expect(await count('loan', region.c2)).toBe(before.loanC2);

    // Another van's stop in the queue is a 400 naming the field, as online.
    const van2 = await login(t.http, 'van2-lib', 'Desk12345');
    const elsewhere = await addStop('别的站', region.c2, van2.accessToken);
    const wrong = await t.http()
      .post('/api/circulation/offline')
      .set(bearer(vanLibrarian))
      .send({ transactions: [{ clientId: randomUUID(), type: 'checkin', at: at(30), barcode: copy, stopId: elsewhere.id }] })
      .expect(200);
    expect(wrong.body.items[0]).toMatchObject({ result: 'conflict', code: 'MOBILE_STOP_NOT_AT_BRANCH' });
    const bad = await t.http().post('/api/circulation/offline').set(bearer(vanLibrarian)).send({ transactions: [{ clientId: randomUUID(), type: 'checkin', at: at(30), barcode: copy, stopId: 'x' }] }).expect(400);
    expect(bad.body.details.fields).toContain('transactions.0.stopId');
  });

  it('takes a hold for pickup at a stop to the van, shows it on that stop’s shelf, and tells the resident the next visit', async () => {
    const stop = await addStop('温泉站', region.c1);
    await t.http().post(`/api/mobile-stops/${stop.id}/visits`).set(bearer(vanLibrarian)).send({ dates: [day(3), day(10)], starts: '14:00', ends: '16:00' }).expect(201);
    const reader = await registerResident(t.http, { name: '林英子' });
    const copy = await addCopy(branch.lib);

    // A stop of one van with another branch as pickup is refused, naming pickupStopId.
    const mismatch = await t.http().post('/api/holds').set(bearer(reader.accessToken)).send({ recordId, pickupStopId: stop.id, pickupBranchId: branch.lib }).expect(400);
    expect(mismatch.body.details.field).toBe('pickupStopId');
    expect((await t.http().post('/api/holds').set(bearer(reader.accessToken)).send({ recordId }).expect(400)).body.details.fields).toContain('pickupBranchId');

    const hold = await t.http().post('/api/holds').set(bearer(reader.accessToken)).send({ recordId, pickupStopId: stop.id }).expect(201);
    expect(hold.body).toMatchObject({ pickupBranchId: branch.van, pickupStopId: stop.id, pickupStopName: '温泉站' });
    const mine = await t.http().get('/api/me/holds').set(bearer(reader.accessToken)).expect(200);
    const next = mine.body.find((h: { id: string }) => h.id === hold.body.id).pickupStopNextVisit;
    expect(new Date(next.startsAt).toISOString()).toBe(DateTime.fromISO(`${day(3)}T14:00`, { zone: ZONE }).toUTC().toISO());

    // The copy on the library's shelf was set aside and sent to the van; the van receives it for the stop's shelf.
    const transits = await t.http().get('/api/transits?direction=incoming').set(bearer(vanLibrarian)).expect(200);
    const transit = transits.body.find((x: { barcode: string }) => x.barcode === copy);
    expect(transit).toBeDefined();
    await t.http().post(`/api/transits/${transit.id}/receive`).set(bearer(vanLibrarian)).send({}).expect(201);
    const shelf = await t.http().get('/api/holds/shelf').set(bearer(vanLibrarian)).expect(200);
    expect(shelf.body).toEqual([expect.objectContaining({ id: hold.body.id, barcode: copy, stopId: stop.id, stopName: '温泉站' })]);
    // One stop's shelf: this stop's hold, none for another stop.
    expect((await t.http().get(`/api/holds/shelf?stopId=${stop.id}`).set(bearer(vanLibrarian)).expect(200)).body.map((h: { id: string }) => h.id)).toEqual([hold.body.id]);
    const otherStop = await addStop('另一站', region.c2);
    expect((await t.http().get(`/api/holds/shelf?stopId=${otherStop.id}`).set(bearer(vanLibrarian)).expect(200)).body).toEqual([]);
    // The resident is told where and when the van brings it.
    const [ready] = (await t.http().get('/api/me/notifications').set(bearer(reader.accessToken)).expect(200)).body.filter((n: { kind: string }) => n.kind === 'hold_ready');
    expect(ready.payload).toMatchObject({ stopId: stop.id, stopName: '温泉站', nextVisit: `${day(3)} 14:00` });
    expect(ready.body).toContain(`流动图书车将在 ${day(3)} 14:00 到温泉站。`);
    // A stop holds name cannot be deleted (the hold says where it was to be picked up).
    expect((await t.http().delete(`/api/mobile-stops/${stop.id}`).set(bearer(vanLibrarian)).expect(409)).body.code).toBe('MOBILE_STOP_IN_USE');
  });
});
