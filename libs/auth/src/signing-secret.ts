import { Logger } from '@nestjs/common';
import { createSecretKey, KeyObject, randomBytes } from 'node:crypto';
import { Env } from '@lib/config';

/**
 * The HMAC secret for tokens. Production must set JWT_SECRET (the config refuses to start without it);
 * elsewhere a random one is made per process, so a restart logs everyone out — fine for development.
 */
const made = new WeakMap<Env, TokenSigningSecret>();

export class TokenSigningSecret {
  /**
   * The secret as a key object, made once: given a string, jsonwebtoken first tries it as a PEM public
   * key and then makes a secret key, on every sign and verify (a sixth of a token-checked request's CPU).
   */
  readonly key: KeyObject;

  constructor(readonly value: string) {
    this.key = createSecretKey(Buffer.from(value));
  }

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
