import fastifyHelmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Logger } from 'nestjs-pino';
import { Env } from '@lib/config';
import { CommonError } from '@lib/errors';
import { AppModule, AppOptions } from './app.module';
import { createValidationPipe } from './http/validation';
import { addResponseViews } from './http/answers';
import { errorBody } from './http/http-error';
import { ResponseChecker } from './http/response-check';
import { localeOf } from './http/locale';
import { badPath, bodyLimitBytes, fromFastifyError, PlatformFastifyAdapter, registerBodyParsers, trustProxySetting } from './http/http-platform';
import { rejectUnstorableCharacters } from './http/reject-nul';
import { LiveSocketAdapter } from './live/live-socket.adapter';

/** Builds the HTTP app exactly as production runs it; the e2e tests use this too. */
export async function createApp(env: Env, databaseUrl: string, options: AppOptions = {}): Promise<INestApplication> {
  const bodyLimit = bodyLimitBytes(env.BODY_LIMIT);
  const adapter = new PlatformFastifyAdapter({
    bodyLimit,
    trustProxy: env.TRUST_PROXY ? trustProxySetting(env.TRUST_PROXY) : false,
    // As Express routed: `/api/branches/` is `/api/branches`, paths are matched without regard to case,
    // and a path parameter may be long (a calendar feed's address carries a signed token; Fastify's default is 100).
    routerOptions: { ignoreTrailingSlash: true, caseSensitive: false, maxParamLength: 4096 },
    // Requests arriving while the server closes are refused below, in the platform's error shape.
    return503OnClosing: false,
    // A path Fastify cannot decode (bad percent-encoding) is the client's, in the platform's shape.
    frameworkErrors: (error: Error, request: FastifyRequest, reply: FastifyReply) => {
      const domain = fromFastifyError(error) ?? badPath();
      const body = errorBody(domain, localeOf(request.headers['accept-language']));
      void reply.status(body.statusCode).send(body);
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(env, databaseUrl, options), adapter, {
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  if (options.shutdownHooks !== false) app.enableShutdownHooks();
  app.setGlobalPrefix('api');
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  await app.register(fastifyHelmet as never, { contentSecurityPolicy: env.NODE_ENV === 'production' ? undefined : false });
  // Body reading failures (malformed JSON, too large) answer in the platform's error shape (see http-platform.ts).
  registerBodyParsers(fastify, bodyLimit);
  const origins = env.CORS_ORIGINS.split(',').map((o) => o.trim()).filter(Boolean);
  if (origins.length) app.enableCors({ origin: origins.includes('*') ? true : origins, credentials: true });
  fastify.addHook('preValidation', rejectUnstorableCharacters);
  refuseWhileClosing(fastify);
  app.useGlobalPipes(createValidationPipe());
  app.useWebSocketAdapter(new LiveSocketAdapter(app));
  await serveWebApp(fastify, env);

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Public cultural service platform API / 公共文化服务平台接口')
      .setDescription('Branch network, one card, circulation, booking, menu services and indicators. `x-roles` lists who may call each operation.')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  addResponseViews(document);
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
  if (env.RESPONSE_CHECK === 'strict') {
    const logger = app.get(Logger);
    new ResponseChecker(document).install(fastify, (problem) => {
      logger.error(problem, 'answer does not match its response schema');
      // Tests run with the log silenced and supertest shows only the status: say which field, always.
      process.stderr.write(`RESPONSE_SCHEMA_MISMATCH ${problem.operation} ${problem.status}: ${problem.problem}\n`);
    });
  }
  await app.init();
  // Supertest and socket.io use the Node server directly, so every route and plugin must be in place first.
  await fastify.ready();
  return app;
}

/**
 * Graceful stop (SIGTERM): once the server starts closing it stops accepting connections, lets the
 * requests under way finish, and answers any new request on a kept-alive connection with a 503
 * SHUTTING_DOWN, Retry-After and `Connection: close`, so the client goes to another instance.
 */
function refuseWhileClosing(fastify: FastifyInstance): void {
  let closing = false;
  fastify.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  fastify.addHook('onRequest', (request, reply, done) => {
    if (!closing) return done();
    const body = errorBody(CommonError.SHUTTING_DOWN({ retryAfterSeconds: 1 }), localeOf(request.headers['accept-language']));
    void reply.status(503).header('Retry-After', '1').header('Connection', 'close').type('application/json; charset=utf-8').send(body);
  });
}

/**
 * The built web app at `/`, with index.html for any other page path (the app routes in the browser);
 * `/api/*` is never answered with the page, so unknown API paths stay JSON 404s. Left out when the
 * web app has not been built (an API-only deployment).
 */
async function serveWebApp(fastify: FastifyInstance, env: Env): Promise<void> {
  const root = resolve(env.WEB_DIR);
  if (!existsSync(join(root, 'index.html'))) return;
  // The files present at start-up, each as a route; anything else is a page path or a 404.
  await fastify.register(fastifyStatic, { root, wildcard: false });
  const isApi = (url: string) => /^\/api(\/|\?|$)/i.test(url);
  fastify.get('/*', (request: FastifyRequest, reply: FastifyReply) => {
    if (isApi(request.url)) return reply.callNotFound();
    return reply.type('text/html; charset=utf-8').sendFile('index.html');
  });
}
