import { isValidCardNumber, luhnCheckDigit, makeCardNumber } from './card-number';
import { idNumberCheckChar, idNumberProblem, isValidIdNumber } from './id-number';
import { isValidPhone, normalizePhone } from './phone';
import { maskCardNumber, maskIdNumber, maskPhone } from './masking';

describe('card numbers', () => {
  it('computes the Luhn check digit of a known number', () => {
    // 7992739871 is the textbook example; its check digit is 3.
    expect(luhnCheckDigit('7992739871')).toBe(3);
  });

  it('makes 12-digit numbers from prefix and serial', () => {
    const n = makeCardNumber('1108', 42);
    expect(n).toMatch(/^11080000042\d$/);
    expect(n).toHaveLength(12);
    expect(isValidCardNumber(n)).toBe(true);
  });

  it('rejects every single-digit typo', () => {
    const n = makeCardNumber('1108', 1234567);
    for (let i = 0; i < n.length; i++) {
      for (let d = 0; d <= 9; d++) {
        if (String(d) === n[i]) continue;
        const typo = n.slice(0, i) + d + n.slice(i + 1);
        expect(isValidCardNumber(typo)).toBe(false);
      }
    }
  });

  it('rejects wrong lengths and letters', () => {
    expect(isValidCardNumber('12345')).toBe(false);
    expect(isValidCardNumber('11080000042A')).toBe(false);
  });

  it('refuses serials outside 1..9,999,999', () => {
    expect(() => makeCardNumber('1108', 0)).toThrow();
    expect(() => makeCardNumber('1108', 10_000_000)).toThrow();
  });
});

describe('resident ID numbers', () => {
  // The sample number printed in GB 11643-1999: 11010519491231002X.
  it('computes the standard sample check character', () => {
    expect(idNumberCheckChar('11010519491231002')).toBe('X');
    expect(isValidIdNumber('11010519491231002X')).toBe(true);
    expect(isValidIdNumber('11010519491231002x')).toBe(true);
  });

  it('accepts a number with a digit check character', () => {
    const first17 = '44052419800101001';
    const id = first17 + idNumberCheckChar(first17);
    expect(isValidIdNumber(id)).toBe(true);
  });

  it('names the problem', () => {
    expect(idNumberProblem('11010519491231002')).toBe('format');
    expect(idNumberProblem('01010519491231002X')).toBe('format');
    expect(idNumberProblem('110105194902300021')).toBe('birth_date'); // 30 February
    expect(idNumberProblem('110105294901010021', new Date('2026-11-22'))).toBe('birth_date'); // born in the future
    expect(idNumberProblem('110105194912310020')).toBe('check_digit');
  });
});

describe('phones', () => {
  it('normalises country code and separators', () => {
    expect(normalizePhone('+86 138-0013-8000')).toBe('13800138000');
    expect(normalizePhone('8613800138000')).toBe('13800138000');
  });

  it('accepts mainland mobile numbers only', () => {
    expect(isValidPhone('13800138000')).toBe(true);
    expect(isValidPhone('12800138000')).toBe(false);
    expect(isValidPhone('1380013800')).toBe(false);
    expect(isValidPhone('010-62345678')).toBe(false);
  });
});

describe('masking', () => {
  it('keeps only the ends', () => {
    expect(maskPhone('13800138000')).toBe('138****8000');
    expect(maskIdNumber('11010519491231002X')).toBe('110***********002X');
    expect(maskCardNumber('110800000427')).toBe('1108****0427');
  });
});
