import { CallHandler, ExecutionContext, Injectable, NestInterceptor, SetMetadata, UseInterceptors } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiHeader } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { applyDecorators } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { catchError, from, map, Observable, of, switchMap, throwError } from 'rxjs';
import { DataSource } from 'typeorm';
import { Logger } from '@nestjs/common';
import { databaseUnavailableReason } from '@lib/db';
import { CommonError } from '@lib/errors';
import { errorBody, toDomainError } from './http-error';
import { localeOf } from './locale';

const IDEMPOTENT = 'http:idempotent';
const KEEP_HOURS = 24;

/**
 * The endpoint honours `Idempotency-Key`: a retry with the same key gets the first answer. The
 * interceptor is bound here, on these endpoints only, not globally: an endpoint without interceptors
 * skips Nest's observable pipeline altogether (4% of the CPU of a request like GET /api/me).
 */
export const Idempotent = () =>
  applyDecorators(
    SetMetadata(IDEMPOTENT, true),
    UseInterceptors(IdempotencyInterceptor),
    ApiHeader({ name: 'Idempotency-Key', required: false, description: 'a retry with the same key and body returns the first answer' }),
  );

/** A stored client-error answer, sent again as it was. */
export class ReplayedAnswer extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super('replayed answer');
  }
}

const sha = (text: string) => createHash('sha256').update(text).digest('hex');
/** How long the key's bookkeeping is retried while the database is unreachable: a claim left longer is taken over anyway. */
const BOOKKEEPING_RETRY_MS = 120_000;

/**
 * Stores the first answer (success or client error) under caller + method + path + key in
 * PostgreSQL, so every instance replays it. A second request while the first is still running gets a
 * 409; the same key with another body gets a 409 too. Server errors are not kept, so they can be retried.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly logger = new Logger('Idempotency');

  constructor(
    private readonly reflector: Reflector,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest & { user?: { id: string } }>();
    const key = request.headers['idempotency-key'];
    if (!this.reflector.get<boolean>(IDEMPOTENT, context.getHandler()) || typeof key !== 'string' || !key) return next.handle();
    if (key.length > 200) {
      throw CommonError.VALIDATION_FAILED({ fields: 'Idempotency-Key', errors: [{ field: 'Idempotency-Key', messages: ['Idempotency-Key must be at most 200 characters'] }] });
    }
    const scope = sha(`${request.user?.id ?? 'anonymous'}|${request.method}|${request.url.split('?')[0]}|${key}`);
    const requestHash = sha(JSON.stringify(request.body ?? null));
    return from(this.begin(scope, requestHash)).pipe(
      switchMap((stored) => {
        if (stored) {
          if (stored.status >= 400) return throwError(() => new ReplayedAnswer(stored.status, stored.body));
          return of(stored.body);
        }
        const status = (Reflect.getMetadata('__httpCode__', context.getHandler()) as number | undefined) ?? (request.method === 'POST' ? 201 : 200);
        return next.handle().pipe(
          // Stored before the answer leaves, so a retry never finds the key still "in progress". When the
          // database went away right after the handler's commit, the answer is still true: it leaves, and
          // is stored once the database is back (a retry meanwhile is told "in progress", never acts twice).
          switchMap((body) => from(this.settle(() => this.finish(scope, status, body))).pipe(map(() => body))),
          catchError((error: unknown) => {
            const domain = toDomainError(error);
            // A passing conflict (deadlock, serialization) or an unreachable database (503) is not an answer
            // to keep: the retry should act. The handler's transaction did not commit, so the key is freed.
            if (domain && domain.code !== 'RETRY' && domain.kind !== 'unavailable') {
              const body = errorBody(domain, localeOf(request.headers['accept-language']));
              return from(this.finish(scope, body.statusCode, body)).pipe(switchMap(() => throwError(() => error)));
            }
            return from(this.settle(() => this.forget(scope))).pipe(switchMap(() => throwError(() => error)));
          }),
        );
      }),
    );
  }

  /**
   * Runs the key's bookkeeping now; when the database is unreachable, goes on trying in the background
   * (every second, for two minutes) instead of failing a request whose outcome is already decided.
   */
  private async settle(work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (e) {
      if (!databaseUnavailableReason(e)) throw e;
      const until = performance.now() + BOOKKEEPING_RETRY_MS;
      const again = () =>
        setTimeout(() => {
          work().catch((err: unknown) => {
            if (databaseUnavailableReason(err) && performance.now() < until) again();
            else this.logger.warn({ err: { name: (err as Error).name, message: (err as Error).message } }, 'idempotency key left claimed');
          });
        }, 1000);
      again();
    }
  }

  /** Claims the key, or returns what is stored for it. */
  private async begin(scope: string, requestHash: string): Promise<{ status: number; body: unknown } | null> {
    const claimed: unknown[] = await this.dataSource.query(
      `INSERT INTO idempotency_key (scope, request_hash, expires_at) VALUES ($1, $2, now() + make_interval(hours => $3))
       ON CONFLICT (scope) DO UPDATE SET request_hash = EXCLUDED.request_hash, status = NULL, body = NULL, created_at = now(), expires_at = EXCLUDED.expires_at
         WHERE idempotency_key.expires_at < now()
            -- a claim left by a process that died mid-request is taken over after two minutes
            OR (idempotency_key.status IS NULL AND idempotency_key.created_at < now() - interval '2 minutes')
       RETURNING scope`,
      [scope, requestHash, KEEP_HOURS],
    );
    if (claimed.length) return null;
    const [row] = await this.dataSource.query(`SELECT request_hash, status, body FROM idempotency_key WHERE scope = $1`, [scope]);
    if (!row || row.request_hash !== requestHash) throw CommonError.IDEMPOTENCY_KEY_REUSED();
    if (row.status === null) throw CommonError.IDEMPOTENCY_IN_PROGRESS({ retryAfterSeconds: 1 });
    return { status: row.status, body: row.body };
  }

  private async finish(scope: string, status: number, body: unknown): Promise<void> {
    await this.dataSource.query(`UPDATE idempotency_key SET status = $2, body = $3::jsonb WHERE scope = $1`, [scope, status, JSON.stringify(body ?? null)]);
  }

  private async forget(scope: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM idempotency_key WHERE scope = $1`, [scope]);
  }
}
