import { randomBytes, randomUUID } from 'node:crypto';
import { Agent } from 'node:http';
import { Job, Queue } from 'bullmq';
import IORedis from 'ioredis';
import { REDIS_URL } from './setup/test-database';
import { ApiProcess, apiProcessEnv, httpCall, HttpAnswer, residentTokens } from './utils/api-process';
import { everyDay, uniquePhone } from './utils/factories';
import { OwnPostgres } from './utils/own-postgres';
import { fieldsOf, Sip2TestClient } from './utils/sip2-client';

// The dates never matter here (far ahead), so none is built from the clock.
const STARTS_AT = '2099-06-01T10:00:00+08:00';
const ENDS_AT = '2099-06-01T12:00:00+08:00';
const SIP2_DATE = '20990101    101500';
const RESIDENTS = 40;
const COPIES = 120;
const ACTIVITIES = 4;
const CLIENTS = 6;

type Kind = 'checkout' | 'registration' | 'order';
interface Sent {
  kind: Kind;
  /** What identifies its effect in the database: the copy's barcode, `session|resident`, the order's address. */
  effect: string;
  path: string;
  token: string;
  body: Record<string, unknown>;
  key: string;
  answer: HttpAnswer;
}

/**
 * PostgreSQL (a server of the test's own) restarted in the middle of a load of checkouts, registrations
 * and service orders against the real API process, with the background worker and the SIP2 server
 * beside it. During the outage requests answer 503 DATABASE_UNAVAILABLE with Retry-After (never a 500,
 * never a hang), health says the database is down, and every process recovers by itself. Afterwards the
 * database is checked against the client's log: every accepted request exactly once, no refused one; a
 * retry with the same Idempotency-Key gets the first answer, and a refused request retried acts once.
 */
