import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import express, { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { Env } from '@lib/config';
import { AppModule, AppOptions } from './app.module';
import { createValidationPipe } from './http/validation';
import { errorBody, toDomainError } from './http/http-error';
import { localeOf } from './http/locale';
import { rejectNulCharacters } from './http/reject-nul';
import { LiveSocketAdapter } from './live/live-socket.adapter';

/** Builds the HTTP app exactly as production runs it; the e2e tests use this too. */
export async function createApp(env: Env, databaseUrl: string, options: AppOptions = {}): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(env, databaseUrl, options), {
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  if (options.shutdownHooks !== false) app.enableShutdownHooks();
  app.setGlobalPrefix('api');
  if (env.TRUST_PROXY) app.set('trust proxy', trustProxySetting(env.TRUST_PROXY));
  app.use(helmet({ contentSecurityPolicy: env.NODE_ENV === 'production' ? undefined : false }));
  app.use(express.json({ limit: env.BODY_LIMIT }));
  app.use(express.urlencoded({ limit: env.BODY_LIMIT, extended: false }));
  // Body-parser failures (malformed JSON, too large) answer in the platform's error shape.
  app.use((error: unknown, request: Request, response: Response, next: NextFunction) => {
    const domain = (error as { type?: string }).type ? toDomainError(error) : null;
    if (!domain) return next(error);
    const body = errorBody(domain, localeOf(request.headers['accept-language']));
    response.status(body.statusCode).json(body);
  });
  const origins = env.CORS_ORIGINS.split(',').map((o) => o.trim()).filter(Boolean);
  if (origins.length) app.enableCors({ origin: origins.includes('*') ? true : origins, credentials: true });
  app.use(rejectNulCharacters);
  app.useGlobalPipes(createValidationPipe());
  app.useWebSocketAdapter(new LiveSocketAdapter(app));

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Public cultural service platform API / 公共文化服务平台接口')
      .setDescription('Branch network, one card, circulation, booking, menu services and indicators. `x-roles` lists who may call each operation.')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
  await app.init();
  return app;
}

/** TRUST_PROXY as Express wants it: true, a hop count, or a list of addresses and subnets. */
export function trustProxySetting(value: string): boolean | number | string[] {
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  return value.split(',').map((v) => v.trim()).filter(Boolean);
}
