import { DateTime } from 'luxon';
import Redis from 'ioredis';
import { bearer, login, registerResident } from './utils/factories';
import { freePort, OwnRedis } from './utils/own-redis';
import { startTestApp, TEST_ADMIN, TestApp } from './utils/test-app';

const ZONE = 'Asia/Shanghai';
const at = (days: number, clock: string) =>
  DateTime.now().setZone(ZONE).startOf('day').plus({ days }).set({ hour: Number(clock.slice(0, 2)), minute: Number(clock.slice(3, 5)) }).toISO({ suppressMilliseconds: true })!;

/**
 * Redis stopped in the middle of a run: the API goes on serving reads and writes that do not need it,
 * says "degraded" in its health, and is whole again once Redis is back — on a Redis of the test's own.
 */
describe('running through a Redis outage', () => {
  let redis: OwnRedis;
  let t: TestApp;

  /** Asks /api/health until it reports `status` (the client notices a lost or returned Redis on its own schedule). */
  async function healthBecomes(status: string) {
    for (;;) {
      const res = await t.http().get('/api/health');
      if (res.body.status === status) return res;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  beforeAll(async () => {
    redis = new OwnRedis(await freePort());
    await redis.start();
    t = await startTestApp({ REDIS_URL: redis.url, RATE_LIMIT: 'on' });
  });
  afterAll(async () => {
    await t?.close();
    await redis?.stop();
  });

  it('keeps serving without Redis, reports degraded health, and recovers when Redis returns', async () => {
    const admin = (await login(t.http, TEST_ADMIN.username, TEST_ADMIN.password)).accessToken;
    const district = await t.http().post('/api/regions').set(bearer(admin)).send({ name: '断线区', kind: 'district' }).expect(201);
    const branchId = (await t.http().post('/api/branches').set(bearer(admin)).send({ name: '断线文化馆', kind: 'cultural_centre', level: 'central', regionId: district.body.id }).expect(201)).body.id;
    const activity = await t.http()
      .post('/api/activities')
      .set(bearer(admin))
      .send({ title: '停电也开讲', category: 'lecture', branchId, sessions: [{ startsAt: at(4, '14:00'), endsAt: at(4, '15:00'), capacity: 10 }] })
      .expect(201);
    const sessionId = (await t.http().get(`/api/activities/${activity.body.id}`).expect(200)).body.sessions[0].id;
    const resident = await registerResident(t.http);
    expect((await t.http().get('/api/health').expect(200)).body).toMatchObject({ status: 'ok', details: { redis: { status: 'up', mode: 'shared' } } });

    await redis.stop();
    const degraded = await healthBecomes('degraded');
    expect(degraded.status).toBe(200);
    expect(degraded.body).toMatchObject({ details: { database: { status: 'up' }, redis: { status: 'down' } }, error: { redis: { status: 'down' } } });

    // Reads, signed-in reads, writes, sign-up and log-in (rate limits counted by this instance meanwhile).
    await t.http().get('/api/branches').expect(200);
    await t.http().get('/api/me').set(bearer(resident.accessToken)).expect(200);
    const registration = await t.http().post(`/api/activities/${activity.body.id}/registrations`).set(bearer(resident.accessToken)).send({ sessionId }).expect(201);
    expect(registration.body.status).toBe('confirmed');
    const newcomer = await registerResident(t.http);
    // A logout still holds: the database answers the revocation check while Redis is away.
    await t.http().post('/api/auth/logout').set(bearer(newcomer.accessToken)).expect(204);
    await t.http().get('/api/me').set(bearer(newcomer.accessToken)).expect(401);
    // What lives only in Redis says so, as a 503 naming it rather than a server fault.
    const jobs = await t.http().get('/api/admin/jobs').set(bearer(admin)).expect(503);
    expect(jobs.body).toMatchObject({ code: 'SERVICE_UNAVAILABLE', details: { dependency: 'redis' } });

    await redis.start();
    await healthBecomes('ok');
    await t.http().get('/api/me').set(bearer(resident.accessToken)).expect(200);
    // The logout made during the outage was put back into Redis, where every instance looks.
    const sessionId_ = JSON.parse(Buffer.from(newcomer.accessToken.split('.')[1], 'base64url').toString()).sid;
    const probe = new Redis(redis.url);
    try {
      for (;;) {
        if (await probe.get(`${t.env.REDIS_PREFIX}auth:revoked-session:${sessionId_}`)) break;
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      probe.disconnect();
    }
    await t.http().get('/api/me').set(bearer(newcomer.accessToken)).expect(401);
    expect((await t.http().get('/api/admin/jobs').set(bearer(admin)).expect(200)).body.runner).toBe('bullmq');
  });
});
