import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension } from '@nestjs/swagger';
import type { Principal, Role } from './principal';

export const PUBLIC_KEY = 'auth:public';
export const ROLES_KEY = 'auth:roles';
export const BRANCH_SCOPE_KEY = 'auth:branch-scope';

/** Anyone may call this endpoint, without a token. */
export const Public = () => applyDecorators(SetMetadata(PUBLIC_KEY, true), ApiExtension('x-roles', ['public']));

/**
 * Only these roles may call this endpoint. Every non-public endpoint must say so: the global guard
 * denies an endpoint that declares nothing. The roles also appear in the OpenAPI document.
 */
export const Roles = (...roles: Role[]) =>
  applyDecorators(SetMetadata(ROLES_KEY, roles), ApiBearerAuth(), ApiExtension('x-roles', [...roles].sort()));

export interface BranchScope {
  source: 'params' | 'body' | 'query';
  key: string;
}

/**
 * The action happens at the branch named by this request field; a branch-bound caller (librarian,
 * kiosk, device) must belong to it, or gets 403. Admins pass.
 */
export const ActsAtBranch = (source: BranchScope['source'], key: string) =>
  applyDecorators(SetMetadata(BRANCH_SCOPE_KEY, { source, key } satisfies BranchScope), ApiExtension('x-acts-at-branch', `${source}.${key}`));

export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): Principal => ctx.switchToHttp().getRequest().user as Principal,
);

/** The branch the guard settled for an @ActsAtBranch() endpoint (the one asked for, or the caller's only one). */
export const ActingBranch = createParamDecorator((_data: unknown, ctx: ExecutionContext): string => ctx.switchToHttp().getRequest().actingBranchId as string);

/** On a @Public() endpoint: the caller when a valid token came with the request, else undefined. */
export const OptionalPrincipal = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): Principal | undefined => (ctx.switchToHttp().getRequest().user as Principal | undefined) ?? undefined,
);
