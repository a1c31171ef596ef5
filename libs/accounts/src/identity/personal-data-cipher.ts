import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Protects personal data at rest. Each value is stored twice: AES-256-GCM ciphertext (to show it
 * masked, or to a person entitled to see it) and a keyed HMAC-SHA256 fingerprint (for unique
 * constraints and look-ups without decrypting). Both keys derive from one secret via HKDF.
 */
export class PersonalDataCipher {
  private readonly encryptionKey: Buffer;
  private readonly fingerprintKey: Buffer;

  constructor(secret: string) {
    const master = Buffer.from(secret, 'utf8');
    this.encryptionKey = Buffer.from(hkdfSync('sha256', master, 'culture-platform', 'pii-encryption', 32));
    this.fingerprintKey = Buffer.from(hkdfSync('sha256', master, 'culture-platform', 'pii-fingerprint', 32));
  }

  /** `v1.<iv>.<tag>.<ciphertext>`, base64url parts; the version leaves room for key rotation. */
  encrypt(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.encryptionKey, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
  }

  decrypt(sealed: string): string {
    const [version, iv, tag, body] = sealed.split('.');
    if (version !== 'v1' || !iv || !tag || body === undefined) throw new Error('unknown personal data format');
    const decipher = createDecipheriv('aes-256-gcm', this.encryptionKey, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  }

  /** Deterministic: the same normalised value always gives the same 64 hex characters. */
  fingerprint(kind: string, normalized: string): string {
    return createHmac('sha256', this.fingerprintKey).update(`${kind}:${normalized}`).digest('hex');
  }
}
