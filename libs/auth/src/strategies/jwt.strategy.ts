import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import type { Principal } from '../principal';
import { AuthError } from '../auth.errors';
import { AuthService } from '../services/auth.service';
import { TokenService } from '../services/token.service';
import { TokenSigningSecret } from '../signing-secret';

/** Bearer access tokens; a token of a logged-out session is refused on every instance. */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    private readonly tokens: TokenService,
    private readonly auth: AuthService,
    secret: TokenSigningSecret,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      // jsonwebtoken takes a key object (passport-jwt's types say string | Buffer, and pass it on as is).
      secretOrKey: secret.key as unknown as Buffer,
      audience: tokens.accessAudience,
      algorithms: ['HS256'],
    });
  }

  async validate(claims: Parameters<TokenService['principalFromClaims']>[0]): Promise<Principal> {
    const principal = this.tokens.principalFromClaims(claims);
    if (await this.auth.isSessionRevoked(principal.sessionId)) throw AuthError.TOKEN_INVALID();
    return principal;
  }
}
