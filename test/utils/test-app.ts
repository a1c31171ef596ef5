import { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { AddressInfo } from 'node:net';
import request from 'supertest';
import TestAgent from 'supertest/lib/agent';
import { Env, loadEnv } from '@lib/config';
import { StaffService } from '@lib/accounts';
import type { NotificationsOptions } from '@lib/notifications';
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
  /** `http://127.0.0.1:<port>` when started with `listen` (socket.io clients need a real port). */
  baseUrl: string | null;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Another instance of the same deployment: the same database and Redis key prefix (its own is not made or dropped). */
  sameDeploymentAs?: TestApp;
  /** Listen on a free port (port 0). */
  listen?: boolean;
  /** Outside notification channels bound by the app (default: the log channel). */
  notificationChannels?: NotificationsOptions['channels'];
}

/**
 * The real app on a database of its own (copied from the migrated template) and real Redis under its
 * own key prefix. Rate limits are off unless a test turns them on (`RATE_LIMIT: 'on'`): the tests fire
 * many parallel requests from one address.
 */
export async function startTestApp(overrides: Record<string, string> = {}, options: TestAppOptions = {}): Promise<TestApp> {
  const runId = process.env.E2E_RUN_ID;
  if (!runId) throw new Error('E2E_RUN_ID missing: run the e2e tests through jest (globalSetup makes the template)');
  const shared = options.sameDeploymentAs;
  const name = shared ? new URL(shared.databaseUrl).pathname.slice(1) : `culture_test_${runId}_${randomBytes(4).toString('hex')}`;
  if (!shared) await withAdminClient((c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${templateName(runId)}`));
  const url = databaseUrl(name);
  const env = loadEnv({
    NODE_ENV: 'test',
    REDIS_URL,
    REDIS_PREFIX: shared?.env.REDIS_PREFIX ?? `${name}:`,
    RATE_LIMIT: 'off',
    JWT_SECRET: TEST_JWT_SECRET,
    PII_KEY: 'e2e-personal-data-key-that-is-long-enough-0',
    ADMIN_USERNAME: TEST_ADMIN.username,
    ADMIN_PASSWORD: TEST_ADMIN.password,
    LOG_LEVEL: 'silent',
    RESPONSE_CHECK: 'strict',
    ...overrides,
  });
  const app = await createApp(env, url, { notificationChannels: options.notificationChannels });
  await ensureFirstAdmin(app.get(StaffService), env);
  let baseUrl: string | null = null;
  if (options.listen) {
    await app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  }
  const server = app.getHttpServer();
  return {
    app,
    env,
    databaseUrl: url,
    baseUrl,
    http: () => request(server),
    async close() {
      await app.close();
      if (!shared) await withAdminClient((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}
