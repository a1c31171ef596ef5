import { Readable } from 'node:stream';
import type { ParseOutcome } from './bib-record';
import { parseCsv } from './parse-csv';

async function collect(outcomes: AsyncIterable<ParseOutcome>): Promise<ParseOutcome[]> {
  const all: ParseOutcome[] = [];
  for await (const outcome of outcomes) all.push(outcome);
  return all;
}

const parse = (csv: string | Buffer) => collect(parseCsv(Readable.from([Buffer.from(csv)])));

function* bytewise(bytes: Buffer): Generator<Buffer> {
  for (let i = 0; i < bytes.length; i++) yield bytes.subarray(i, i + 1);
}

const HEADER = 'Title,Authors,ISBN,Publisher,Year,Language,Subjects,Call Number,controlNumber,barcode,branchCode,itemType,location,price,acquiredOn';

describe('parseCsv', () => {
  it('maps a row, with a BOM, quoted cells and lists separated by semicolons', async () => {
    const csv =
      `\uFEFF${HEADER}\r\n` +
      `"活着","余华；Yu, Hua",7-5063-3424-0,作家出版社,2008年,CHI,长篇小说;中国,I247.57,B001,31001,XC01,book,少儿区,¥20.00,2024-03-05\r\n`;
    expect(await parse(csv)).toEqual([
      {
        ok: true,
        index: 0,
        record: {
          flavour: 'csv',
          controlNumber: 'B001',
          isbns: ['9787506334242'],
          title: '活着',
          titleVariants: [],
          responsibility: null,
          authors: ['余华', 'Yu, Hua'],
          publisher: '作家出版社',
          year: 2008,
          language: 'chi',
          subjects: ['长篇小说', '中国'],
          callNumber: 'I247.57',
          items: [{ barcode: '31001', branchCode: 'XC01', itemType: 'book', location: '少儿区', callNumber: null, price: 20, acquiredOn: '2024-03-05' }],
          warnings: [],
        },
      },
    ]);
  });

  it('rejects rows without a title, naming the spreadsheet row, and keeps the others', async () => {
    const csv = 'title,controlNumber\nFirst,A\n,B\n"Third, with ""quotes""\nand a line break",C\n';
    const outcomes = await parse(csv);
    expect(outcomes.map((o) => (o.ok ? [o.index, o.record.title] : [o.index, o.reason, o.controlNumber]))).toEqual([
      [0, 'First'],
      [1, 'row 3: no title', 'B'],
      [2, 'Third, with "quotes"\nand a line break'],
    ]);
  });

  it('merges consecutive rows of one title that carry barcodes into one record with several items', async () => {
    const csv = [
      'title,isbn,controlNumber,barcode,branchCode',
      '三体,9787536692930,,B1,XC01',
      '三体,7536692935,,B2,XC02',
      '三体（第二版）,9787536692930,,B3,XC03',
      '球状闪电,,,B4,XC01',
      '三体,9787536692930,,B5,XC01',
      '三体,9787536692930,,,',
      '三体,9787536692930,,,',
    ].join('\n');
    const outcomes = await parse(csv);
    expect(outcomes.map((o) => o.ok && [o.index, o.record.title, o.record.items.map((i) => i.barcode)])).toEqual([
      [0, '三体', ['B1', 'B2', 'B3']],
      [3, '球状闪电', ['B4']],
      [4, '三体', ['B5']],
      [5, '三体', []],
      [6, '三体', []],
    ]);
    const first = outcomes[0].ok ? outcomes[0].record : null;
    expect(first?.warnings).toEqual(['row 4: same isbn 9787536692930 as row 2 but another title; only its copy was kept']);
  });

  it('warns about cells it cannot use', async () => {
    const csv = 'title,isbn,year,language,barcode,price,acquiredOn\nT,9787020008736;7020008739,unknown,中文,B1,free,2024-02-30\n';
    const [outcome] = await parse(csv);
    expect(outcome.ok && outcome.record).toMatchObject({
      isbns: ['9787020008735'],
      year: null,
      language: null,
      items: [{ barcode: 'B1', price: null, acquiredOn: null }],
      warnings: [
        'row 2: isbn "9787020008736" dropped: wrong check digit',
        'row 2: year "unknown" ignored',
        'row 2: language "中文" is not a three-letter code',
        'row 2: acquiredOn "2024-02-30" is not a YYYY-MM-DD date',
        'row 2: price "free" is not a number',
      ],
    });
  });

  it('parses identically when the bytes arrive one at a time', async () => {
    const csv = Buffer.from(`\uFEFF${HEADER}\r\n"红楼梦",曹雪芹,,人民文学出版社,1982,chi,"小说; 清代",I242.4,,,,,,,\r\n三国演义,罗贯中,,,,,,,,,,,,,`);
    const whole = await parse(csv);
    expect(whole.map((o) => o.ok && o.record.title)).toEqual(['红楼梦', '三国演义']);
    expect(await collect(parseCsv(Readable.from(bytewise(csv))))).toEqual(whole);
  });

  it('skips blank lines and rows of empty cells, and still counts them as rows', async () => {
    const outcomes = await parse('title,isbn\n\nA,\n\n,,\n,7020008739\n');
    expect(outcomes.map((o) => (o.ok ? o.record.title : o.reason))).toEqual(['A', 'row 6: no title']);
  });

  it('rejects the whole file when the header has no title column, or there is no header', async () => {
    expect(await parse('name,isbn\nX,1\n')).toEqual([{ ok: false, index: 0, reason: 'the header row has no title column (found: name, isbn)', controlNumber: null }]);
    expect(await parse('')).toEqual([{ ok: false, index: 0, reason: 'no header row', controlNumber: null }]);
  });

  it('keeps the rows before bytes that are not UTF-8 and rejects the rest', async () => {
    const gbk = Buffer.from([0xba, 0xec, 0xc2, 0xa5, 0xc3, 0xce]); // 红楼梦 in GBK
    const outcomes = await parse(Buffer.concat([Buffer.from('title\nGood\n'), gbk, Buffer.from('\nLost\n')]));
    expect(outcomes).toEqual([
      expect.objectContaining({ ok: true, index: 0 }),
      { ok: false, index: 1, reason: 'not valid UTF-8: save the file as "CSV UTF-8"; the rest of the file was not read', controlNumber: null },
    ]);
  });

  it('rejects a last row whose quoted cell is never closed', async () => {
    const outcomes = await parse('title,controlNumber\nA,1\n"Unclosed,2\n');
    expect(outcomes.map((o) => (o.ok ? o.record.title : o.reason))).toEqual(['A', 'row 3: a quoted field is never closed']);
  });
});
