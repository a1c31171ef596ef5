import { Injectable } from '@nestjs/common';
import * as argon2 from 'argon2';

/** argon2id with the library's recommended cost; hashes carry their own parameters. */
@Injectable()
export class PasswordHasher {
  hash(password: string): Promise<string> {
    return argon2.hash(password, { type: argon2.argon2id });
  }

  async verify(hash: string, password: string): Promise<boolean> {
    try {
      return await argon2.verify(hash, password);
    } catch {
      return false;
    }
  }

  /** Spends the same time as a real check, so unknown logins cannot be told apart by timing. */
  async verifyNothing(password: string): Promise<false> {
    await argon2.verify(await this.dummy, password).catch(() => false);
    return false;
  }

  private readonly dummy = argon2.hash('no-such-account-0', { type: argon2.argon2id });
}
