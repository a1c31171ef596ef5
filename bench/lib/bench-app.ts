import 'reflect-metadata';
import { INestApplication } from '@nestjs/common';
import { AddressInfo } from 'node:net';
import { Client, Pool } from 'pg';
import { apiWorkerCount, loadEnv } from '@lib/config';
import { StaffService } from '@lib/accounts';
import { createApp } from '../../apps/api/src/app.factory';
import { DemoSeeder } from '../../apps/api/src/demo/demo-seeder';
import { migrate } from '@lib/schema';
import { ensureFirstAdmin } from '../../apps/api/src/startup/first-admin';
import { ApiProcess } from '../../test/utils/api-process';

export const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const REDIS_URL = process.env.BENCH_REDIS_URL ?? process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const DURATION = Number(process.env.BENCH_SECONDS ?? 5);
export const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
/**
 * Unset: the API runs in this process (as before). A number or `auto`: `apps/api/src/main.ts` runs in a
 * child process with API_WORKERS set to it (a node:cluster primary and its workers) against the bench
 * database, and the requests go there. The raw-PostgreSQL baselines stay in this process either way.
 */
export const API_WORKERS = process.env.BENCH_API_WORKERS || undefined;

export interface BenchApp {
  /** The app in this process: it serves `base` unless BENCH_API_WORKERS is set; then it only set the database up (and mints tokens, rebuilds rollups …). */
  app: INestApplication;
  base: string;
  pool: Pool;
  databaseUrl: string;
  close(): Promise<void>;
}

/** The real app on a database of its own with the demo district, and a raw pool on the same database for the baseline. */
export async function startBenchApp(name: string): Promise<BenchApp> {
  const database = `culture_bench_${name}_${Date.now().toString(36)}`;
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${database}`;
  const databaseUrl = url.toString();
  await migrate(databaseUrl);
  const env = loadEnv({
    NODE_ENV: 'production',
    REDIS_URL,
    REDIS_PREFIX: `${database}:`,
    JWT_SECRET: 'bench-secret-that-is-long-enough-0123456789',
    PII_KEY: 'bench-personal-data-key-long-enough-0123',
    ADMIN_USERNAME: 'admin',
    ADMIN_PASSWORD: 'Admin12345',
    LOG_LEVEL: 'silent',
    RATE_LIMIT: 'off', // the benchmark is one address firing as fast as it can
  });
  process.env.DB_POOL_SIZE = String(CONNECTIONS);
  const app = await createApp(env, databaseUrl);
  await ensureFirstAdmin(app.get(StaffService), env);
  await app.get(DemoSeeder).seed();
  let base: string;
  let workers: ApiProcess | null = null;
  if (API_WORKERS) {
    const count = apiWorkerCount({ API_WORKERS });
    workers = await ApiProcess.start({
      NODE_ENV: env.NODE_ENV,
      PORT: '0', // the kernel picks; the process says which in its banner
      DATABASE_URL: databaseUrl,
      REDIS_URL,
      REDIS_PREFIX: env.REDIS_PREFIX,
      JWT_SECRET: env.JWT_SECRET!,
      PII_KEY: env.PII_KEY!,
      ADMIN_USERNAME: env.ADMIN_USERNAME!,
      ADMIN_PASSWORD: env.ADMIN_PASSWORD!,
      SEED_DEMO: 'false',
      LOG_LEVEL: env.LOG_LEVEL,
      RATE_LIMIT: env.RATE_LIMIT,
      API_WORKERS,
      // The same database connections in all as one process has, shared out: only the processes differ.
      DB_POOL_SIZE: String(Math.ceil(CONNECTIONS / count)),
    }).catch(async (e: Error) => {
      await app.close();
      await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => undefined);
      await admin.end();
      throw e;
    });
    base = workers.baseUrl;
    console.log(`API under test: ${count} worker processes (main.ts, API_WORKERS=${API_WORKERS}), ${Math.ceil(CONNECTIONS / count)} database connections each`);
  } else {
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    console.log(`API under test: this process (set BENCH_API_WORKERS=N for N worker processes)`);
  }
  const pool = new Pool({ connectionString: databaseUrl, max: CONNECTIONS });
  pool.on('error', () => undefined); // connections ended by the final DROP DATABASE are expected
  return {
    app,
    base,
    pool,
    databaseUrl,
    async close() {
      await workers?.stop();
      await app.close();
      await pool.end();
      await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => undefined);
      await admin.end();
    },
  };
}

export async function loginAs(base: string, login: string, password: string): Promise<string> {
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login, password }),
  });
  if (!res.ok) throw new Error(`login ${login}: ${res.status}`);
  return ((await res.json()) as { accessToken: string }).accessToken;
}

/** Runs `work` from CONNECTIONS workers for DURATION seconds; returns completed operations per second. */
export async function throughput(work: (worker: number) => Promise<void>): Promise<number> {
  return (await timedThroughput(work)).perSecond;
}

/** `throughput`, with each operation's latency in ms (unsorted). */
export async function timedThroughput(work: (worker: number) => Promise<void>): Promise<{ perSecond: number; latencies: number[] }> {
  const end = Date.now() + DURATION * 1000;
  const latencies: number[] = [];
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async (_, worker) => {
      while (Date.now() < end) {
        const t = performance.now();
        await work(worker);
        latencies.push(performance.now() - t);
      }
    }),
  );
  return { perSecond: latencies.length / DURATION, latencies };
}

/** How many API processes serve the run (for the report). */
export function apiProcessCount(): number {
  return API_WORKERS ? apiWorkerCount({ API_WORKERS }) : 1;
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
