/**
 * Foundation benchmark: the API's hottest reads against a raw-PostgreSQL baseline doing the same
 * queries with the same concurrency, in the same process. Run: `npm run bench`.
 *
 * Needs PostgreSQL (BENCH_DATABASE_URL or TEST_DATABASE_URL, default the local server) and, when
 * BENCH_REDIS_URL/TEST_REDIS_URL is reachable, Redis (as production runs). Creates and drops its own database.
 */
import 'reflect-metadata';
import autocannon from 'autocannon';
import { Client, Pool } from 'pg';
import { AddressInfo } from 'node:net';
import { loadEnv } from '@lib/config';
import { StaffService } from '@lib/accounts';
import { createApp } from '../apps/api/src/app.factory';
import { DemoSeeder } from '../apps/api/src/demo/demo-seeder';
import { migrate } from '@lib/schema';
import { ensureFirstAdmin } from '../apps/api/src/startup/first-admin';

const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const DURATION = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);

interface Scenario {
  name: string;
  path: string;
  headers?: Record<string, string>;
  /** The same data the endpoint reads, as plain SQL on a plain pool. */
  baseline: (pool: Pool) => Promise<unknown>;
}

async function rawThroughput(pool: Pool, work: (pool: Pool) => Promise<unknown>): Promise<number> {
  const end = Date.now() + DURATION * 1000;
  let done = 0;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (Date.now() < end) {
        await work(pool);
        done++;
      }
    }),
  );
  return done / DURATION;
}

async function main(): Promise<void> {
  const name = `culture_bench_${Date.now().toString(36)}`;
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  const pool = new Pool({ connectionString: databaseUrl, max: CONNECTIONS });
  try {
    await migrate(databaseUrl);
    const env = loadEnv({
      NODE_ENV: 'production',
      REDIS_URL,
      REDIS_PREFIX: `${name}:`,
      JWT_SECRET: 'bench-secret-that-is-long-enough-0123456789',
      PII_KEY: 'bench-personal-data-key-long-enough-0123',
      ADMIN_USERNAME: 'admin',
      ADMIN_PASSWORD: 'Admin12345',
      LOG_LEVEL: 'silent',
      DB_POOL_SIZE: String(CONNECTIONS),
    } as NodeJS.ProcessEnv);
    const app = await createApp(env, databaseUrl);
    await ensureFirstAdmin(app.get(StaffService), env);
    await app.get(DemoSeeder).seed();
    await app.listen(0, '127.0.0.1');
    const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;

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
    console.log('scenario | API req/s | API p50 ms | API p99 ms | raw PostgreSQL ops/s | API / raw');
    for (const s of scenarios) {
      const raw = await rawThroughput(pool, s.baseline);
      // The load generator runs in a worker thread so it does not share the app's event loop.
      const result = await autocannon({ url: base + s.path, headers: s.headers, connections: CONNECTIONS, duration: DURATION, workers: 1 });
      if (result.non2xx) throw new Error(`${s.name}: ${result.non2xx} responses were not 2xx`);
      const rps = result.requests.average;
      console.log(
        `${s.name} | ${rps.toFixed(0)} | ${result.latency.p50} | ${result.latency.p99} | ${raw.toFixed(0)} | ${(rps / raw).toFixed(2)}`,
      );
    }
    await app.close();
  } finally {
    await pool.end();
    // The app's pool is closed already; FORCE ends anything still connected.
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
    await admin.end();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
