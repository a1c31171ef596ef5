import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { CommonError, DomainError } from '@lib/errors';
import { BRANCH_SCOPE_KEY, BranchScope, PUBLIC_KEY, ROLES_KEY } from '../decorators';
import { actingBranchOf, canActAtBranch, Principal, Role } from '../principal';
import { AuthError } from '../auth.errors';

/**
 * The one global guard. Denies by default: an endpoint is reachable only if it is @Public() or
 * names its @Roles(); @ActsAtBranch() then keeps branch-bound staff to their own branches.
 */
@Injectable()
export class AccessGuard extends AuthGuard('jwt') {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) {
      // A public endpoint may still tell who calls (an operator sees their own drafts); a bad token is just anonymous.
      if (context.switchToHttp().getRequest().headers?.authorization) {
        try {
          await super.canActivate(context);
        } catch {
          // anonymous
        }
      }
      return true;
    }
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (!roles?.length) throw AuthError.NO_ROLES_DECLARED();

    await super.canActivate(context);
    const request = context.switchToHttp().getRequest();
    const principal = request.user as Principal;
    if (!roles.includes(principal.role)) throw CommonError.FORBIDDEN({ role: principal.role });

    const scope = this.reflector.getAllAndOverride<BranchScope | undefined>(BRANCH_SCOPE_KEY, targets);
    if (scope) {
      // Missing means "my only branch"; a branch that cannot be told, or is not theirs, is refused.
      const holder = request[scope.source] ?? {};
      const branchId = actingBranchOf(principal, holder[scope.key]);
      if (!branchId) {
        throw CommonError.VALIDATION_FAILED({
          fields: scope.key,
          errors: [{ field: scope.key, messages: [`${scope.key} is required: you act at more than one branch (or none)`] }],
        });
      }
      if (!canActAtBranch(principal, branchId)) throw CommonError.BRANCH_FORBIDDEN({ branchId });
      // Body and path objects are plain and keep the default for the handler; Express re-parses the query each time.
      if (scope.source !== 'query') holder[scope.key] = branchId;
      request.actingBranchId = branchId;
    }
    return true;
  }

  override handleRequest<T>(error: unknown, user: T): T {
    if (error instanceof DomainError) throw error;
    if (error || !user) throw CommonError.UNAUTHENTICATED();
    return user;
  }
}
