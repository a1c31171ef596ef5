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
    const body = Buffer.from(parts[3], 'base64url');
    body[0] ^= 1;
    parts[3] = body.toString('base64url');
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
