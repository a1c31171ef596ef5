import { DateTime } from 'luxon';

/**
 * Resident identity card numbers (居民身份证号码, GB 11643-1999): 6-digit area code, 8-digit
 * birth date, 3-digit sequence, and an ISO 7064 MOD 11-2 check character (0-9 or X).
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';

export function idNumberCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new Error('idNumberCheckChar takes 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * WEIGHTS[i];
  return CHECK_CHARS[sum % 11];
}

export function normalizeIdNumber(value: string): string {
  return value.trim().toUpperCase();
}

export type IdNumberProblem = 'format' | 'birth_date' | 'check_digit';

/** Why an ID number is wrong, or null when it is a well-formed 18-character number. */
export function idNumberProblem(value: string, today: Date = new Date()): IdNumberProblem | null {
  const id = normalizeIdNumber(value);
  if (!/^[1-9]\d{16}[\dX]$/.test(id)) return 'format';
  const birth = DateTime.fromFormat(id.slice(6, 14), 'yyyyMMdd', { zone: 'Asia/Shanghai' });
  if (!birth.isValid || birth.year < 1900 || birth.toJSDate() > today) return 'birth_date';
  if (idNumberCheckChar(id.slice(0, 17)) !== id[17]) return 'check_digit';
  return null;
}

export function isValidIdNumber(value: string): boolean {
  return idNumberProblem(value) === null;
}
