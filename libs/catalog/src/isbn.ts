export type IsbnProblem = 'format' | 'check_digit';

/**
 * The bare ISBN digits of a catalogue value such as "ISBN 978-7-02-000873-5 (pbk.)" or "7801885120 :":
 * an optional "ISBN" prefix, then digits, hyphens and spaces; qualifiers after them are ignored.
 * NFKC folds full-width digits and letters, common in Chinese records.
 */
function isbnDigits(input: string): string | null {
  const text = input.normalize('NFKC').trim().replace(/^isbn(?:-1[03])?\s*:?\s*/i, '');
  const match = /^[0-9Xx][0-9Xx \-]*/.exec(text);
  if (!match) return null;
  const digits = match[0].replace(/[ \-]/g, '').toUpperCase();
  if (/^\d{9}[\dX]$/.test(digits)) return digits;
  if (/^97[89]\d{10}$/.test(digits)) return digits;
  return null;
}

function isbn10CheckOk(isbn: string): boolean {
  let sum = 0;
  for (let i = 0; i < 10; i++) {
    const value = isbn[i] === 'X' ? 10 : Number(isbn[i]);
    sum += value * (10 - i);
  }
  return sum % 11 === 0;
}

function isbn13CheckDigit(first12: string): number {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(first12[i]) * (i % 2 === 0 ? 1 : 3);
  return (10 - (sum % 10)) % 10;
}

function isbn13CheckOk(isbn: string): boolean {
  return isbn13CheckDigit(isbn.slice(0, 12)) === Number(isbn[12]);
}

export function isbnProblem(input: string): IsbnProblem | null {
  const digits = isbnDigits(input);
  if (digits === null) return 'format';
  const ok = digits.length === 10 ? isbn10CheckOk(digits) : isbn13CheckOk(digits);
  return ok ? null : 'check_digit';
}

/** The ISBN-13 without hyphens (ISBN-10s become 978-prefixed), or null when the input is not a valid ISBN. */
export function normalizeIsbn(input: string): string | null {
  if (isbnProblem(input) !== null) return null;
  const digits = isbnDigits(input) as string;
  if (digits.length === 13) return digits;
  const first12 = `978${digits.slice(0, 9)}`;
  return `${first12}${isbn13CheckDigit(first12)}`;
}
