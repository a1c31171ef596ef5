import 'reflect-metadata';
import { INestApplication } from '@nestjs/common';
import { AddressInfo } from 'node:net';
import { Client, Pool } from 'pg';
import { loadEnv } from '@lib/config';
import { StaffService } from '@lib/accounts';
import { createApp } from '../../apps/api/src/app.factory';
import { DemoSeeder } from '../../apps/api/src/demo/demo-seeder';
import { migrate } from '@lib/schema';
import { ensureFirstAdmin } from '../../apps/api/src/startup/first-admin';

export const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const REDIS_URL = process.env.BENCH_REDIS_URL ?? process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const DURATION = Number(process.env.BENCH_SECONDS ?? 5);
export const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);

export interface BenchApp {
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
  await app.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  const pool = new Pool({ connectionString: databaseUrl, max: CONNECTIONS });
  pool.on('error', () => undefined); // connections ended by the final DROP DATABASE are expected
  return {
    app,
    base,
    pool,
    databaseUrl,
    async close() {
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
  const end = Date.now() + DURATION * 1000;
  let done = 0;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async (_, worker) => {
      while (Date.now() < end) {
        await work(worker);
        done++;
      }
    }),
  );
  return done / DURATION;
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
