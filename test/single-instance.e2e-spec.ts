import { DateTime } from 'luxon';
import { Socket } from 'socket.io-client';
import { DataSource } from 'typeorm';
import { REDIS_CLIENT } from '@lib/redis';
import { LogChannel, notify, NOTIFICATION_CHANNELS, NotificationChannel, OutboundNotice } from '@lib/notifications';
import { bearer, login, registerResident } from './utils/factories';
import { collect, connectLive, nextEvent } from './utils/live-client';
import { startTestApp, TEST_ADMIN, TestApp } from './utils/test-app';

const ZONE = 'Asia/Shanghai';
const at = (days: number, clock: string) =>
  DateTime.now().setZone(ZONE).startOf('day').plus({ days }).set({ hour: Number(clock.slice(0, 2)), minute: Number(clock.slice(3, 5)) }).toISO({ suppressMilliseconds: true })!;
const settle = () => new Promise((r) => setTimeout(r, 400));

type Seats = { sessionId: string; seatsLeft: number; waitlisted: number; confirmed: number; asOf: number };

/** A channel a deployment binds from outside the lib: here it only records what it was handed. */
class RecordingChannel implements NotificationChannel {
  readonly name = 'recording';
  readonly sent: OutboundNotice[] = [];
  async send(notice: OutboundNotice): Promise<void> {
    this.sent.push(notice);
  }
}

/**
 * One instance with no REDIS_URL: jobs on in-process timers, live updates from this process only, and an
 * outside notification channel bound by the app (`notificationChannels`) next to the default log channel.
 */
