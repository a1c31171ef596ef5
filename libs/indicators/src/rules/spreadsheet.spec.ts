import fc from 'fast-check';
import { Workbook } from 'exceljs';
import { neutraliseFormulas, spreadsheetSafe } from './spreadsheet';

const FORMULA_START = ['=', '+', '-', '@', '\t', '\r'];

describe('spreadsheet cells from text entered by hand', () => {
  it('neutralises text a spreadsheet would run as a formula', () => {
    expect(spreadsheetSafe('=HYPERLINK("http://example.com","年报")')).toBe(`'=HYPERLINK("http://example.com","年报")`);
    expect(['+1+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1'].map(spreadsheetSafe)).toEqual(["'+1+1", "'-2+3", "'@SUM(A1)", "'\t=1", "'\r=1"]);
  });

  it('leaves ordinary text, numbers and empty cells alone', () => {
    expect(spreadsheetSafe('区图书馆 2026 年报 (=修订)')).toBe('区图书馆 2026 年报 (=修订)');
    expect(spreadsheetSafe(-0.5)).toBe(-0.5);
    expect(spreadsheetSafe(null)).toBeNull();
    expect(spreadsheetSafe('')).toBe('');
  });

  it('never lets a cell start with a formula character, and changes nothing else', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.constantFrom(...FORMULA_START).chain((c) => fc.string().map((s) => c + s))), (text) => {
        const safe = spreadsheetSafe(text);
        expect(FORMULA_START.includes(safe.charAt(0))).toBe(false);
        expect(safe === text || safe === `'${text}`).toBe(true);
        expect(safe !== text).toBe(FORMULA_START.includes(text.charAt(0)));
      }),
    );
  });

  it('applies to every text cell of every sheet of a workbook, rich text included', () => {
    const workbook = new Workbook();
    workbook.addWorksheet('a').addRows([
      ['=1+1', 3, -2, 'plain'],
      [null, '@cmd', { richText: [{ text: '-5+5' }, { text: '=x' }] }],
    ]);
    workbook.addWorksheet('b').addRow(['+SUM(A1)']);
    neutraliseFormulas(workbook);
    const a = workbook.getWorksheet('a')!;
    expect([1, 2, 3, 4].map((c) => a.getRow(1).getCell(c).value)).toEqual(["'=1+1", 3, -2, 'plain']);
    expect(a.getRow(2).getCell(2).value).toBe("'@cmd");
    expect(a.getRow(2).getCell(3).value).toEqual({ richText: [{ text: "'-5+5" }, { text: '=x' }] });
    expect(workbook.getWorksheet('b')!.getCell('A1').value).toBe("'+SUM(A1)");
  });
});
