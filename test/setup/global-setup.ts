// globalSetup runs outside jest's module mapper; resolve the @lib/* paths from tsconfig.json.
import 'tsconfig-paths/register';
import Redis from 'ioredis';
import { migrate } from '@lib/schema';
import { ADMIN_URL, databaseUrl, REDIS_URL, templateName, withAdminClient } from './test-database';

/**
 * Once per run: checks that real PostgreSQL and Redis answer, and builds a migrated template
 * database. Each test file then gets its own database copied from it (fast, and independent).
 */
export default async function globalSetup(): Promise<void> {
  const runId = `${Date.now().toString(36)}${process.pid.toString(36)}`;
  process.env.E2E_RUN_ID = runId;

  await withAdminClient(async (client) => {
    await client.query(`CREATE DATABASE ${templateName(runId)}`);
  }).catch((e: Error) => {
    throw new Error(`e2e tests need PostgreSQL at ${ADMIN_URL} (set TEST_DATABASE_URL): ${e.message}`);
  });
  await migrate(databaseUrl(templateName(runId)));

  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  try {
    await redis.connect();
    await redis.ping();
  } catch (e) {
    throw new Error(`e2e tests need Redis at ${REDIS_URL} (set TEST_REDIS_URL): ${(e as Error).message}`);
  } finally {
    redis.disconnect();
  }
}