describe('one instance without Redis', () => {
  let t: TestApp;
  let admin: string;
  let librarian: string;
  let branchId: string;
  const recording = new RecordingChannel();
  const sockets: Socket[] = [];
  const open = async (...args: Parameters<typeof connectLive>) => {
    const s = await connectLive(...args);
    sockets.push(s);
    return s;
  };
  const sentTo = (recipientId: string, kind?: string) => recording.sent.filter((n) => n.recipientId === recipientId && (!kind || n.kind === kind));

  async function createActivity(capacity: number, days: number) {
    const res = await t.http()
      .post('/api/activities')
      .set(bearer(librarian))
      .send({ title: '单机直播体验课', category: 'class', branchId, sessions: [{ startsAt: at(days, '10:00'), endsAt: at(days, '11:00'), capacity }] })
      .expect(201);
    return { id: res.body.id as string, sessionId: (await t.http().get(`/api/activities/${res.body.id}`).expect(200)).body.sessions[0].id as string };
  }

  beforeAll(async () => {
    t = await startTestApp({ REDIS_URL: '' }, { listen: true, notificationChannels: [LogChannel, recording] });
    admin = (await login(t.http, TEST_ADMIN.username, TEST_ADMIN.password)).accessToken;
    const district = await t.http().post('/api/regions').set(bearer(admin)).send({ name: '单机区', kind: 'district' }).expect(201);
    branchId = (await t.http().post('/api/branches').set(bearer(admin)).send({ name: '单机文化馆', kind: 'cultural_centre', level: 'central', regionId: district.body.id }).expect(201)).body.id;
    await t.http().post('/api/staff').set(bearer(admin)).send({ username: 'solo-lib', password: 'SoloLib12345', name: '单机馆员', role: 'librarian', branchIds: [branchId] }).expect(201);
    librarian = (await login(t.http, 'solo-lib', 'SoloLib12345')).accessToken;
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await t?.close();
  });

  it('really runs without Redis, with the app’s channels bound', () => {
    expect(t.env.REDIS_URL).toBeUndefined();
    expect(t.app.get(REDIS_CLIENT, { strict: false })).toBeNull();
    const channels = t.app.get<NotificationChannel[]>(NOTIFICATION_CHANNELS, { strict: false });
    expect(channels.map((c) => c.name)).toEqual(['log', 'recording']);
    expect(channels[1]).toBe(recording);
  });

  it('reports the in-process job runner, running here, with every schedule', async () => {
    const overview = (await t.http().get('/api/admin/jobs').set(bearer(admin)).expect(200)).body;
    expect(overview).toMatchObject({ runner: 'in-process', runningHere: true, lastFailures: [] });
    const schedules = Object.fromEntries(overview.schedules.map((s: { job: string; everySeconds: number }) => [s.job, s.everySeconds]));
    expect(schedules).toEqual({
      'expire-holds': t.env.HOUSEKEEPING_INTERVAL_SECONDS,
      'mark-session-no-shows': t.env.HOUSEKEEPING_INTERVAL_SECONDS,
      'close-venue-bookings': t.env.HOUSEKEEPING_INTERVAL_SECONDS,
      'loan-reminders': 3600,
      'purge-expired': 3600,
      'purge-personal-data-log': 86_400,
      'rebuild-recent-rollups': 86_400,
      'rebuild-usage-rollups': 0,
    });
    // The nightly one is next due at 03:00 in the district, within a day.
    const nightly = overview.schedules.find((s: { job: string }) => s.job === 'rebuild-recent-rollups');
    const next = DateTime.fromISO(nightly.next).setZone(ZONE);
    expect([next.hour, next.minute]).toEqual([3, 0]);
    expect(next.toMillis() - Date.now()).toBeLessThanOrEqual(86_400_000);
  });

  it('pushes session.seats to a /public watcher as residents register, each push read later than the last', async () => {
    const { id, sessionId } = await createActivity(2, 4);
    const watcher = await open(t.baseUrl!, '/public');
    const watched = await watcher.emitWithAck('watch', { sessionId });
    expect(watched).toMatchObject({ ok: true, seats: { seatsLeft: 2, waitlisted: 0, asOf: expect.any(Number) } });
    const pushes = collect<Seats>(watcher, 'session.seats');
    const residents = [await registerResident(t.http), await registerResident(t.http), await registerResident(t.http)];
    for (const [i, expected] of [
      [0, { seatsLeft: 1, waitlisted: 0 }],
      [1, { seatsLeft: 0, waitlisted: 0 }],
      [2, { seatsLeft: 0, waitlisted: 1 }],
    ] as const) {
      const seen = nextEvent<Seats>(watcher, 'session.seats', (s) => s.sessionId === sessionId && s.seatsLeft === expected.seatsLeft && s.waitlisted === expected.waitlisted);
      await t.http().post(`/api/activities/${id}/registrations`).set(bearer(residents[i].accessToken)).send({ sessionId }).expect(201);
      await seen;
    }
    pushes.stop();
    const positions = [watched.seats.asOf, ...pushes.seen.map((s) => s.asOf)];
    expect(positions).toEqual([...positions].sort((x, y) => x - y));
    expect(new Set(positions).size).toBe(positions.length);
  });

  it('pushes a personal notice on /live and hands it to the app’s channel exactly once', async () => {
    await expect(connectLive(t.baseUrl!, '/live')).rejects.toThrow('UNAUTHENTICATED');
    const { id, sessionId } = await createActivity(1, 5);
    const first = await registerResident(t.http);
    const waiting = await registerResident(t.http);
    await t.http().post(`/api/activities/${id}/registrations`).set(bearer(first.accessToken)).send({ sessionId }).expect(201);
    await t.http().post(`/api/activities/${id}/registrations`).set(bearer(waiting.accessToken)).send({ sessionId }).expect(201);
    const personal = await open(t.baseUrl!, '/live', waiting.accessToken);
    const promoted = nextEvent<{ id: string; kind: string; recipientId: string }>(personal, 'notification', (n) => n.kind === 'registration_promoted');

    const mine = (await t.http().get('/api/me/registrations').set(bearer(first.accessToken)).expect(200)).body as Array<{ id: string; sessionId: string }>;
    await t.http().post(`/api/registrations/${mine.find((r) => r.sessionId === sessionId)!.id}/cancel`).set(bearer(first.accessToken)).expect(200);
    const notice = await promoted;
    expect(notice).toMatchObject({ recipientId: waiting.id });
    await settle();
    const out = sentTo(waiting.id);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ id: notice.id, kind: 'registration_promoted', recipientKind: 'patron', text: { en: { title: 'You have a seat' } } });
  });

  it('hands a notice to the channel once its transaction commits, and never one whose transaction rolled back', async () => {
    const r = await registerResident(t.http);
    const db = t.app.get(DataSource);
    const notice = { recipientKind: 'patron' as const, recipientId: r.id, payload: { title: '测试活动', startsAt: at(3, '10:00'), reason: '测试' } };

    await expect(
      db.transaction(async (em) => {
        await notify(em, { ...notice, kind: 'activity_cancelled' });
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    // A savepoint rolled back inside a transaction that commits: its notice goes nowhere either; the outer one goes.
    await db.transaction(async (em) => {
      await em.transaction(async (inner) => notify(inner, { ...notice, kind: 'activity_cancelled', payload: { ...notice.payload, reason: 'inner' } })).catch(() => undefined);
      await expect(
        em.transaction(async (inner) => {
          await notify(inner, { ...notice, kind: 'activity_cancelled', payload: { ...notice.payload, reason: 'rolled back' } });
          throw new Error('inner rollback');
        }),
      ).rejects.toThrow('inner rollback');
      // Nothing leaves before the commit.
      await settle();
      expect(sentTo(r.id)).toEqual([]);
    });
    await settle();
    const out = sentTo(r.id);
    expect(out.map((n) => n.payload.reason)).toEqual(['inner']);
    const inbox = (await t.http().get('/api/me/notifications').set(bearer(r.accessToken)).expect(200)).body;
    expect(inbox.map((n: { id: string }) => n.id)).toEqual([out[0].id]);
  });
});
