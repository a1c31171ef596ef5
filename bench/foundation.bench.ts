/**
 * Foundation benchmark: the API's hottest reads against a raw-PostgreSQL baseline doing the same
 * queries with the same concurrency, in the same process. Run: `npm run bench`.
 *
 * Needs PostgreSQL (BENCH_DATABASE_URL or TEST_DATABASE_URL, default the local server) and, when
 * BENCH_REDIS_URL/TEST_REDIS_URL is reachable, Redis (as production runs). Creates and drops its own database.
 */
import autocannon from 'autocannon';
import { Pool } from 'pg';
import { apiProcessCount, CONNECTIONS, DURATION, REDIS_URL, startBenchApp, timedThroughput } from './lib/bench-app';
import { report, side } from './lib/report';

interface Scenario {
  name: string;
  path: string;
  headers?: Record<string, string>;
  /** The same data the endpoint reads, as plain SQL on a plain pool. */
  baseline: (pool: Pool) => Promise<unknown>;
}

async function main(): Promise<void> {
  const bench = await startBenchApp('found');
  const { base, pool } = bench;
  try {
    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: '13800000001', password: 'Reader2026' }),
    }).then((r) => r.json() as Promise<{ accessToken: string }>);
    const [{ id: libraryId }] = (await pool.query(`SELECT id FROM branch WHERE code = 'HD-LIB'`)).rows;
    const [{ patron_id: patronId }] = (await pool.query(`SELECT patron_id FROM card WHERE status = 'active' LIMIT 1`)).rows;

    const scenarios: Scenario[] = [
      {
        name: 'GET /api/branches/:id/hours (week total)',
        path: `/api/branches/${libraryId}/hours?week=2026-W48`,
        baseline: async (p) => {
          await p.query(`SELECT * FROM branch WHERE id = $1`, [libraryId]);
          await Promise.all([
            p.query(`SELECT * FROM branch_weekly_hours WHERE branch_id = $1 ORDER BY weekday, opens`, [libraryId]),
            p.query(`SELECT * FROM branch_calendar_exception WHERE branch_id = $1 AND date BETWEEN $2 AND $3`, [libraryId, '2026-11-23', '2026-11-29']),
          ]);
        },
      },
      {
        name: 'GET /api/branches?pageSize=20',
        path: '/api/branches?pageSize=20',
        baseline: async (p) => {
          const { rows } = await p.query(`SELECT *, count(*) OVER () AS total FROM branch ORDER BY level, code LIMIT 20`);
          await p.query(`SELECT * FROM branch_weekly_hours WHERE branch_id = ANY($1) ORDER BY weekday, opens`, [rows.map((r) => r.id)]);
        },
      },
      {
        name: 'GET /api/me (resident, token checked)',
        path: '/api/me',
        headers: { authorization: `Bearer ${login.accessToken}` },
        baseline: async (p) => {
          await p.query(`SELECT * FROM patron WHERE id = $1`, [patronId]);
          await p.query(`SELECT * FROM card WHERE patron_id = $1 AND status IN ('active', 'suspended')`, [patronId]);
        },
      },
    ];

    console.log(`Foundation benchmark — ${CONNECTIONS} connections, ${DURATION} s each, Redis ${REDIS_URL}`);
    for (const s of scenarios) {
      const raw = await timedThroughput(() => s.baseline(pool).then(() => undefined));
      // The load generator runs in a worker thread so it does not share the app's event loop.
      const result = await autocannon({ url: base + s.path, headers: s.headers, connections: CONNECTIONS, duration: DURATION, workers: 1 });
      if (result.non2xx) throw new Error(`${s.name}: ${result.non2xx} responses were not 2xx`);
      report({
        path: s.name,
        unit: 'req/s',
        api: { rate: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 },
        sql: side(raw.perSecond, raw.latencies),
        workers: apiProcessCount(),
      });
    }
  } finally {
    await bench.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
