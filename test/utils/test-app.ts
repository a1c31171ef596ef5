import { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import TestAgent from 'supertest/lib/agent';
import { Env, loadEnv } from '@lib/config';
import { StaffService } from '@lib/accounts';
import { createApp } from '../../apps/api/src/app.factory';
import { ensureFirstAdmin } from '../../apps/api/src/startup/first-admin';
import { databaseUrl, REDIS_URL, templateName, withAdminClient } from '../setup/test-database';

export const TEST_ADMIN = { username: 'admin', password: 'Admin12345' };
export const TEST_JWT_SECRET = 'e2e-jwt-secret-that-is-long-enough-0123456789';

export interface TestApp {
  app: INestApplication;
  http: () => TestAgent;
  env: Env;
  databaseUrl: string;
  close(): Promise<void>;
}

/** The real app on a database of its own (copied from the migrated template) and real Redis under its own key prefix. */
export async function startTestApp(overrides: Record<string, string> = {}): Promise<TestApp> {
  const runId = process.env.E2E_RUN_ID;
  if (!runId) throw new Error('E2E_RUN_ID missing: run the e2e tests through jest (globalSetup makes the template)');
  const name = `culture_test_${runId}_${randomBytes(4).toString('hex')}`;
  await withAdminClient((c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${templateName(runId)}`));
  const url = databaseUrl(name);
  const env = loadEnv({
    NODE_ENV: 'test',
    REDIS_URL,
    REDIS_PREFIX: `${name}:`,
    JWT_SECRET: TEST_JWT_SECRET,
    PII_KEY: 'e2e-personal-data-key-that-is-long-enough-0',
    ADMIN_USERNAME: TEST_ADMIN.username,
    ADMIN_PASSWORD: TEST_ADMIN.password,
    LOG_LEVEL: 'silent',
    ...overrides,
  });
  const app = await createApp(env, url);
  await ensureFirstAdmin(app.get(StaffService), env);
  const server = app.getHttpServer();
  return {
    app,
    env,
    databaseUrl: url,
    http: () => request(server),
    async close() {
      await app.close();
      await withAdminClient((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}
