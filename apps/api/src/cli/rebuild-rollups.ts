// `npm run stats:rebuild`: recomputes the daily usage rollups from the raw event log (DATABASE_URL or the embedded server).
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadEnv } from '@lib/config';
import { buildDataSourceOptions } from '@lib/db';
import { ALL_ENTITIES, prepareDatabase } from '@lib/schema';
import { StatsService } from '@lib/stats';

(async () => {
  const env = loadEnv();
  const db = await prepareDatabase(env, console.log);
  const dataSource = await new DataSource(buildDataSourceOptions(db.url, ALL_ENTITIES, { statementTimeoutMs: 0 })).initialize();
  try {
    const started = Date.now();
    const { rows, events } = await new StatsService(dataSource).rebuildRollups();
    console.log(`Rebuilt ${rows} daily rollup rows from ${events} usage events in ${Date.now() - started} ms`);
  } finally {
    await dataSource.destroy();
    await db.embedded?.stop();
  }
})().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
