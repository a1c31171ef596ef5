import { csvSafe } from './spreadsheet';

describe('CSV cells from text entered by hand', () => {
  it('neutralises text a spreadsheet would run as a formula', () => {
    expect(csvSafe('=HYPERLINK("http://example.com","年报")')).toBe(`'=HYPERLINK("http://example.com","年报")`);
    expect(['+1+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1'].map(csvSafe)).toEqual(["'+1+1", "'-2+3", "'@SUM(A1)", "'\t=1", "'\r=1"]);
  });

  it('leaves ordinary text, numbers and empty cells alone', () => {
    expect(csvSafe('区图书馆 2026 年报 (=修订)')).toBe('区图书馆 2026 年报 (=修订)');
    expect(csvSafe(-0.5)).toBe(-0.5);
    expect(csvSafe(null)).toBeNull();
    expect(csvSafe('')).toBe('');
  });
});
