// `npm run migration:run`: applies pending migrations to DATABASE_URL (or the embedded server).
import 'reflect-metadata';
import { loadEnv } from '@lib/config';
import { prepareDatabase } from '@lib/schema';

(async () => {
  const env = loadEnv();
  const db = await prepareDatabase(env, console.log);
  console.log(db.migrationsRun.length ? `Applied: ${db.migrationsRun.join(', ')}` : 'No pending migrations');
  await db.embedded?.stop();
})().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
