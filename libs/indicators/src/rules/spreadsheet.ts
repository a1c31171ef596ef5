/** Characters that make a spreadsheet read a CSV cell as a formula (or, tab and carriage return, shift it). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A CSV cell that a spreadsheet will show as text: text starting with = + - @ (or a tab or carriage
 * return) gets a leading apostrophe, as spreadsheets expect, so a source note such as "=HYPERLINK(…)"
 * entered by hand is never run as a formula. Numbers and empty cells are left as they are.
 */
export function csvSafe<T>(value: T): T | string {
  return typeof value === 'string' && FORMULA_START.test(value) ? `'${value}` : value;
}
