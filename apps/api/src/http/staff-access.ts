import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { StaffAccess } from '@lib/accounts';
import type { Principal } from '@lib/auth';

/**
 * Who reads or changes a resident's personal data, for the PIPL access log: the staff caller, the client
 * address as Fastify reports it (which honours TRUST_PROXY: the balancer's address unless it is trusted) and
 * the user agent. Undefined for a resident acting on their own data, which is not logged.
 */
export const StaffAccessOf = createParamDecorator((_data: unknown, ctx: ExecutionContext): StaffAccess | undefined => {
  const request = ctx.switchToHttp().getRequest<FastifyRequest & { user?: Principal }>();
  const principal = request.user;
  if (!principal || principal.kind !== 'staff') return undefined;
  const agent = request.headers['user-agent'];
  return { staffId: principal.id, ip: request.ip ?? null, userAgent: typeof agent === 'string' ? agent : null };
});
