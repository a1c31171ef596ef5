import { randomBytes, randomUUID } from 'node:crypto';
import { Agent } from 'node:http';
import { Pool } from 'pg';
import { io } from 'socket.io-client';
import { databaseUrl, REDIS_URL, templateName, withAdminClient } from './setup/test-database';
import { connectLive, nextEvent } from './utils/live-client';
import { ApiProcess, apiProcessEnv, httpJson, insertResidents, residentTokens } from './utils/api-process';

// The date never matters here (the sessions are far ahead), so none is built from the clock.
const STARTS_AT = '2099-06-01T10:00:00+08:00';
const ENDS_AT = '2099-06-01T12:00:00+08:00';

type Registered = { id: string; sessionId: string; status: string; position?: number };
type Seats = { sessionId: string; seatsLeft: number; waitlisted: number; confirmed: number };

/** A database of the test's own, copied from the run's migrated template, and a raw pool on it. */
async function ownDatabase(): Promise<{ url: string; name: string; pool: Pool; drop(): Promise<void> }> {
  const runId = process.env.E2E_RUN_ID;
  if (!runId) throw new Error('E2E_RUN_ID missing: run the e2e tests through jest');
  const name = `culture_test_${runId}_${randomBytes(4).toString('hex')}`;
  await withAdminClient((c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${templateName(runId)}`));
  const url = databaseUrl(name);
  const pool = new Pool({ connectionString: url, max: 4 });
  pool.on('error', () => undefined);
  return {
    url,
    name,
    pool,
    async drop() {
      await pool.end();
      await withAdminClient((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

/** An admin's token, a branch, and an activity with one session of `capacity` seats, made through `base`. */
async function flashSession(base: string, capacity: number, title: string): Promise<{ activityId: string; sessionId: string }> {
  const login = await httpJson<{ accessToken: string }>(`${base}/api/auth/login`, { body: { login: 'admin', password: 'Admin12345' } });
  expect(login.status).toBe(200);
  const token = login.body.accessToken;
  const region = await httpJson<{ id: string }>(`${base}/api/regions`, { token, body: { name: `${title}区`, kind: 'district' } });
  expect(region.status).toBe(201);
  const branch = await httpJson<{ id: string }>(`${base}/api/branches`, {
    token,
    body: { name: `${title}文化馆`, kind: 'cultural_centre', level: 'central', regionId: region.body.id },
  });
  expect(branch.status).toBe(201);
  const activity = await httpJson<{ id: string }>(`${base}/api/activities`, {
    token,
    body: { title, category: 'class', branchId: branch.body.id, sessions: [{ startsAt: STARTS_AT, endsAt: ENDS_AT, capacity }] },
  });
  expect(activity.status).toBe(201);
  const read = await httpJson<{ sessions: Array<{ id: string }> }>(`${base}/api/activities/${activity.body.id}`);
  return { activityId: activity.body.id, sessionId: read.body.sessions[0].id };
}

/**
 * Two real API processes of one deployment (`main.ts` twice, on one database and one Redis prefix), and
 * a flash crowd split between them: the seats are rows in PostgreSQL, so no process can give one twice.
 */
describe('two API processes, one flash registration', () => {
  const RESIDENTS = 2000;
  const SEATS = 100;
  let db: Awaited<ReturnType<typeof ownDatabase>>;
  const apis: ApiProcess[] = [];

  beforeAll(async () => {
    db = await ownDatabase();
    const prefix = `${db.name}:`;
    // One after the other: both would run the (already applied) migrations and create the first admin at once otherwise — which they may, but it slows a two-core machine down for nothing.
    for (let i = 0; i < 2; i++) apis.push(await ApiProcess.start(apiProcessEnv(db.url, REDIS_URL, prefix)));
  }, 480_000);
  afterAll(async () => {
    await Promise.all(apis.map((a) => a.stop()));
    await db?.drop();
  }, 60_000);

  it(`seats exactly ${SEATS} of ${RESIDENTS} residents registering at once through both, and queues the rest in one order`, async () => {
    const [a, b] = apis;
    const { activityId, sessionId } = await flashSession(a.baseUrl, SEATS, '双进程抢报名');
    const patrons = Array.from({ length: RESIDENTS }, () => randomUUID());
    await insertResidents((sql, params) => db.pool.query(sql, params), patrons);
    const tokens = residentTokens(patrons);

    // Every request is sent at once; each process gets half, over up to 200 connections of its own.
    const agents = [new Agent({ keepAlive: true, maxSockets: 200 }), new Agent({ keepAlive: true, maxSockets: 200 })];
    const answers = await Promise.all(
      patrons.map((_, i) =>
        httpJson<Registered>(`${[a, b][i % 2].baseUrl}/api/activities/${activityId}/registrations`, { token: tokens[i], body: { sessionId }, agent: agents[i % 2] }).then(
          (answer) => ({ ...answer, patronId: patrons[i], via: i % 2 }),
        ),
      ),
    );
    for (const agent of agents) agent.destroy();

    expect(answers.filter((x) => x.status !== 201).map((x) => x.body)).toEqual([]);
    const confirmed = answers.filter((x) => x.body.status === 'confirmed');
    const waiting = answers.filter((x) => x.body.status === 'waitlisted');
    expect([confirmed.length, waiting.length]).toEqual([SEATS, RESIDENTS - SEATS]);
    // Both processes really served the crowd (each got half of the requests).
    expect([answers.filter((x) => x.via === 0).length, answers.filter((x) => x.via === 1).length]).toEqual([RESIDENTS / 2, RESIDENTS / 2]);
    // The positions given are exactly 1..1900, each once.
    expect(waiting.map((x) => x.body.position!).sort((x, y) => x - y)).toEqual(Array.from({ length: RESIDENTS - SEATS }, (_, i) => i + 1));

    // The database agrees: 100 seats held by 100 distinct confirmed registrations of this session, the rest waiting.
    const { rows: [seats] } = await db.pool.query(
      `SELECT count(*)::int AS taken, count(DISTINCT s.registration_id)::int AS holders,
              count(*) FILTER (WHERE r.status = 'confirmed' AND r.session_id = s.session_id)::int AS held_by_confirmed
         FROM session_seat s JOIN registration r ON r.id = s.registration_id WHERE s.session_id = $1`,
      [sessionId],
    );
    expect(seats).toEqual({ taken: SEATS, holders: SEATS, held_by_confirmed: SEATS });
    const { rows: [counts] } = await db.pool.query(
      `SELECT count(*) FILTER (WHERE status = 'confirmed')::int AS confirmed, count(*) FILTER (WHERE status = 'waitlisted')::int AS waitlisted,
              count(*) FILTER (WHERE status = 'confirmed' AND NOT EXISTS (SELECT 1 FROM session_seat s WHERE s.registration_id = registration.id))::int AS confirmed_without_seat
         FROM registration WHERE session_id = $1`,
      [sessionId],
    );
    expect(counts).toEqual({ confirmed: SEATS, waitlisted: RESIDENTS - SEATS, confirmed_without_seat: 0 });
    const seated = new Set((await db.pool.query(`SELECT r.patron_id FROM session_seat s JOIN registration r ON r.id = s.registration_id WHERE s.session_id = $1`, [sessionId])).rows.map((r) => r.patron_id));
    expect(new Set(confirmed.map((x) => x.patronId))).toEqual(seated);

    // The waiting list in the database is in the order the positions were given: each waiting registration
    // has a ticket of its own, and the n-th by ticket was told n.
    const { rows: order } = await db.pool.query<{ id: string; ticket: number; place: number }>(
      `SELECT id, waitlist_ticket AS ticket, row_number() OVER (ORDER BY waitlist_ticket)::int AS place FROM registration WHERE session_id = $1 AND status = 'waitlisted'`,
      [sessionId],
    );
    expect(order).toHaveLength(RESIDENTS - SEATS);
    expect(new Set(order.map((r) => r.ticket)).size).toBe(RESIDENTS - SEATS);
    const told = new Map(waiting.map((x) => [x.body.id, x.body.position]));
    expect(order.filter((r) => told.get(r.id) !== r.place)).toEqual([]);
  }, 300_000);
});

/** Request-log lines of a process (pino JSON, `pid` in each) for one path. */
function answeredBy(api: ApiProcess, path: string, from = 0): number[] {
  return api.lines.slice(from).flatMap((line) => {
    if (!line.startsWith('{')) return [];
    try {
      const entry = JSON.parse(line) as { pid?: number; msg?: string; req?: { path?: string } };
      return entry.msg === 'request completed' && entry.req?.path === path ? [entry.pid!] : [];
    } catch {
      return [];
    }
  });
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * `main.ts` with API_WORKERS=2: a primary and two workers on one port. Which worker answered is in the
 * request log each worker writes (pino puts the pid in every line), so nothing new is exposed to callers.
 */
describe('API_WORKERS=2', () => {
  let db: Awaited<ReturnType<typeof ownDatabase>>;
  let api: ApiProcess;
  const workerPids = () => [...api.lines.join('\n').matchAll(/^API worker (\d+) \(pid (\d+)\) listening/gm)].map((m) => ({ slot: Number(m[1]), pid: Number(m[2]) }));
  /** Fresh connections (the primary hands each to the next worker) until every pid in `wanted` has answered, at most `tries` requests. */
  async function answeredByAll(wanted: number[], tries = 40): Promise<Set<number>> {
    const from = api.lines.length;
    for (let i = 0; i < tries; i++) {
      expect((await httpJson(`${api.baseUrl}/api/health`)).status).toBe(200);
      const seen = new Set(answeredBy(api, '/api/health', from));
      if (wanted.every((p) => seen.has(p))) return seen;
    }
    return new Set(answeredBy(api, '/api/health', from));
  }

  beforeAll(async () => {
    db = await ownDatabase();
    api = await ApiProcess.start(apiProcessEnv(db.url, REDIS_URL, `${db.name}:`, { API_WORKERS: '2', LOG_LEVEL: 'info' }));
  }, 240_000);
  afterAll(async () => {
    await api?.stop();
    await db?.drop();
  }, 60_000);

  it('prepares once and prints the banner once, then answers from two distinct worker processes', async () => {
    // The banner's lines after "Health:" (where the start counted as ready) may arrive a moment later.
    const [workersLine] = await api.waitFor(/^ {2}Workers: .*$/, 10_000);
    expect(workersLine).toBe('  Workers:  2 API processes on one port (API_WORKERS=2); live updates over websocket only');
    expect(api.lines.filter((l) => l.startsWith('Public cultural service platform'))).toHaveLength(1);
    const workers = workerPids();
    expect(workers.map((w) => w.slot).sort()).toEqual([1, 2]);
    const pids = workers.map((w) => w.pid);
    expect(new Set(pids).size).toBe(2);
    expect(pids).not.toContain(api.child.pid);
    expect([...(await answeredByAll(pids))].sort()).toEqual([...pids].sort());
  });

  it('relays live pushes between the workers, and refuses the polling transport', async () => {
    const { activityId, sessionId } = await flashSession(api.baseUrl, 3, '多进程直播课');
    const patrons = Array.from({ length: 8 }, () => randomUUID());
    await insertResidents((sql, params) => db.pool.query(sql, params), patrons);
    const tokens = residentTokens(patrons);
    const watcher = await connectLive(api.baseUrl, '/public');
    try {
      expect(await watcher.emitWithAck('watch', { sessionId })).toMatchObject({ ok: true, seats: { seatsLeft: 3, waitlisted: 0 } });
      const from = api.lines.length;
      // One at a time, each on a connection of its own: the workers take turns. The watcher sits on one of
      // them and must see the count after every registration, so also after those the other worker took.
      for (const [i, token] of tokens.entries()) {
        const expected = { confirmed: Math.min(i + 1, 3), waitlisted: Math.max(0, i + 1 - 3) };
        const seen = nextEvent<Seats>(watcher, 'session.seats', (s) => s.sessionId === sessionId && s.confirmed === expected.confirmed && s.waitlisted === expected.waitlisted);
        expect((await httpJson(`${api.baseUrl}/api/activities/${activityId}/registrations`, { token, body: { sessionId } })).status).toBe(201);
        await seen;
      }
      expect(new Set(answeredBy(api, `/api/activities/${activityId}/registrations`, from)).size).toBe(2);
    } finally {
      watcher.close();
    }
    const polling = io(`${api.baseUrl}/public`, { transports: ['polling'], forceNew: true, reconnection: false });
    const refused = await new Promise<Error | null>((resolve) => {
      polling.once('connect', () => resolve(null));
      polling.once('connect_error', (e) => resolve(e));
    });
    polling.close();
    // engine.io answers the polling handshake 400 "Transport unknown" under the cluster.
    expect(refused).toBeInstanceOf(Error);
    expect((refused as Error & { description?: unknown }).description).toBe(400);
  });

  it('replaces a worker that dies, and the new one answers', async () => {
    const [victim, survivor] = workerPids();
    const from = api.lines.length;
    process.kill(victim.pid, 'SIGKILL');
    await api.waitFor(new RegExp(`^API worker ${victim.slot} \\(pid ${victim.pid}\\) exited \\(signal SIGKILL\\); starting another in \\d+ s$`), 30_000, from);
    const [, pid] = await api.waitFor(new RegExp(`^API worker ${victim.slot} \\(pid (\\d+)\\) listening`), 120_000, from);
    const replacement = Number(pid);
    expect(replacement).not.toBe(victim.pid);
    expect(alive(victim.pid)).toBe(false);
    expect([...(await answeredByAll([replacement, survivor.pid]))].sort()).toEqual([replacement, survivor.pid].sort());
  }, 180_000);

  it('stops every worker on SIGTERM, then itself, cleanly', async () => {
    const pids = workerPids().map((w) => w.pid).filter(alive);
    expect(pids).toHaveLength(2);
    expect(await api.stop()).toEqual({ code: 0, signal: null });
    expect(pids.filter(alive)).toEqual([]);
  }, 60_000);
});
