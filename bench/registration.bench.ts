/**
 * Flash registration benchmark: BENCH_RESIDENTS residents (default 2,000) press "register" for one
 * session of BENCH_SEATS seats (default 100) through the API, BENCH_CONNECTIONS (default 32) at a time;
 * then the same transaction straight on PostgreSQL for a twin session, in the same process.
 * Prints registrations per second, p50/p99 latency and the ratio, and what a live watcher of the
 * session saw (pushes received, and whether the last one shows the final count). Run: `npm run bench:registration`.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { PoolClient } from 'pg';
import { io } from 'socket.io-client';
import { TokenService } from '@lib/auth';
import { apiProcessCount, loginAs, percentile, startBenchApp } from './lib/bench-app';
import { report, side } from './lib/report';

const RESIDENTS = Number(process.env.BENCH_RESIDENTS ?? 2000);
const SEATS = Number(process.env.BENCH_SEATS ?? 100);
const CONCURRENCY = Number(process.env.BENCH_CONNECTIONS ?? 32);

async function run(count: number, work: (i: number) => Promise<void>): Promise<{ perSecond: number; latencies: number[] }> {
  let next = 0;
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let i = next++; i < count; i = next++) {
        const t = performance.now();
        await work(i);
        latencies.push(performance.now() - t);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return { perSecond: count / ((performance.now() - started) / 1000), latencies };
}

/** The registration transaction the platform runs, written straight in SQL. */
async function rawRegister(client: PoolClient, sessionId: string, patronId: string): Promise<void> {
  await client.query('BEGIN');
  try {
    const id = randomUUID();
    // The seat and the registration holding it (or waiting without one) in one statement, as the platform does.
    const [{ status }] = (
      await client.query(
        `WITH seat AS (
           UPDATE session_seat SET registration_id = $1 WHERE (session_id, seat_no) = (
             SELECT session_id, seat_no FROM session_seat WHERE session_id = $2 AND registration_id IS NULL AND NOT walk_in
              ORDER BY seat_no LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING seat_no)
         INSERT INTO registration (id, session_id, patron_id, status, confirmed_at)
         SELECT $1, $2, $3, CASE WHEN seat.seat_no IS NULL THEN 'waitlisted' ELSE 'confirmed' END, CASE WHEN seat.seat_no IS NOT NULL THEN now() END
           FROM (SELECT 1) AS one LEFT JOIN seat ON true
         RETURNING status`,
        [id, sessionId, patronId],
      )
    ).rows;
    // Waiting: the list's lock shared (only a promotion takes it exclusive), then a ticket from the list's sequence.
    if (status === 'waitlisted') {
      await client.query(`SELECT pg_advisory_xact_lock_shared(hashtextextended($1, 0))`, [`waitlist:${sessionId}`]);
      await client.query(
        `WITH ticket AS MATERIALIZED (SELECT nextval($2::regclass) AS n)
         UPDATE registration r SET waitlisted_at = clock_timestamp(), waitlist_ticket = ticket.n FROM ticket WHERE r.id = $1
         RETURNING r.waitlist_ticket - (SELECT count(*) FROM registration gone WHERE gone.session_id = r.session_id
                                          AND gone.waitlist_ticket < r.waitlist_ticket AND gone.status <> 'waitlisted') AS position`,
        [id, `waitlist_${sessionId.replace(/-/g, '')}`],
      );
    }
    // Last, as the platform does: its rollup rows are shared by every registration and locked to commit.
    await client.query(`INSERT INTO usage_event (kind, branch_id) SELECT 'activity_registration', branch_id FROM activity a JOIN activity_session s ON s.activity_id = a.id WHERE s.id = $1`, [sessionId]);
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK');
    throw e;
  }
}

