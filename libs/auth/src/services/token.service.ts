import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { Env } from '@lib/config';
import type { Principal, Role } from '../principal';
import { AuthError } from '../auth.errors';

interface AccessClaims {
  sub: string;
  knd: Principal['kind'];
  rol: Role;
  br: string[];
  rg: string[];
  sid: string;
}

interface CardQrClaims {
  sub: string;
  card: string;
}

const ACCESS_AUDIENCE = 'culture-api';
const CARD_QR_AUDIENCE = 'culture-card-qr';

/** Signs and checks the platform's short-lived tokens: access tokens and dynamic card QR codes. */
@Injectable()
export class TokenService {
  constructor(
    private readonly jwt: JwtService,
    private readonly env: Env,
  ) {}

  signAccess(principal: Principal): { token: string; expiresIn: number } {
    const claims: AccessClaims = {
      sub: principal.id,
      knd: principal.kind,
      rol: principal.role,
      br: principal.branchIds,
      rg: principal.regionIds,
      sid: principal.sessionId,
    };
    const expiresIn = this.env.ACCESS_TOKEN_TTL_SECONDS;
    return { token: this.jwt.sign(claims, { audience: ACCESS_AUDIENCE, expiresIn }), expiresIn };
  }

  /** The principal in a verified access token (used by the JWT strategy, which has already verified it). */
  principalFromClaims(claims: AccessClaims): Principal {
    return { id: claims.sub, kind: claims.knd, role: claims.rol, branchIds: claims.br ?? [], regionIds: claims.rg ?? [], sessionId: claims.sid };
  }

  /** The principal in an access token presented outside HTTP (a socket handshake); throws when it is not valid. */
  verifyAccess(token: string): Principal {
    try {
      return this.principalFromClaims(this.jwt.verify<AccessClaims & object>(token, { audience: ACCESS_AUDIENCE, algorithms: ['HS256'] }));
    } catch {
      throw AuthError.TOKEN_INVALID();
    }
  }

  get accessAudience(): string {
    return ACCESS_AUDIENCE;
  }

  signCardQr(patronId: string, cardNumber: string): { token: string; expiresAt: Date } {
    const ttl = this.env.CARD_QR_TTL_SECONDS;
    const claims: CardQrClaims = { sub: patronId, card: cardNumber };
    const token = this.jwt.sign(claims, { audience: CARD_QR_AUDIENCE, expiresIn: ttl });
    const { exp } = this.jwt.decode(token) as { exp: number };
    return { token, expiresAt: new Date(exp * 1000) };
  }

  /** A signed token for one purpose (its audience), e.g. a registration's check-in QR code. */
  signFor(audience: string, subject: string, expiresAt: Date): string {
    const seconds = Math.max(60, Math.ceil((expiresAt.getTime() - Date.now()) / 1000));
    return this.jwt.sign({ sub: subject }, { audience: `culture-${audience}`, expiresIn: seconds });
  }

  /** The subject of a token made by signFor for this purpose, or null when it is not one (or expired). */
  subjectFor(audience: string, token: string): string | null {
    try {
      return this.jwt.verify<{ sub: string }>(token, { audience: `culture-${audience}` }).sub;
    } catch {
      return null;
    }
  }

  /** Checks signature, audience and expiry; a screenshot of yesterday's code is refused. */
  verifyCardQr(token: string): CardQrClaims {
    try {
      return this.jwt.verify<CardQrClaims & object>(token, { audience: CARD_QR_AUDIENCE });
    } catch (e) {
      if ((e as Error).name === 'TokenExpiredError') throw AuthError.CARD_QR_EXPIRED({ field: 'token' });
      throw AuthError.CARD_QR_INVALID({ field: 'token' });
    }
  }
}
