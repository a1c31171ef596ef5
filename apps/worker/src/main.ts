import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { ConfigError, Env, loadEnv } from '@lib/config';
import { prepareDatabase } from '@lib/schema';
import { WorkerModule } from './worker.module';

/**
 * `npm run start:worker`: runs the background jobs (BullMQ on REDIS_URL; without it, in-process timers).
 * Start as many as you like: BullMQ gives each run to one worker, and each job is safe twice anyway.
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
  const db = await prepareDatabase(env, (line) => process.stdout.write(`${line}\n`));
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(env, db.url), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  await app.init();
  process.stdout.write(`Background worker running (${env.REDIS_URL ? 'BullMQ on Redis' : 'in-process timers: no REDIS_URL'})\n`);
}

main().catch((e) => {
  process.stderr.write(`Worker start-up failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