async function main(): Promise<void> {
  process.env.BENCH_CONNECTIONS = String(CONCURRENCY);
  const bench = await startBenchApp('reg');
  const { base, pool } = bench;
  try {
    const admin = await loginAs(base, 'admin', 'Admin12345');
    const [{ id: branchId }] = (await pool.query(`SELECT id FROM branch WHERE code = 'HD-CUL'`)).rows;
    const startsAt = new Date(Date.now() + 3 * 86_400_000).toISOString();
    const endsAt = new Date(Date.now() + 3 * 86_400_000 + 7_200_000).toISOString();
    const makeSession = async (title: string) => {
      const res = await fetch(`${base}/api/activities`, {
        method: 'POST',
        headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
        body: JSON.stringify({ title, category: 'class', branchId, sessions: [{ startsAt, endsAt, capacity: SEATS }] }),
      });
      const { id } = (await res.json()) as { id: string };
      const [{ id: sessionId }] = (await pool.query(`SELECT id FROM activity_session WHERE activity_id = $1`, [id])).rows;
      return { activityId: id, sessionId };
    };
    const api = await makeSession('抢报名基准（API）');
    const raw = await makeSession('抢报名基准（SQL）');

    // Residents made in bulk (registration through the API hashes passwords, deliberately slow); tokens minted directly.
    const patrons: string[] = [];
    for (let i = 0; i < RESIDENTS; i += 500) {
      const n = Math.min(500, RESIDENTS - i);
      const ids = Array.from({ length: n }, () => randomUUID());
      await pool.query(
        `INSERT INTO patron (id, name, phone_fingerprint, phone_encrypted, password_hash)
         SELECT id, '基准读者', encode(sha256(id::text::bytea), 'hex'), 'v1.x.x.x', 'x' FROM unnest($1::uuid[]) AS id`,
        [ids],
      );
      patrons.push(...ids);
    }
    const tokens = app(bench).get(TokenService);
    const bearer = patrons.map((id) => tokens.signAccess({ id, kind: 'patron', role: 'resident', branchIds: [], regionIds: [], sessionId: randomBytes(8).toString('hex') }).token);

    // A resident watching the flash registration live (socket.io, /public namespace).
    const watcher = io(`${base}/public`, { transports: ['websocket'] });
    await new Promise<void>((resolve) => watcher.once('connect', () => resolve()));
    await watcher.emitWithAck('watch', { sessionId: api.sessionId });
    const pushes: Array<{ seatsLeft: number; waitlisted: number }> = [];
    watcher.on('session.seats', (x) => pushes.push(x));

    const apiRun = await run(RESIDENTS, async (i) => {
      const res = await fetch(`${base}/api/activities/${api.activityId}/registrations`, {
        method: 'POST',
        headers: { authorization: `Bearer ${bearer[i]}`, 'content-type': 'application/json' },
        body: JSON.stringify({ sessionId: api.sessionId }),
      });
      if (res.status !== 201) throw new Error(`registration ${res.status}: ${await res.text()}`);
      await res.arrayBuffer();
    });
    const rawRun = await run(RESIDENTS, async (i) => {
      const client = await pool.connect();
      try {
        await rawRegister(client, raw.sessionId, patrons[i]);
      } finally {
        client.release();
      }
    });
    const counts = async (sessionId: string) =>
      (await pool.query(`SELECT count(*) FILTER (WHERE status = 'confirmed')::int AS confirmed, count(*) FILTER (WHERE status = 'waitlisted')::int AS waitlisted FROM registration WHERE session_id = $1`, [sessionId])).rows[0];
    console.log(`Flash registration — ${RESIDENTS} residents, ${SEATS} seats, ${CONCURRENCY} at a time`);
    console.log(`API: ${apiRun.perSecond.toFixed(0)} registrations/s, p50 ${percentile(apiRun.latencies, 50).toFixed(1)} ms, p99 ${percentile(apiRun.latencies, 99).toFixed(1)} ms; result ${JSON.stringify(await counts(api.sessionId))}`);
    console.log(`raw PostgreSQL: ${rawRun.perSecond.toFixed(0)} registrations/s, p50 ${percentile(rawRun.latencies, 50).toFixed(1)} ms, p99 ${percentile(rawRun.latencies, 99).toFixed(1)} ms; result ${JSON.stringify(await counts(raw.sessionId))}`);
    report({ path: `flash registration, ${RESIDENTS} residents for ${SEATS} seats`, unit: 'reg/s', api: side(apiRun.perSecond, apiRun.latencies), sql: side(rawRun.perSecond, rawRun.latencies), workers: apiProcessCount() });
    // The last push follows the last commit: wait for the one showing everyone registered.
    const final = await counts(api.sessionId);
    while (!pushes.some((p) => p.waitlisted === final.waitlisted)) await new Promise((r) => setTimeout(r, 20));
    console.log(`live watcher: ${pushes.length} pushes for ${RESIDENTS} registrations (coalesced), last ${JSON.stringify(pushes[pushes.length - 1])}`);
    watcher.close();
  } finally {
    await bench.close();
  }
}

function app(bench: Awaited<ReturnType<typeof startBenchApp>>) {
  return bench.app;
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
