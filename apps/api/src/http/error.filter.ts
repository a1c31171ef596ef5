import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { localeOf } from './locale';
import { errorBody, toDomainError } from './http-error';
import { ReplayedAnswer } from './idempotency.interceptor';

/**
 * The answer as JSON whatever the handler declared: a handler's own `@Header('Content-Type')` (a
 * calendar feed) is already on the reply, and Fastify will not send an object under another type.
 */
const json = (response: FastifyReply, status: number) => response.status(status).type('application/json; charset=utf-8');

/** Every error leaves as `{statusCode, code, message, details}`; messages in zh-CN or English. */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Error');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const response = http.getResponse<FastifyReply>();
    const locale = localeOf(request.headers['accept-language']);
    if (exception instanceof ReplayedAnswer) {
      json(response, exception.status).send(exception.body);
      return;
    }
    if (exception instanceof HttpException && exception.getStatus() === HttpStatus.SERVICE_UNAVAILABLE) {
      // The health check says which dependency is down.
      json(response, 503).send({
        statusCode: 503,
        code: 'SERVICE_UNAVAILABLE',
        message: locale === 'en' ? 'A service the platform depends on is unavailable' : '平台依赖的服务暂不可用',
        details: exception.getResponse() as Record<string, unknown>,
      });
      return;
    }
    const domain = toDomainError(exception);
    if (!domain) {
      // Name, message and stack only: a failed query's parameters may hold personal data.
      const err = exception instanceof Error ? { name: exception.name, message: exception.message, stack: exception.stack } : { value: String(exception) };
      this.logger.error({ err, path: request.url.split('?')[0] }, 'unhandled error');
      json(response, 500).send({
        statusCode: 500,
        code: 'INTERNAL_ERROR',
        message: locale === 'en' ? 'Something went wrong on our side' : '服务器内部错误，请稍后再试',
        details: {},
      });
      return;
    }
    const body = errorBody(domain, locale);
    const retryAfter = domain.details['retryAfterSeconds'];
    if (typeof retryAfter === 'number') response.header('Retry-After', String(retryAfter));
    json(response, body.statusCode).send(body);
  }
}
