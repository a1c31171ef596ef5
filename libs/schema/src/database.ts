import { DataSource } from 'typeorm';
import { Env } from '@lib/config';
import { buildDataSourceOptions, EmbeddedPostgresHandle, runMigrationsLocked, startEmbeddedPostgres } from '@lib/db';
import { ALL_ENTITIES } from './entities';

export interface PreparedDatabase {
  url: string;
  embedded: EmbeddedPostgresHandle | null;
  migrationsRun: string[];
}

/** DATABASE_URL, or an embedded PostgreSQL kept under EMBEDDED_PG_DIR; then the migrations, once across instances. */
export async function prepareDatabase(env: Env, log: (line: string) => void, options: { stopOnSignal?: boolean } = {}): Promise<PreparedDatabase> {
  let embedded: EmbeddedPostgresHandle | null = null;
  let url = env.DATABASE_URL;
  if (!url) {
    log(`DATABASE_URL not set: starting embedded PostgreSQL (${env.EMBEDDED_PG_DIR}, port ${env.EMBEDDED_PG_PORT})`);
    embedded = await startEmbeddedPostgres({ dir: env.EMBEDDED_PG_DIR, port: env.EMBEDDED_PG_PORT, database: 'culture', log, stopOnSignal: options.stopOnSignal });
    url = embedded.url;
  }
  const migrationsRun = await migrate(url);
  return { url, embedded, migrationsRun };
}

export async function migrate(url: string): Promise<string[]> {
  const dataSource = new DataSource(buildDataSourceOptions(url, ALL_ENTITIES, { statementTimeoutMs: 0 }));
  await dataSource.initialize();
  try {
    return (await runMigrationsLocked(dataSource)).map((m) => m.name);
  } finally {
    await dataSource.destroy();
  }
}
