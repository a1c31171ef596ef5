import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { ConfigError, Env, loadEnv } from '@lib/config';
import { prepareDatabase } from '@lib/schema';
import { Sip2Module } from './sip2.module';
import { Sip2Server } from './sip2.server';

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
  const app = await NestFactory.createApplicationContext(Sip2Module.forRoot(env, db.url), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  const port = await app.get(Sip2Server).listen();
  process.stdout.write(`SIP2 server for self-service kiosks on port ${port} (${env.SIP2_ENCODING}); log in with a kiosk staff account\n`);
}

main().catch((e) => {
  process.stderr.write(`SIP2 start-up failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
