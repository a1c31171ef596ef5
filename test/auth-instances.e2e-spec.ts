import Redis from 'ioredis';
import { SessionService } from '../libs/auth/src/services/session.service';
import { bearer, login, registerResident } from './utils/factories';
import { freePort, OwnRedis } from './utils/own-redis';
import { startTestApp, TEST_ADMIN, TestApp } from './utils/test-app';

const sessionOf = (token: string): string => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).sid;

/**
 * Two API instances of one deployment on a Redis of the test's own. Each keeps its own copy of the
 * recent revocations, fed by Redis pub/sub, and answers token checks from it while its feed is current;
 * a logout on one is refused on the other as soon as the logout has answered, and while the feed is
 * away the store and then the database answer, as before there was a copy.
 */
describe('revocations across instances', () => {
  let redis: OwnRedis;
  let probe: Redis;
  let a: TestApp;
  let b: TestApp;
  const heardLocally = (t: TestApp) => t.app.get(SessionService, { strict: false }).revocationsHeardLocally;
  /** Waits (bounded by the test's timeout) until the instance's feed is, or is not, current. */
  async function feedIs(t: TestApp, current: boolean) {
    while (heardLocally(t) !== current) await new Promise((r) => setTimeout(r, 50));
  }

  beforeAll(async () => {
    redis = new OwnRedis(await freePort());
    await redis.start();
    a = await startTestApp({ REDIS_URL: redis.url });
    b = await startTestApp({ REDIS_URL: redis.url }, { sameDeploymentAs: a });
    probe = new Redis(redis.url);
    probe.on('error', () => undefined); // while the test's Redis is stopped
  });
  afterAll(async () => {
    probe?.disconnect();
    await b?.close();
    await a?.close();
    await redis?.stop();
  });

  it('refuses on B a token logged out on A as soon as the logout answers, from B’s own copy', async () => {
    await Promise.all([feedIs(a, true), feedIs(b, true)]);
    const r = await registerResident(a.http);
    const other = await registerResident(b.http);
    await b.http().get('/api/me').set(bearer(r.accessToken)).expect(200);

    await a.http().post('/api/auth/logout').set(bearer(r.accessToken)).expect(204);
    // No waiting: the logout answered only after Redis had handed the message to B's subscriber.
    expect((await b.http().get('/api/me').set(bearer(r.accessToken)).expect(401)).body.code).toBe('TOKEN_INVALID');
    await a.http().get('/api/me').set(bearer(r.accessToken)).expect(401);
    await b.http().get('/api/me').set(bearer(other.accessToken)).expect(200);

    // B did not ask the store: with the shared key gone, its copy still refuses the session.
    await probe.del(`${a.env.REDIS_PREFIX}auth:revoked-session:${sessionOf(r.accessToken)}`);
    await b.http().get('/api/me').set(bearer(r.accessToken)).expect(401);
    expect(heardLocally(b)).toBe(true);
  });

  it('ends a disabled staff member’s sessions on the other instance too', async () => {
    const admin = (await login(a.http, TEST_ADMIN.username, TEST_ADMIN.password)).accessToken;
    const district = await a.http().post('/api/regions').set(bearer(admin)).send({ name: '双机区', kind: 'district' }).expect(201);
    const branchId = (await a.http().post('/api/branches').set(bearer(admin)).send({ name: '双机文化馆', kind: 'cultural_centre', level: 'central', regionId: district.body.id }).expect(201)).body.id;
    const staff = await a.http().post('/api/staff').set(bearer(admin)).send({ username: 'twin-lib', password: 'TwinLib12345', name: '双机馆员', role: 'librarian', branchIds: [branchId] }).expect(201);
    const [first, second] = [await login(b.http, 'twin-lib', 'TwinLib12345'), await login(a.http, 'twin-lib', 'TwinLib12345')];
    await b.http().get('/api/me').set(bearer(first.accessToken)).expect(200);

    await a.http().patch(`/api/staff/${staff.body.id}`).set(bearer(admin)).send({ active: false }).expect(200);
    await b.http().get('/api/me').set(bearer(first.accessToken)).expect(401);
    await b.http().get('/api/me').set(bearer(second.accessToken)).expect(401);
  });

  it('falls back to the database while the feed is away, and knows the logout once it is back', async () => {
    const r = await registerResident(a.http);
    const other = await registerResident(a.http);

    await redis.stop();
    await Promise.all([feedIs(a, false), feedIs(b, false)]);
    // Logged out on A while Redis is away: only the database knows, and B asks it.
    await a.http().post('/api/auth/logout').set(bearer(r.accessToken)).expect(204);
    await b.http().get('/api/me').set(bearer(r.accessToken)).expect(401);
    await b.http().get('/api/me').set(bearer(other.accessToken)).expect(200);

    await redis.start();
    await Promise.all([feedIs(a, true), feedIs(b, true)]);
    await b.http().get('/api/me').set(bearer(r.accessToken)).expect(401);
    // The copy has it (read from the database on resubscribing, or republished by A's restore), not only the store.
    const key = `${a.env.REDIS_PREFIX}auth:revoked-session:${sessionOf(r.accessToken)}`;
    while (!(await probe.get(key))) await new Promise((res) => setTimeout(res, 50)); // A's restore, on its own schedule
    await probe.del(key);
    await b.http().get('/api/me').set(bearer(r.accessToken)).expect(401);
    await b.http().get('/api/me').set(bearer(other.accessToken)).expect(200);
  });
});
