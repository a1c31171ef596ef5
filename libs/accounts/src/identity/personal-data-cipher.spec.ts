import { createCipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { PersonalDataCipher } from './personal-data-cipher';

describe('PersonalDataCipher', () => {
  const cipher = new PersonalDataCipher('a-test-secret-that-is-long-enough-000');

  it('round-trips Chinese and ASCII text, with a fresh IV every time', () => {
    const a = cipher.encrypt('11010519491231002X');
    const b = cipher.encrypt('11010519491231002X');
    expect(a).not.toBe(b);
    expect(a).not.toContain('11010519491231002X');
    expect(cipher.decrypt(a)).toBe('11010519491231002X');
    expect(cipher.decrypt(cipher.encrypt('张三'))).toBe('张三');
  });

  it('detects tampering', () => {
    const sealed = cipher.encrypt('13800138000');
    const parts = sealed.split('.');
    const body = Buffer.from(parts[4], 'base64url');
    body[0] ^= 1;
    parts[4] = body.toString('base64url');
    expect(() => cipher.decrypt(parts.join('.'))).toThrow();
  });

  it('fingerprints deterministically, separated by kind and key', () => {
    expect(cipher.fingerprint('phone', '13800138000')).toBe(cipher.fingerprint('phone', '13800138000'));
    expect(cipher.fingerprint('phone', '13800138000')).not.toBe(cipher.fingerprint('id', '13800138000'));
    const other = new PersonalDataCipher('another-secret-that-is-long-enough-11');
    expect(other.fingerprint('phone', '13800138000')).not.toBe(cipher.fingerprint('phone', '13800138000'));
    expect(cipher.fingerprint('phone', '13800138000')).toMatch(/^[0-9a-f]{64}$/);
  });
});

/** A value as the platform sealed it before keys could rotate: `v1.<iv>.<tag>.<body>`, no key id. */
function sealV1(secret: string, plain: string): string {
  const key = Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), 'culture-platform', 'pii-encryption', 32));
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
  return ['v1', iv.toString('base64url'), c.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
}

describe('PersonalDataCipher key rotation', () => {
  const oldSecret = 'the-old-personal-data-key-long-enough-0';
  const newSecret = 'the-new-personal-data-key-long-enough-1';
  const before = new PersonalDataCipher(oldSecret);
  const during = new PersonalDataCipher(newSecret, [oldSecret]);
  const after = new PersonalDataCipher(newSecret);

  it('reads the format written before rotation existed (v1) as sealed by the first key', () => {
    const legacy = sealV1(oldSecret, '11010519491231002X');
    expect(before.decrypt(legacy)).toBe('11010519491231002X');
    expect(during.decrypt(legacy)).toBe('11010519491231002X');
    expect(before.isCurrent(legacy)).toBe(false); // a rotation rewrites it even with the key unchanged
    expect(() => after.decrypt(legacy)).toThrow(/none of the configured keys/);
  });

  it('names the key in the ciphertext and opens values of the previous key during a rotation only', () => {
    const old = before.encrypt('13800138000');
    expect(old.startsWith(before.currentPrefix)).toBe(true);
    expect(during.decrypt(old)).toBe('13800138000');
    expect(during.isCurrent(old)).toBe(false);
    const fresh = during.encrypt('13800138000');
    expect(during.isCurrent(fresh)).toBe(true);
    expect(after.decrypt(fresh)).toBe('13800138000');
    expect(() => after.decrypt(old)).toThrow(/not configured/);
    expect(() => before.decrypt(fresh)).toThrow(/not configured/);
    expect(before.currentPrefix).not.toBe(after.currentPrefix);
    expect(after.currentPrefix).toMatch(/^v2\.[A-Za-z0-9_-]{8}\.$/);
  });

  it('gives look-ups the fingerprint under every key, the current one first', () => {
    expect(during.fingerprint('phone', '13800138000')).toBe(after.fingerprint('phone', '13800138000'));
    expect(during.fingerprints('phone', '13800138000')).toEqual([after.fingerprint('phone', '13800138000'), before.fingerprint('phone', '13800138000')]);
    expect(after.fingerprints('phone', '13800138000')).toEqual([after.fingerprint('phone', '13800138000')]);
    expect(during.rotating).toBe(true);
    expect(after.rotating).toBe(false);
    expect(new PersonalDataCipher(newSecret, [newSecret]).rotating).toBe(false);
  });

  it('refuses a value whose tag does not match under the named key', () => {
    const parts = during.encrypt('张三').split('.');
    parts[3] = Buffer.alloc(16).toString('base64url');
    expect(() => during.decrypt(parts.join('.'))).toThrow();
    expect(() => during.decrypt('v3.a.b.c')).toThrow(/unknown personal data format/);
  });
});
