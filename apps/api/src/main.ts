import 'reflect-metadata';
import cluster from 'node:cluster';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { DateTime } from 'luxon';
import { join, resolve } from 'node:path';
import { INestApplication } from '@nestjs/common';
import { apiWorkerCount, ConfigError, Env, loadEnv } from '@lib/config';
import { StaffService } from '@lib/accounts';
import { createApp } from './app.factory';
import { DemoSeeder } from './demo/demo-seeder';
import { DEMO_RESIDENT_PASSWORD, DEMO_STAFF, DEMO_STAFF_PASSWORD } from './demo/demo-district';
import { prepareDatabase } from '@lib/schema';
import { ensureFirstAdmin } from './startup/first-admin';
import { ApiWorkerPool } from './startup/cluster';

const say = (line: string) => process.stdout.write(`${line}\n`);
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
/**
 * Longest a stop may take. The HTTP server stops accepting at once and refuses new requests on open
 * connections (503 SHUTTING_DOWN); requests under way get this long to finish (the database's statement
 * timeout bounds most of them well below it), then the process exits anyway.
 */
const STOP_GRACE_MS = 15_000;

/** Runs `stop` once on the first of SIGINT, SIGTERM or SIGHUP (Ctrl-C reaches every process of the group: later ones are ignored). */
function onStopSignal(stop: () => Promise<void>): void {
  let stopping = false;
  const handler = () => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => {
      process.stderr.write(`Still stopping ${STOP_GRACE_MS / 1000} s after the signal: exiting now\n`);
      process.exit(1);
    }, STOP_GRACE_MS).unref();
    stop().then(
      () => process.exit(0),
      (e: Error) => {
        process.stderr.write(`Stopping failed: ${e.message}\n`);
        process.exit(1);
      },
    );
  };
  for (const signal of SIGNALS) process.on(signal, handler);
}

/**
 * `npm start` / `npm run start:prod`. One process by default; with API_WORKERS > 1 this process is the
 * primary of a node:cluster (apps/api/src/startup/cluster.ts): it prepares the database once (embedded
 * PostgreSQL, migrations, first admin, demo data), starts the workers, prints the banner, and on SIGINT
 * or SIGTERM stops the workers and then the embedded PostgreSQL. Each worker only builds the app and
 * listens on PORT.
 */
async function main(): Promise<void> {
  let env: Env;
  try {
    env = loadEnv();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
  if (cluster.isWorker) return worker(env);

  const workers = apiWorkerCount(env);
  const db = await prepareDatabase(env, say, { stopOnSignal: false });
  let stopFirst: (() => Promise<void>) | null = null;
  onStopSignal(async () => {
    await stopFirst?.();
    await db.embedded?.stop();
  });
  if (db.migrationsRun.length) say(`Migrations applied: ${db.migrationsRun.join(', ')}`);
  const seedDemo = env.SEED_DEMO ?? env.NODE_ENV === 'development';

  if (workers === 1) {
    const app = await createApp(env, db.url, { shutdownHooks: false });
    stopFirst = () => app.close();
    const prepared = await prepareContent(app, env, seedDemo);
    await app.listen(env.PORT, '0.0.0.0');
    const base = (await app.getUrl()).replace('[::1]', 'localhost').replace('0.0.0.0', 'localhost');
    printBanner(env, base, prepared);
    return;
  }

  // The workers must agree on the token secret: a random one per process would make each worker refuse the others' tokens.
  const secret = env.JWT_SECRET ?? randomBytes(48).toString('base64url');
  if (!env.JWT_SECRET) say('JWT_SECRET not set: the workers share a random secret made at this start (tokens end at restart)');
  // The first admin and the demo data, once, from an app that never listens and runs no jobs.
  const quiet = ['silent', 'fatal', 'error'].includes(env.LOG_LEVEL) ? env.LOG_LEVEL : 'warn';
  const setup = await createApp(loadEnv({ ...process.env, JWT_SECRET: secret, JOBS_RUN_IN: 'worker', LOG_LEVEL: quiet }), db.url, { shutdownHooks: false });
  stopFirst = () => setup.close();
  const prepared = await prepareContent(setup, env, seedDemo);
  await setup.close();

  const pool = new ApiWorkerPool({ count: workers, env: { DATABASE_URL: db.url, JWT_SECRET: secret }, say });
  stopFirst = () => pool.stop();
  let port: number;
  try {
    port = await pool.start();
  } catch (e) {
    await pool.stop();
    await db.embedded?.stop();
    throw e;
  }
  printBanner(env, `http://localhost:${port}`, prepared, workers);
}

/** A cluster worker: the app on the shared port, closed on a stop signal or when the primary is gone. */
async function worker(env: Env): Promise<void> {
  const app = await createApp(env, env.DATABASE_URL!, { shutdownHooks: false });
  onStopSignal(() => app.close());
  process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
  await app.listen(env.PORT, '0.0.0.0');
}

interface Prepared {
  admin: { username: string; password?: string } | null;
  demo: { residents: Array<{ name: string; phone: string; cardNumber: string | null }>; flash: { title: string; id: string; opensAt: Date | null } | null } | null;
}

async function prepareContent(app: INestApplication, env: Env, seedDemo: boolean): Promise<Prepared> {
  const admin = await ensureFirstAdmin(app.get(StaffService), env);
  if (!seedDemo) return { admin, demo: null };
  const seeder = app.get(DemoSeeder);
  await seeder.seed();
  return { admin, demo: { residents: await seeder.residentCards(), flash: await seeder.flashClass() } };
}

function printBanner(env: Env, base: string, { admin, demo }: Prepared, workers = 1): void {
  say('');
  say(`Public cultural service platform / 公共文化服务平台`);
  const web = existsSync(join(resolve(env.WEB_DIR), 'index.html'));
  if (web) say(`  Web app:  ${base}/`);
  say(`  API:      ${base}/api`);
  say(`  API docs: ${base}/api/docs   (OpenAPI JSON: ${base}/api/docs-json)`);
  say(`  Health:   ${base}/api/health`);
  if (workers > 1) say(`  Workers:  ${workers} API processes on one port (API_WORKERS=${env.API_WORKERS}); live updates over websocket only`);
  if (admin) say(`  Admin:    ${admin.username}${admin.password ? ` / ${admin.password}` : ''}`);
  if (demo) {
    say(`  Demo staff (password ${DEMO_STAFF_PASSWORD}): ${DEMO_STAFF.map((s) => `${s.username} (${s.role})`).join(', ')}`);
    for (const r of demo.residents) {
      say(`  Demo resident ${r.name}: phone ${r.phone}, card ${r.cardNumber ?? '-'}, password ${DEMO_RESIDENT_PASSWORD}`);
    }
    // A flash registration to watch live: the class opens a few minutes after the first start.
    const flash = demo.flash;
    if (flash?.opensAt) {
      const when = DateTime.fromJSDate(flash.opensAt).setZone(env.TIME_ZONE).toFormat('yyyy-MM-dd HH:mm');
      const where = web ? `${base}/activities/${flash.id}` : `${base}/api/activities/${flash.id}`;
      say(`  Flash registration: ${flash.title} ${flash.opensAt > new Date() ? 'opens' : 'opened'} at ${when} (${env.TIME_ZONE}): ${where}`);
    }
  }
}

main().catch((e) => {
  process.stderr.write(`Start-up failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
