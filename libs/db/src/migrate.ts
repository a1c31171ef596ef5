import { DataSource, Migration } from 'typeorm';

// Any fixed 64-bit number; it only has to be the same in every instance of the platform.
const MIGRATION_LOCK_KEY = 72_410_001;

/**
 * Runs pending migrations while holding a session-level advisory lock, so several API instances
 * starting together migrate once: the others wait, then find nothing pending.
 */
export async function runMigrationsLocked(dataSource: DataSource): Promise<Migration[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      return await dataSource.runMigrations({ transaction: 'each' });
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await runner.release();
  }
}
