import type { CellValue, Workbook } from 'exceljs';

/** Characters that make a spreadsheet read a cell as a formula (or, tab and carriage return, shift it). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A spreadsheet cell that is shown as text: text starting with = + - @ (or a tab or carriage return) gets
 * a leading apostrophe, as spreadsheets expect, so a name or source note such as "=HYPERLINK(…)" entered
 * by hand is never run as a formula. Numbers, dates and empty cells are left as they are.
 */
export function spreadsheetSafe<T>(value: T): T | string {
  return typeof value === 'string' && FORMULA_START.test(value) ? `'${value}` : value;
}

/**
 * The one rule for every export, applied to every cell of every sheet just before the workbook is written,
 * as CSV or as xlsx alike. An xlsx text cell is not evaluated as it is, but becomes a formula the moment
 * someone edits it and presses Enter, or saves the sheet as CSV for the next system; so it is neutralised too.
 */
export function neutraliseFormulas(workbook: Workbook): Workbook {
  workbook.eachSheet((sheet) =>
    sheet.eachRow({ includeEmpty: false }, (row) =>
      row.eachCell({ includeEmpty: false }, (cell) => {
        const value = cell.value as CellValue;
        if (typeof value === 'string') cell.value = spreadsheetSafe(value);
        else if (value && typeof value === 'object' && 'richText' in value) {
          cell.value = { richText: value.richText.map((part, i) => (i === 0 ? { ...part, text: spreadsheetSafe(part.text) } : part)) };
        }
      }),
    ),
  );
  return workbook;
}
