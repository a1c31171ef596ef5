import { DateTime } from 'luxon';
import { bearer, login, registerResident, RESIDENT_PASSWORD, uniquePhone } from './utils/factories';
import { startTestApp, TEST_ADMIN, TestApp } from './utils/test-app';

const ZONE = 'Asia/Shanghai';
const at = (days: number, clock: string) =>
  DateTime.now().setZone(ZONE).startOf('day').plus({ days }).set({ hour: Number(clock.slice(0, 2)), minute: Number(clock.slice(3, 5)) }).toISO({ suppressMilliseconds: true })!;

/**
 * Two instances with limits on (A, B) and one without (setup), all one deployment: the counts live in
 * the shared Redis, so a caller gets the limit once across every instance, not once per instance.
 */
describe('rate limits shared across instances', () => {
  let setup: TestApp;
  let a: TestApp;
  let b: TestApp;
  let proxied: TestApp;
  const limits = { RATE_LIMIT: 'on', RATE_LIMIT_AUTH_PER_MINUTE: '4', RATE_LIMIT_BOOKING_PER_MINUTE: '2' };

  beforeAll(async () => {
    setup = await startTestApp();
    a = await startTestApp(limits, { sameDeploymentAs: setup });
    b = await startTestApp(limits, { sameDeploymentAs: setup });
    // Behind a load balancer that says who the caller is. (Apps of one process share passport's
    // strategies, the last one made wins: all of them stay open until the end.)
    proxied = await startTestApp({ ...limits, RATE_LIMIT_PER_MINUTE: '6', TRUST_PROXY: '1' }, { sameDeploymentAs: setup });
  });
  afterAll(async () => {
    await proxied.close();
    await b.close();
    await a.close();
    await setup.close();
  });

  it('lets an address sign up residents only so often, counted once across both instances', async () => {
    const signUp = (t: TestApp) => t.http().post('/api/auth/register').send({ name: '限流测试', phone: uniquePhone(), password: RESIDENT_PASSWORD });
    const answers = [];
    for (const t of [a, b, a, b]) answers.push((await signUp(t)).status);
    expect(answers).toEqual([201, 201, 201, 201]);
    const refused = await signUp(a); // only the third on A: a per-instance count would let it through
    expect(refused.status).toBe(429);
    expect(refused.body.code).toBe('TOO_MANY_REQUESTS');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect((await signUp(b)).status).toBe(429);
    // The limit is the sign-up endpoint's; reads go on.
    await a.http().get('/api/branches').expect(200);
  });

  it('counts per client address behind a trusted proxy, and never limits the health check', async () => {
    {
      const signUp = (from: string) =>
        proxied.http().post('/api/auth/register').set('X-Forwarded-For', from).send({ name: '代理测试', phone: uniquePhone(), password: RESIDENT_PASSWORD });
      const first = [];
      for (let i = 0; i < 5; i++) first.push((await signUp('203.0.113.7')).status);
      expect(first).toEqual([201, 201, 201, 201, 429]);
      // Another resident behind the same balancer is a different caller.
      expect((await signUp('198.51.100.23')).status).toBe(201);
      // Six calls a minute per caller here, yet the balancer's health checks are never refused.
      for (let i = 0; i < 10; i++) await proxied.http().get('/api/health').set('X-Forwarded-For', '192.0.2.1').expect(200);
      expect((await proxied.http().get('/api/branches').set('X-Forwarded-For', '192.0.2.1')).status).toBe(200);
    }
  });

  it('lets an address log in only so often, even with the right password, while another address goes on', async () => {
    const logIn = (from: string) =>
      proxied.http().post('/api/auth/login').set('X-Forwarded-For', from).send({ login: TEST_ADMIN.username, password: TEST_ADMIN.password });
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push((await logIn('203.0.113.50')).status);
    expect(answers.slice(0, 4).every((s) => s < 300)).toBe(true);
    expect(answers[4]).toBe(429); // RATE_LIMIT_AUTH_PER_MINUTE = 4, tighter than the 6 a minute for everything else
    expect((await logIn('198.51.100.50')).status).toBeLessThan(300);
  });

  it('keeps a flash registration fair: one person cannot flood it, the next person still gets in', async () => {
    const admin = (await login(setup.http, TEST_ADMIN.username, TEST_ADMIN.password)).accessToken;
    const district = await setup.http().post('/api/regions').set(bearer(admin)).send({ name: '限流区', kind: 'district' }).expect(201);
    const branchId = (await setup.http().post('/api/branches').set(bearer(admin)).send({ name: '限流文化馆', kind: 'cultural_centre', level: 'central', regionId: district.body.id }).expect(201)).body.id;
    const activity = await setup.http()
      .post('/api/activities')
      .set(bearer(admin))
      .send({ title: '新年音乐会', category: 'performance', branchId, sessions: [{ startsAt: at(9, '19:00'), endsAt: at(9, '21:00'), capacity: 100 }] })
      .expect(201);
    const sessionId = (await setup.http().get(`/api/activities/${activity.body.id}`).expect(200)).body.sessions[0].id;
    const eager = await registerResident(setup.http);
    const patient = await registerResident(setup.http);
    const press = (t: TestApp, token: string) => t.http().post(`/api/activities/${activity.body.id}/registrations`).set(bearer(token)).send({ sessionId });

    const first = await press(a, eager.accessToken);
    const second = await press(b, eager.accessToken);
    expect([first.status, second.status]).toEqual([201, 409]); // seated, then "already registered"
    const flood = await Promise.all(Array.from({ length: 5 }, (_, i) => press(i % 2 ? a : b, eager.accessToken)));
    expect(flood.map((r) => r.status)).toEqual([429, 429, 429, 429, 429]);
    expect((await press(b, patient.accessToken)).body).toMatchObject({ status: 'confirmed' });
    // Staff at the desk register one resident after another: the per-resident limit is not theirs.
    const walkIns = [];
    for (let i = 0; i < 3; i++) walkIns.push(await registerResident(setup.http));
    for (const w of walkIns) {
      await a.http().post(`/api/activities/${activity.body.id}/registrations`).set(bearer(admin)).send({ sessionId, cardNumber: w.cardNumber }).expect(201);
    }
  });
});
