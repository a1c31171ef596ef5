/**
 * One-card numbers: a 4-digit district prefix, a 7-digit serial and a Luhn check digit (the
 * ISO/IEC 7812 scheme that card readers and desk staff already know), 12 digits in all. The
 * check digit catches every single-digit typo and most swaps of neighbouring digits at the desk.
 */
export const CARD_NUMBER_LENGTH = 12;

export function luhnCheckDigit(digits: string): number {
  if (!/^\d+$/.test(digits)) throw new Error('luhnCheckDigit takes digits only');
  let sum = 0;
  // Walking from the right, every second digit (starting with the one next to the check digit) doubles.
  for (let i = digits.length - 1, double = true; i >= 0; i--, double = !double) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

export function makeCardNumber(prefix: string, serial: number): string {
  if (!/^\d{4}$/.test(prefix)) throw new Error('card prefix must be 4 digits');
  if (!Number.isInteger(serial) || serial < 1 || serial > 9_999_999) throw new Error('card serial out of range');
  const body = prefix + String(serial).padStart(7, '0');
  return body + luhnCheckDigit(body);
}

export function isValidCardNumber(value: string): boolean {
  if (!new RegExp(`^\\d{${CARD_NUMBER_LENGTH}}$`).test(value)) return false;
  return luhnCheckDigit(value.slice(0, -1)) === Number(value[value.length - 1]);
}
