import { ExecutionContext, Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { CommonError } from '@lib/errors';
import { LoginDto } from '../dto/auth.dto';

/**
 * passport-local for the login endpoint. Guards run before pipes, so the body is validated here:
 * a missing field is a 400 naming it, not passport's bare 401.
 */
@Injectable()
export class LocalAuthGuard extends AuthGuard('local') {
  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const body: unknown = context.switchToHttp().getRequest().body ?? {};
    // A JSON array or string is no login form; class-validator would refuse it naming no field.
    if (typeof body !== 'object' || Array.isArray(body)) {
      throw CommonError.VALIDATION_FAILED({ fields: 'body', errors: [{ field: 'body', messages: ['body must be a JSON object'] }] });
    }
    const errors = validateSync(plainToInstance(LoginDto, body), { whitelist: true, forbidNonWhitelisted: true });
    if (errors.length) {
      throw CommonError.VALIDATION_FAILED({
        fields: errors.map((e) => e.property).join(', '),
        errors: errors.map((e) => ({ field: e.property, messages: Object.values(e.constraints ?? {}) })),
      });
    }
    return (await super.canActivate(context)) as boolean;
  }

  override handleRequest<T>(error: unknown, user: T): T {
    // A failure that is not about the credentials (the database unreachable, say) keeps its own answer (503),
    // never a 401 that would tell the resident their password is wrong.
    if (error) throw error;
    if (!user) throw CommonError.UNAUTHENTICATED();
    return user;
  }
}