describe('a PostgreSQL restart under load', () => {
  let pg: OwnPostgres;
  let api: ApiProcess;
  let worker: ApiProcess;
  let sip2: ApiProcess;
  let sip2Port: number;
  const prefix = `faults_${randomBytes(4).toString('hex')}:`;
  const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS + 4 });
  let admin = '';
  let organizer = '';
  let branchId = '';
  let village = '';
  let itemId = '';
  const cardOf: string[] = [];
  let tokenOf: string[] = [];
  let residentIds: string[] = [];
  const sessions: Array<{ activityId: string; sessionId: string }> = [];
  const sql = <T = Record<string, unknown>>(text: string, params: unknown[] = []) => pg.query<T>(text, params, 'culture');

  const call = (path: string, options: Parameters<typeof httpCall>[1] = {}) => httpCall(`${api.baseUrl}${path}`, { agent, ...options });
  async function ok(path: string, options: Parameters<typeof httpCall>[1], status = 201) {
    const res = await call(path, options);
    if (res.status !== status) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  }
  const loginAs = async (login: string, password: string) => (await ok('/api/auth/login', { body: { login, password } }, 200)).accessToken as string;

  beforeAll(async () => {
    pg = await OwnPostgres.create();
    const url = await pg.createDatabase('culture');
    // LOG_LEVEL error: a server fault's log line (name, message, stack) is shown when the test fails.
    const env = apiProcessEnv(url, REDIS_URL, prefix, { DB_CONNECT_TIMEOUT_MS: '2000', JOBS_RUN_IN: 'worker', LOG_LEVEL: 'error' });
    api = await ApiProcess.start(env);
    worker = (await ApiProcess.startEntry('apps/worker/src/main.ts', env, /^Background worker running/)).process;
    const started = await ApiProcess.startEntry('apps/sip2/src/main.ts', { ...env, SIP2_PORT: '0' }, /^SIP2 server for self-service kiosks on port (\d+)/);
    sip2 = started.process;
    sip2Port = Number(started.ready[1]);

    admin = await loginAs('admin', 'Admin12345');
    const region = async (name: string, kind: string, parentId?: string) => (await ok('/api/regions', { token: admin, body: { name, kind, parentId } })).id as string;
    const district = await region('断库区', 'district');
    const subdistrict = await region('断库街道', 'subdistrict', district);
    village = await region('断库村', 'village', subdistrict);
    branchId = (await ok('/api/branches', { token: admin, body: { name: '断库图书馆', kind: 'library', level: 'central', regionId: district, sharedCirculation: true, openingHours: everyDay('08:00', '22:00') } })).id;
    const centreId = (await ok('/api/branches', { token: admin, body: { name: '断库文化馆', kind: 'cultural_centre', level: 'central', regionId: district } })).id;
    const recordId = (await ok('/api/catalog/records', { token: admin, body: { title: '断库之书', authors: ['测试作者'] } })).id;
    for (let i = 0; i < COPIES + 2; i++) await ok('/api/catalog/items', { token: admin, body: { recordId, barcode: barcode(i), branchId, itemType: 'book' } });
    const ids: string[] = [];
    for (let i = 0; i < RESIDENTS; i++) {
      const reg = await ok('/api/auth/register', { body: { name: '断库读者', phone: uniquePhone(), password: 'Reader2026' } });
      ids.push(reg.id);
      cardOf.push(reg.cardNumber);
    }
    residentIds = ids;
    tokenOf = residentTokens(ids);
    for (let a = 0; a < ACTIVITIES; a++) {
      const activity = await ok('/api/activities', { token: admin, body: { title: `断库讲座${a}`, category: 'lecture', branchId, sessions: [{ startsAt: STARTS_AT, endsAt: ENDS_AT, capacity: 500 }] } });
      const read = await ok(`/api/activities/${activity.id}`, {}, 200);
      sessions.push({ activityId: activity.id, sessionId: read.sessions[0].id });
    }
    const staff = async (username: string, role: string, extra: Record<string, unknown>) => {
      await ok('/api/staff', { token: admin, body: { username, password: 'Service123', name: username, role, ...extra } });
      return loginAs(username, 'Service123');
    };
    const operator = await staff('fault-op', 'operator', {});
    organizer = await staff('fault-org', 'organizer', { regionIds: [village] });
    await staff('fault-kiosk', 'kiosk', { branchIds: [branchId] });
    itemId = (
      await ok('/api/service-items', {
        token: operator,
        body: { title: '断库送戏', category: 'lecture', provider: '区文化馆', providerBranchId: centreId, durationMinutes: 90, audienceMin: 10, audienceMax: 120, leadTimeDays: 3, regionIds: [subdistrict], monthlyCapacity: 10_000 },
      })
    ).id;
    await ok(`/api/service-items/${itemId}/publish`, { method: 'POST', token: operator }, 200);
  }, 600_000);

  afterAll(async () => {
    agent.destroy();
    await Promise.all([api?.stop(), worker?.stop(), sip2?.stop()]);
    await pg?.destroy();
  }, 120_000);

  function barcode(i: number) {
    return `FLT${String(i).padStart(5, '0')}`;
  }

  /** The n-th request of the load: checkouts, registrations and orders in turn, each with a key of its own. */
  function nth(n: number): Omit<Sent, 'answer'> | null {
    const kind = (['checkout', 'registration', 'order'] as const)[n % 3];
    const i = Math.floor(n / 3);
    const key = randomUUID();
    if (kind === 'checkout') {
      if (i >= COPIES) return null;
      return { kind, effect: barcode(i), key, token: admin, path: '/api/circulation/checkout', body: { cardNumber: cardOf[i % RESIDENTS], barcode: barcode(i), branchId } };
    }
    if (kind === 'registration') {
      if (i >= RESIDENTS * ACTIVITIES) return null;
      const s = sessions[Math.floor(i / RESIDENTS)];
      const r = i % RESIDENTS;
      return { kind, effect: `${s.sessionId}|${r}`, key, token: tokenOf[r], path: `/api/activities/${s.activityId}/registrations`, body: { sessionId: s.sessionId } };
    }
    const address = `断库村礼堂-${i}`;
    return { kind, effect: address, key, token: organizer, path: '/api/service-orders', body: { itemId, regionId: village, preferredFrom: '2099-06-01', preferredTo: '2099-06-20', expectedAudience: 60, address } };
  }

  const send = (r: Omit<Sent, 'answer'>) => call(r.path, { token: r.token, body: r.body, headers: { 'idempotency-key': r.key }, hangAfterMs: 30_000 });

  async function healthIs(database: 'up' | 'down') {
    for (;;) {
      const res = await call('/api/health').catch(() => null);
      if (res && (res.body.details as { database?: { status: string } } | undefined)?.database?.status === database) return res;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  it('answers 503 with Retry-After while the database is away, recovers by itself, and loses or doubles nothing', async () => {
    const log: Sent[] = [];
    const faults: string[] = [];
    let next = 0;
    let stop = false;
    let backAt: number | null = null;
    let firstSuccessAfterBack: number | null = null;
    const accepted = () => log.filter((s) => s.answer.status < 300).length;

    // A SIP2 kiosk logged in before the outage, and its checkout during it.
    const kiosk = await Sip2TestClient.open(sip2Port);
    expect(await kiosk.request('9300CNfault-kiosk|COService123|CPx|')).toMatch(/^941/);
    const kioskCheckout = (copy: string) => kiosk.request(`11YN${SIP2_DATE}${' '.repeat(18)}AOculture|AA${cardOf[0]}|AB${copy}|ACx|`);

    const client = async () => {
      while (!stop) {
        const r = nth(next++);
        if (!r) return;
        try {
          const answer = await send(r);
          log.push({ ...r, answer });
          if (answer.status < 300 && backAt !== null && firstSuccessAfterBack === null) firstSuccessAfterBack = performance.now();
        } catch (e) {
          faults.push(`${r.kind}: ${(e as Error).message}`);
        }
      }
    };
    const waitFor = async (condition: () => boolean) => {
      while (!condition()) await new Promise((r) => setTimeout(r, 50));
    };
    const clients = Array.from({ length: CLIENTS }, client);

    await waitFor(() => accepted() >= 30);
    await pg.stop('fast');
    const down = await healthIs('down');
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ status: 'error', details: { database: { status: 'down' } } });
    await waitFor(() => log.filter((s) => s.answer.status === 503).length >= 20);
    // The kiosk is told to send again (96), and the SIP2 server stays up.
    expect(await kioskCheckout(barcode(COPIES))).toMatch(/^96/);
    // A job queued meanwhile (Redis is up): the worker retries it until the database answers.
    const job = await ok('/api/admin/jobs/expire-holds/run', { method: 'POST', token: admin }, 202);

    await pg.start();
    backAt = performance.now();
    await healthIs('up');
    await waitFor(() => firstSuccessAfterBack !== null);
    const acceptedAtRecovery = accepted();
    await waitFor(() => accepted() >= acceptedAtRecovery + 30 || next > COPIES * 3);
    stop = true;
    await Promise.all(clients);

    const refused = log.filter((s) => s.answer.status === 503);
    const okays = log.filter((s) => s.answer.status < 300);
    const others = log.filter((s) => s.answer.status >= 300 && s.answer.status !== 503);
    console.log(
      `database outage: ${log.length + faults.length} requests sent, ${okays.length} accepted, ${refused.length} refused (503), ` +
        `${faults.length} without an answer, ${others.length} other; ${((firstSuccessAfterBack! - backAt) / 1000).toFixed(2)} s from the database back to the first success`,
    );
    if (others.length) console.log(api.lines.filter((l) => /unhandled error/.test(l)).join('\n'));
    expect(faults).toEqual([]);
    expect(others.map((s) => `${s.kind} ${s.answer.status} ${JSON.stringify(s.answer.body)}`)).toEqual([]);
    expect(refused.length).toBeGreaterThan(0);
    for (const s of refused) {
      expect(s.answer.body).toMatchObject({ statusCode: 503, code: 'DATABASE_UNAVAILABLE', message: expect.stringContaining('数据库') });
      expect(Number(s.answer.headers['retry-after'])).toBeGreaterThan(0);
    }
    const en = await call('/api/health');
    expect(en.status).toBe(200);

    // The database against the client's log.
    const effects = async () => {
      const loans = await sql<{ barcode: string; n: number }>(`SELECT i.barcode, count(*)::int AS n FROM loan l JOIN item i ON i.id = l.item_id GROUP BY i.barcode`);
      const registrations = await sql<{ session_id: string; patron_id: string; n: number }>(`SELECT session_id, patron_id, count(*)::int AS n FROM registration GROUP BY 1, 2`);
      const orders = await sql<{ address: string; n: number }>(`SELECT address, count(*)::int AS n FROM service_order GROUP BY address`);
      const patrons = residentIds;
      const found = new Map<string, number>();
      for (const l of loans) found.set(l.barcode, l.n);
      for (const r of registrations) found.set(`${r.session_id}|${patrons.indexOf(r.patron_id)}`, r.n);
      for (const o of orders) found.set(o.address, o.n);
      return found;
    };
    let found = await effects();
    const lost = okays.filter((s) => found.get(s.effect) !== 1);
    const written = refused.filter((s) => found.has(s.effect));
    // Nothing but what the log accepted: the kiosk's refused checkout is not there either.
    expect(found.size).toBe(okays.length);
    console.log(`database outage: ${lost.length} accepted requests lost or doubled, ${written.length} refused ones written anyway`);
    expect(lost.map((s) => s.effect)).toEqual([]);
    expect(written.map((s) => s.effect)).toEqual([]);

    // A retry with the same key gets the first answer, and acts no second time.
    for (const s of okays.filter((_, i) => i % 3 === 0)) {
      const again = await send(s);
      expect({ status: again.status, body: again.body }).toEqual({ status: s.answer.status, body: s.answer.body });
    }
    // A refused request retried with its key acts now, once; a further retry gets that answer.
    for (const s of refused) {
      const retry = await send(s);
      expect(retry.status).toBe(201);
      expect(await send(s)).toMatchObject({ status: 201, body: retry.body });
    }
    found = await effects();
    expect([...okays, ...refused].filter((s) => found.get(s.effect) !== 1).map((s) => s.effect)).toEqual([]);
    expect(found.size).toBe(okays.length + refused.length);

    // SIP2: the same kiosk connection, the same message again — it acts now.
    const out = await kioskCheckout(barcode(COPIES));
    expect(out).toMatch(/^121/);
    expect(fieldsOf(out).get('AB')).toBe(barcode(COPIES));

    // The worker is still there, and the job queued during the outage ends completed.
    const redis = new IORedis(REDIS_URL, { maxRetriesPerRequest: null });
    const queue = new Queue('housekeeping', { connection: redis, prefix: `${prefix}bull` });
    try {
      for (;;) {
        const state = await (await Job.fromId(queue, job.id))?.getState();
        if (state === 'completed') break;
        expect(state).not.toBe('failed');
        await new Promise((r) => setTimeout(r, 250));
      }
    } finally {
      await queue.close();
      redis.disconnect();
    }
    expect([api.running, worker.running, sip2.running]).toEqual([true, true, true]);
    kiosk.close();
  }, 600_000);
});
