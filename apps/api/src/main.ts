import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { DateTime } from 'luxon';
import { join, resolve } from 'node:path';
import { ConfigError, Env, loadEnv } from '@lib/config';
import { StaffService } from '@lib/accounts';
import { createApp } from './app.factory';
import { DemoSeeder } from './demo/demo-seeder';
import { DEMO_RESIDENT_PASSWORD, DEMO_STAFF, DEMO_STAFF_PASSWORD } from './demo/demo-district';
import { prepareDatabase } from '@lib/schema';
import { ensureFirstAdmin } from './startup/first-admin';

const say = (line: string) => process.stdout.write(`${line}\n`);

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

  const db = await prepareDatabase(env, say);
  if (db.migrationsRun.length) say(`Migrations applied: ${db.migrationsRun.join(', ')}`);
  const app = await createApp(env, db.url);
  const admin = await ensureFirstAdmin(app.get(StaffService), env);
  const seedDemo = env.SEED_DEMO ?? env.NODE_ENV === 'development';
  const seeder = app.get(DemoSeeder);
  if (seedDemo) await seeder.seed();

  const stop = async () => {
    await app.close();
    await db.embedded?.stop();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);

  await app.listen(env.PORT, '0.0.0.0');
  const base = (await app.getUrl()).replace('[::1]', 'localhost').replace('0.0.0.0', 'localhost');
  say('');
  say(`Public cultural service platform / 公共文化服务平台`);
  const web = existsSync(join(resolve(env.WEB_DIR), 'index.html'));
  if (web) say(`  Web app:  ${base}/`);
  say(`  API:      ${base}/api`);
  say(`  API docs: ${base}/api/docs   (OpenAPI JSON: ${base}/api/docs-json)`);
  say(`  Health:   ${base}/api/health`);
  if (admin) say(`  Admin:    ${admin.username}${admin.password ? ` / ${admin.password}` : ''}`);
  if (seedDemo) {
    say(`  Demo staff (password ${DEMO_STAFF_PASSWORD}): ${DEMO_STAFF.map((s) => `${s.username} (${s.role})`).join(', ')}`);
    for (const r of await seeder.residentCards()) {
      say(`  Demo resident ${r.name}: phone ${r.phone}, card ${r.cardNumber ?? '-'}, password ${DEMO_RESIDENT_PASSWORD}`);
    }
    // A flash registration to watch live: the class opens a few minutes after the first start.
    const flash = await seeder.flashClass();
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
