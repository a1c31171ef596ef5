import { DateTime } from 'luxon';
import { Socket } from 'socket.io-client';
import { DataSource } from 'typeorm';
import { LiveEvent, LiveEvents, publishAfterCommit, rooms } from '@lib/realtime';
import { bearer, login, registerResident, Resident, everyDay } from './utils/factories';
import { connectLive, nextEvent } from './utils/live-client';
import { startTestApp, TEST_ADMIN, TestApp } from './utils/test-app';

const ZONE = 'Asia/Shanghai';
const at = (days: number, clock: string) =>
  DateTime.now().setZone(ZONE).startOf('day').plus({ days }).set({ hour: Number(clock.slice(0, 2)), minute: Number(clock.slice(3, 5)) }).toISO({ suppressMilliseconds: true })!;

type Seats = { sessionId: string; seatsLeft: number; waitlisted: number; confirmed: number; asOf: number };

/** Two API instances of one deployment (one database, one Redis prefix), each on its own port. */
describe('live updates across two instances', () => {
  let a: TestApp;
  let b: TestApp;
  let librarian: string;
  let branchId: string;
  const sockets: Socket[] = [];
  const open = async (...args: Parameters<typeof connectLive>) => {
    const s = await connectLive(...args);
    sockets.push(s);
    return s;
  };

  async function createActivity(capacity: number, days: number) {
    const res = await b.http()
      .post('/api/activities')
      .set(bearer(librarian))
      .send({ title: '少儿编程体验课', category: 'class', branchId, sessions: [{ startsAt: at(days, '10:00'), endsAt: at(days, '11:00'), capacity }] })
      .expect(201);
    return (await a.http().get(`/api/activities/${res.body.id}`).expect(200)).body as { id: string; sessions: Array<{ id: string }> };
  }

  beforeAll(async () => {
    a = await startTestApp({}, { listen: true });
    b = await startTestApp({}, { listen: true, sameDeploymentAs: a });
    const admin = (await login(a.http, TEST_ADMIN.username, TEST_ADMIN.password)).accessToken;
    const district = await a.http().post('/api/regions').set(bearer(admin)).send({ name: '直播区', kind: 'district' }).expect(201);
    branchId = (await a.http().post('/api/branches').set(bearer(admin)).send({ name: '直播文化馆', kind: 'cultural_centre', level: 'central', regionId: district.body.id }).expect(201)).body.id;
    await a.http().post('/api/staff').set(bearer(admin)).send({ username: 'live-lib', password: 'LiveLib12345', name: '直播馆员', role: 'librarian', branchIds: [branchId] }).expect(201);
    librarian = (await login(b.http, 'live-lib', 'LiveLib12345')).accessToken;
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await b.close();
    await a.close();
  });

  it('shows a watcher on instance A the seats fall as residents register on instance B', async () => {
    const activity = await createActivity(3, 5);
    const sessionId = activity.sessions[0].id;
    const watcher = await open(a.baseUrl!, '/public');
    const watched = await watcher.emitWithAck('watch', { sessionId });
    expect(watched).toMatchObject({ ok: true, seats: { seatsLeft: 3, waitlisted: 0 } });

    const residents: Resident[] = [];
    for (let i = 0; i < 4; i++) residents.push(await registerResident(b.http));
    let lastAsOf = watched.seats.asOf as number;
    for (let i = 0; i < 3; i++) {
      const expected = 2 - i;
      const seen = nextEvent<Seats>(watcher, 'session.seats', (s) => s.sessionId === sessionId && s.seatsLeft === expected);
      await b.http().post(`/api/activities/${activity.id}/registrations`).set(bearer(residents[i].accessToken)).send({ sessionId }).expect(201);
      const seats = await seen;
      expect(seats).toMatchObject({ seatsLeft: expected, confirmed: 3 - expected, waitlisted: 0 });
      // Read on B after a later commit than the last count A's watcher had: a later position, whichever instance read it.
      expect(seats.asOf).toBeGreaterThan(lastAsOf);
      lastAsOf = seats.asOf;
    }
    const full = nextEvent<Seats>(watcher, 'session.seats', (s) => s.sessionId === sessionId && s.waitlisted === 1);
    const last = await b.http().post(`/api/activities/${activity.id}/registrations`).set(bearer(residents[3].accessToken)).send({ sessionId }).expect(201);
    expect(last.body.status).toBe('waitlisted');
    expect(await full).toMatchObject({ seatsLeft: 0, waitlisted: 1 });
  });

  it('tells watchers of a venue on A when a span is booked and freed on B', async () => {
    const admin = (await login(b.http, TEST_ADMIN.username, TEST_ADMIN.password)).accessToken;
    const region = await b.http().post('/api/regions').set(bearer(admin)).send({ name: '场馆直播区', kind: 'district' }).expect(201);
    const hours = everyDay('08:00', '22:00');
    const centre = (await b.http().post('/api/branches').set(bearer(admin)).send({ name: '场馆直播中心', kind: 'cultural_centre', level: 'central', regionId: region.body.id, openingHours: hours }).expect(201)).body.id;
    const venueId = (await b.http().post('/api/venues').set(bearer(admin)).send({ branchId: centre, name: '直播排练室', kind: 'room', capacity: 20 }).expect(201)).body.id as string;
    const watcher = await open(a.baseUrl!, '/public');
    expect(await watcher.emitWithAck('watch', { venueId })).toMatchObject({ ok: true });
    expect(await watcher.emitWithAck('watch', { venueId: 'not-a-uuid' })).toMatchObject({ error: { code: 'VALIDATION_FAILED', field: 'venueId' } });
    const r = await registerResident(b.http);
    const taken = nextEvent<{ venueId: string; status: string }>(watcher, 'venue.availability', (e) => e.venueId === venueId && e.status === 'confirmed');
    const booking = await b.http().post(`/api/venues/${venueId}/bookings`).set(bearer(r.accessToken)).send({ startsAt: at(3, '10:00'), endsAt: at(3, '11:00'), purpose: '排练' });
    expect(booking.status).toBe(201);
    expect(await taken).toMatchObject({ startsAt: new Date(at(3, '10:00')).toISOString(), kind: 'booking' });
    const freed = nextEvent<{ venueId: string; status: string }>(watcher, 'venue.availability', (e) => e.venueId === venueId && e.status === 'cancelled');
    await b.http().post(`/api/bookings/${booking.body.id}/cancel`).set(bearer(r.accessToken)).expect(200);
    expect(await freed).toMatchObject({ venueId });
  });

  it('refuses a personal connection without a valid access token, and pushes a resident’s notice from B to A', async () => {
    await expect(connectLive(a.baseUrl!, '/live')).rejects.toThrow('UNAUTHENTICATED');
    await expect(connectLive(a.baseUrl!, '/live', 'not-a-token')).rejects.toThrow('UNAUTHENTICATED');

    const activity = await createActivity(1, 6);
    const sessionId = activity.sessions[0].id;
    const first = await registerResident(b.http);
    const waiting = await registerResident(b.http);
    await b.http().post(`/api/activities/${activity.id}/registrations`).set(bearer(first.accessToken)).send({ sessionId }).expect(201);
    await b.http().post(`/api/activities/${activity.id}/registrations`).set(bearer(waiting.accessToken)).send({ sessionId }).expect(201);

    const personal = await open(a.baseUrl!, '/live', waiting.accessToken);
    const bystander = await open(a.baseUrl!, '/live', first.accessToken);
    const strayNotices: unknown[] = [];
    bystander.on('notification', (n) => strayNotices.push(n));
    const promoted = nextEvent<{ kind: string; recipientId: string; text: { en: { title: string } } }>(personal, 'notification', (n) => n.kind === 'registration_promoted');

    const mine = (await b.http().get('/api/me/registrations').set(bearer(first.accessToken)).expect(200)).body as Array<{ id: string; sessionId: string }>;
    await b.http().post(`/api/registrations/${mine.find((r) => r.sessionId === sessionId)!.id}/cancel`).set(bearer(first.accessToken)).expect(200);
    const notice = await promoted;
    expect(notice).toMatchObject({ recipientId: waiting.id, text: { en: { title: 'You have a seat' } } });
    // The inbox holds the same notice, and the other resident heard nothing of it.
    const inbox = (await a.http().get('/api/me/notifications').set(bearer(waiting.accessToken)).expect(200)).body;
    expect(inbox.map((n: { kind: string }) => n.kind)).toContain('registration_promoted');
    // A stray push would travel the same way as the wanted one: give it time to arrive before saying none did.
    await new Promise((r) => setTimeout(r, 500));
    expect(strayNotices).toEqual([]);
  });

  it('closes a resident’s live connections on every instance when they log out', async () => {
    const r = await registerResident(b.http);
    const onA = await open(a.baseUrl!, '/live', r.accessToken);
    const onB = await open(b.baseUrl!, '/live', r.accessToken);
    const other = await registerResident(b.http);
    const bystander = await open(a.baseUrl!, '/live', other.accessToken);
    const closed = (s: Socket) => new Promise<string>((resolve) => s.once('disconnect', (reason) => resolve(reason)));
    const [closedA, closedB] = [closed(onA), closed(onB)];
    await b.http().post('/api/auth/logout').set(bearer(r.accessToken)).expect((res) => expect(res.status).toBeLessThan(300));
    expect(await Promise.all([closedA, closedB])).toEqual(['io server disconnect', 'io server disconnect']);
    // Someone else's connection stays, and the ended session's token cannot connect again.
    expect(bystander.connected).toBe(true);
    await expect(connectLive(a.baseUrl!, '/live', r.accessToken)).rejects.toThrow('UNAUTHENTICATED');
  });

  it('tells a branch’s staff on A that a copy is on its way to them and then on their hold shelf, caused on B', async () => {
    const admin = (await login(b.http, TEST_ADMIN.username, TEST_ADMIN.password)).accessToken;
    const hours = everyDay('08:00', '22:00');
    const region = await b.http().post('/api/regions').set(bearer(admin)).send({ name: '通还区', kind: 'district' }).expect(201);
    const library = async (name: string, level: string, parentId?: string) =>
      (await b.http().post('/api/branches').set(bearer(admin)).send({ name, kind: 'library', level, regionId: region.body.id, parentId, sharedCirculation: true, openingHours: hours }).expect(201)).body.id as string;
    const home = await library('通还总馆', 'central');
    const pickup = await library('通还分馆', 'branch', home);
    await b.http().post('/api/staff').set(bearer(admin)).send({ username: 'pickup-lib', password: 'Pickup12345', name: '取书馆员', role: 'librarian', branchIds: [pickup] }).expect(201);
    const pickupLibrarian = (await login(b.http, 'pickup-lib', 'Pickup12345')).accessToken;
    const record = await b.http().post('/api/catalog/records').set(bearer(admin)).send({ title: '红楼梦', authors: ['曹雪芹'] }).expect(201);
    await b.http().post('/api/catalog/items').set(bearer(admin)).send({ recordId: record.body.id, barcode: 'LIVE000001', branchId: home, itemType: 'book' }).expect(201);
    const reader = await registerResident(b.http);

    const staff = await open(a.baseUrl!, '/live', pickupLibrarian);
    const personal = await open(a.baseUrl!, '/live', reader.accessToken);
    const onTheWay = nextEvent<{ barcode: string; toBranchId: string; transitId: string }>(staff, 'transit.sent', (e) => e.barcode === 'LIVE000001');
    await b.http().post('/api/holds').set(bearer(reader.accessToken)).send({ recordId: record.body.id, pickupBranchId: pickup }).expect(201);
    const sent = await onTheWay;
    expect(sent).toMatchObject({ toBranchId: pickup, fromBranchId: home, reason: 'hold' });

    const trapped = nextEvent<{ barcode: string; branchId: string }>(staff, 'hold.trapped', (e) => e.barcode === 'LIVE000001');
    const ready = nextEvent<{ kind: string }>(personal, 'notification', (n) => n.kind === 'hold_ready');
    await b.http().post(`/api/transits/${sent.transitId}/receive`).set(bearer(pickupLibrarian)).send({}).expect(201);
    expect(await trapped).toMatchObject({ branchId: pickup, title: '红楼梦' });
    expect(await ready).toMatchObject({ kind: 'hold_ready', payload: { branchId: pickup } });
  });

  it('answers a retry with the same Idempotency-Key on the other instance with the first answer', async () => {
    const activity = await createActivity(5, 7);
    const sessionId = activity.sessions[0].id;
    const r = await registerResident(a.http);
    const send = (t: TestApp) =>
      t.http().post(`/api/activities/${activity.id}/registrations`).set(bearer(r.accessToken)).set('Idempotency-Key', 'flash-retry-1').send({ sessionId });
    const first = await send(a).expect(201);
    const retry = await send(b).expect(201);
    expect(retry.body).toEqual(first.body);
    const [{ n }] = await b.app.get(DataSource).query(`SELECT count(*)::int AS n FROM registration WHERE patron_id = $1`, [r.id]);
    expect(n).toBe(1);
  });

  it('sends what a transaction published only when it commits, never when it rolls back', async () => {
    const delivered: LiveEvent[] = [];
    // Only this test's probes: a seat refresh left over from an earlier test may still be on its way to the sink.
    const detach = a.app.get(LiveEvents).attach({ deliver: (e) => void (e.event === 'probe' && delivered.push(e)) });
    const db = a.app.get(DataSource);
    const event = (n: number): LiveEvent => ({ room: rooms.patron('00000000-0000-0000-0000-000000000000'), event: 'probe', data: { n } });
    await expect(
      db.transaction(async (em) => {
        publishAfterCommit(em, event(1));
        await em.query('SELECT 1');
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    await db.transaction(async (em) => {
      publishAfterCommit(em, event(2));
      // A nested transaction is a savepoint: what it queued goes with it when it rolls back, and waits for the outer commit when it succeeds.
      await expect(
        em.transaction(async (inner) => {
          publishAfterCommit(inner, event(3));
          throw new Error('savepoint rolled back');
        }),
      ).rejects.toThrow('savepoint rolled back');
      await em.transaction(async (inner) => publishAfterCommit(inner, event(4)));
      // A later savepoint rolling back takes only its own events, not those of one already released.
      await expect(
        em.transaction(async (inner) => {
          publishAfterCommit(inner, event(5));
          throw new Error('another savepoint rolled back');
        }),
      ).rejects.toThrow('another savepoint rolled back');
      expect(delivered).toEqual([]); // not before the outer commit
    });
    detach();
    expect(delivered.map((e) => e.data.n)).toEqual([2, 4]);
  });
});
