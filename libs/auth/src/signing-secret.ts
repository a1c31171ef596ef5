import { Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { Env } from '@lib/config';

/**
 * The HMAC secret for tokens. Production must set JWT_SECRET (the config refuses to start without it);
 * elsewhere a random one is made per process, so a restart logs everyone out — fine for development.
 */
const made = new WeakMap<Env, TokenSigningSecret>();

export class TokenSigningSecret {
  constructor(readonly value: string) {}

  /** One secret per configuration, however many providers ask (signing and verifying must agree). */
  static fromEnv(env: Env): TokenSigningSecret {
    let secret = made.get(env);
    if (!secret) {
      if (!env.JWT_SECRET) new Logger('Auth').warn('JWT_SECRET not set: using a random secret for this process (tokens end at restart)');
      secret = new TokenSigningSecret(env.JWT_SECRET ?? randomBytes(48).toString('base64url'));
      made.set(env, secret);
    }
    return secret;
  }
}
