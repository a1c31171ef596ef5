import { isbnProblem, normalizeIsbn } from '../isbn';

export interface IsbnsResult {
  isbns: string[];
  warnings: string[];
}

/** Normalises every ISBN, dropping (and reporting) the invalid ones; an ISBN-10 and its ISBN-13 count once. */
export function collectIsbns(values: string[], source: string): IsbnsResult {
  const result: IsbnsResult = { isbns: [], warnings: [] };
  for (const value of values) {
    if (value.trim() === '') continue;
    const isbn = normalizeIsbn(value);
    if (isbn === null) {
      const problem = isbnProblem(value) === 'check_digit' ? 'wrong check digit' : 'not an ISBN';
      result.warnings.push(`${source} "${value.trim()}" dropped: ${problem}`);
    } else if (!result.isbns.includes(isbn)) {
      result.isbns.push(isbn);
    }
  }
  return result;
}
