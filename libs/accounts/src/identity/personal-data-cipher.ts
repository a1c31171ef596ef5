import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

/** One personal-data secret and the two keys derived from it. */
interface PersonalDataKey {
  /** Not secret: names the key inside ciphertext, so a row says which key opens it. */
  id: string;
  encryption: Buffer;
  fingerprint: Buffer;
}

function deriveKey(secret: string): PersonalDataKey {
  const master = Buffer.from(secret, 'utf8');
  const derive = (info: string, length: number) => Buffer.from(hkdfSync('sha256', master, 'culture-platform', info, length));
  return { id: derive('pii-key-id', 6).toString('base64url'), encryption: derive('pii-encryption', 32), fingerprint: derive('pii-fingerprint', 32) };
}

/**
 * Protects personal data at rest. Each value is stored twice: AES-256-GCM ciphertext (to show it
 * masked, or to a person entitled to see it) and a keyed HMAC-SHA256 fingerprint (for unique
 * constraints and look-ups without decrypting). Both keys derive from one secret via HKDF.
 *
 * Rotation: the current secret seals everything written; previous secrets (PII_KEYS_PREVIOUS) only
 * open what they sealed and give the fingerprints that rows not yet rotated still carry, so look-ups
 * and duplicate checks ask for every key's fingerprint until `npm run pii:rotate` has rewritten all rows.
 */
export class PersonalDataCipher {
  private readonly current: PersonalDataKey;
  /** The current key first. */
  private readonly keys: PersonalDataKey[];

  constructor(secret: string, previous: readonly string[] = []) {
    this.current = deriveKey(secret);
    this.keys = [this.current, ...previous.filter((s) => s !== secret).map(deriveKey)];
  }

  /** What every value sealed with the current key starts with. */
  get currentPrefix(): string {
    return `v2.${this.current.id}.`;
  }

  /** Previous keys are configured: a rotation is under way. */
  get rotating(): boolean {
    return this.keys.length > 1;
  }

  /**
   * `v2.<key id>.<iv>.<tag>.<ciphertext>`, base64url parts. (`v1.<iv>.<tag>.<ciphertext>`, without a
   * key id, is what was written before keys could rotate; it is still read, with any configured key.)
   */
  encrypt(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.current.encryption, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [
      'v2',
      this.current.id,
      iv.toString('base64url'),
      cipher.getAuthTag().toString('base64url'),
      body.toString('base64url'),
    ].join('.');
  }

  decrypt(sealed: string): string {
    const parts = sealed.split('.');
    if (parts[0] === 'v2' && parts.length === 5) {
      const key = this.keys.find((k) => k.id === parts[1]);
      if (!key) throw new Error('personal data sealed with a key that is not configured (PII_KEY, PII_KEYS_PREVIOUS)');
      return open(key, parts[2], parts[3], parts[4]);
    }
    if (parts[0] === 'v1' && parts.length === 4) {
      // No key id: the GCM tag tells which key sealed it. Before rotations there was only one.
      for (const key of this.keys) {
        try {
          return open(key, parts[1], parts[2], parts[3]);
        } catch {
          // not this key
        }
      }
      throw new Error('personal data (v1) opens with none of the configured keys');
    }
    throw new Error('unknown personal data format');
  }

  /** Sealed with the current key: nothing left for a rotation to do. */
  isCurrent(sealed: string): boolean {
    return sealed.startsWith(this.currentPrefix);
  }

  /** Deterministic: the same normalised value always gives the same 64 hex characters (under the current key). */
  fingerprint(kind: string, normalized: string): string {
    return hmac(this.current, kind, normalized);
  }

  /** The value's fingerprint under every configured key, the current one first: what look-ups must match during a rotation. */
  fingerprints(kind: string, normalized: string): string[] {
    return this.keys.map((k) => hmac(k, kind, normalized));
  }
}

function hmac(key: PersonalDataKey, kind: string, normalized: string): string {
  return createHmac('sha256', key.fingerprint).update(`${kind}:${normalized}`).digest('hex');
}

function open(key: PersonalDataKey, iv: string, tag: string, body: string): string {
  const decipher = createDecipheriv('aes-256-gcm', key.encryption, Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
}
