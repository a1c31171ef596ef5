import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { BibRecordInput, ParseOutcome } from './bib-record';
import { parseIso2709 } from './parse-marc';

const FIXTURES = join(__dirname, '../../../../test/fixtures/marc');
const fixture = (name: string) => readFileSync(join(FIXTURES, name));

async function collect(outcomes: AsyncIterable<ParseOutcome>): Promise<ParseOutcome[]> {
  const all: ParseOutcome[] = [];
  for await (const outcome of outcomes) all.push(outcome);
  return all;
}

const parseBytes = (bytes: Buffer, options?: Parameters<typeof parseIso2709>[1]) => collect(parseIso2709(Readable.from([bytes]), options));
const records = (outcomes: ParseOutcome[]): BibRecordInput[] => outcomes.flatMap((o) => (o.ok ? [o.record] : []));
const rejections = (outcomes: ParseOutcome[]) => outcomes.flatMap((o) => (o.ok ? [] : [o]));

/** Splits bytes into chunks of `size` bytes, lazily. */
function* chunks(bytes: Buffer, size: number): Generator<Buffer> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

// A tiny ISO 2709 writer: [tag, value] is a control field, [tag, indicators, [[code, value], …]] a data field.
type FieldSpec = [string, string] | [string, string, [string, string][]];

function iso2709(fields: FieldSpec[], leader09 = 'a'): Buffer {
  const bodies = fields.map((f) =>
    Buffer.from(f.length === 2 ? `${f[1]}\x1e` : `${f[1]}${f[2].map(([code, value]) => `\x1f${code}${value}`).join('')}\x1e`),
  );
  let offset = 0;
  const directory = fields.map(([tag], i) => {
    const entry = `${tag}${String(bodies[i].length).padStart(4, '0')}${String(offset).padStart(5, '0')}`;
    offset += bodies[i].length;
    return entry;
  });
  const base = 24 + directory.join('').length + 1;
  const length = base + offset + 1;
  const leader = `${String(length).padStart(5, '0')}nam ${leader09}22${String(base).padStart(5, '0')}   4500`;
  return Buffer.concat([Buffer.from(`${leader}${directory.join('')}\x1e`), ...bodies, Buffer.from('\x1d')]);
}

describe('parseIso2709 on the fixture files', () => {
  it('reads the six records of bib.mrc, which are UNIMARC (BnF) although the file is named like MARC 21', async () => {
    const outcomes = await parseBytes(fixture('bib.mrc'));
    expect(outcomes).toHaveLength(6);
    expect(rejections(outcomes)).toEqual([]);
    expect(outcomes.map((o) => o.index)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(records(outcomes).map((r) => r.flavour)).toEqual(Array(6).fill('unimarc'));
    expect(records(outcomes).map((r) => r.controlNumber)).toEqual([
      'FRBNF323046990000009', 'FRBNF331056970000005', 'FRBNF323346280000008',
      'FRBNF319504610000005', 'FRBNF323617380000007', 'FRBNF32385266000000X',
    ]);
    expect(records(outcomes)[5]).toEqual({
      flavour: 'unimarc',
      controlNumber: 'FRBNF32385266000000X',
      isbns: [],
      title: "La gravure en France au XVIe siècle : la gravure dans le livre et dans l'ornement",
      titleVariants: ["La gravure dans le livre et dans l'ornement"],
      responsibility: 'par J. Lieure',
      authors: ['Lieure, Jules'],
      publisher: 'Bruxelles', // the record has the place in a second 210$c
      year: 1927,
      language: 'fre',
      subjects: ['Gravure', 'Ornements (art)'],
      callNumber: null,
      items: [],
      warnings: [],
    });
    expect(records(outcomes)[2]).toMatchObject({
      title: "Histoire de l'imprimerie en France au 15e et au 16e siècle, par A. Claudin,...",
      authors: ['Claudin, Anatole', 'Lacombe, Paul', 'Clément-Janin, Michel-Hilaire', 'Delisle, Léopold'],
      year: 1900,
    });
    expect(records(outcomes)[3].title).toBe(
      'Documents sur la typographie et la gravure en France, aux XVe et XVIe siècles réunis par A. Claudin, publiés et commentés par Seymour de Ricci',
    );
  });

  it('reads the OCLC Connexion export with its Chinese 880 fields as the preferred forms', async () => {
    const outcomes = await parseBytes(fixture('oclc_63111280_export_as_UTF8_from_connexion.mrc'));
    expect(outcomes).toHaveLength(1);
    expect(records(outcomes)[0]).toEqual({
      flavour: 'marc21',
      controlNumber: 'ocm63111280',
      isbns: ['9789867271037'],
      title: '日本民俗·信仰·藝能·與中國文化',
      titleVariants: ['Riben min su, xin yang, yi neng, yu Zhongguo wen hua', '日本民俗信仰藝能與中國文化'],
      responsibility: '葉漢鰲著',
      authors: ['葉漢鰲', 'Ye, Hanao'],
      publisher: '大新書局',
      year: 2005,
      language: 'chi',
      subjects: ['Japan', 'China', 'Civilization', 'Manners and customs'],
      callNumber: 'DS821.5.C5 Y4 2005',
      items: [],
      warnings: [],
    });
  });

  it('rejects every record of not_unimarc_errors_3.mrc: each one has a broken UTF-8 byte', async () => {
    const outcomes = await parseBytes(fixture('not_unimarc_errors_3.mrc'));
    expect(records(outcomes)).toEqual([]);
    expect(rejections(outcomes)).toEqual([
      { ok: false, index: 0, controlNumber: 'u5183203', reason: expect.stringMatching(/^invalid UTF-8 in field 776/) },
      { ok: false, index: 1, controlNumber: 'u6382651', reason: expect.stringMatching(/^invalid UTF-8 in field 880/) },
      { ok: false, index: 2, controlNumber: 'u6499781', reason: expect.stringMatching(/^invalid UTF-8 in field 880/) },
    ]);
  });

  it('rejects the MARC-8 records of chinese_mangled_multibyte.mrc and keeps the readable ones', async () => {
    const outcomes = await parseBytes(fixture('chinese_mangled_multibyte.mrc'));
    expect(outcomes.map((o) => o.ok)).toEqual([false, false, true, true]);
    for (const rejected of rejections(outcomes)) {
      expect(rejected.reason).toMatch(/^MARC-8 record \(leader\/09 blank\) switches character sets \(escape sequences\); MARC-8 records are not supported/);
      expect(rejected.controlNumber).toBe('u6080510');
    }
    // Record 3 is MARC-8 in plain ASCII with &#x…; references; record 4 is UTF-8. Both say the same.
    const [fromReferences, fromUtf8] = records(outcomes);
    expect(fromReferences).toEqual(fromUtf8);
    expect(fromUtf8).toMatchObject({
      flavour: 'marc21',
      title: '車輪滾滾',
      titleVariants: ['Che lun gun gun', 'Wheels are rolling'],
      responsibility: '长春电影制片厂 ; 编剧, 薛寿先；导演, 尹一青',
      publisher: '齐鲁音像出版社',
      year: 2003,
      language: 'chi',
      isbns: ['9787884085620'],
    });
    expect(fromUtf8.authors.slice(0, 4)).toEqual(['尹一淸', 'Yin, Yiqing', '达奇', 'Da, Qi']);
  });
});

describe('parseIso2709 streaming', () => {
  it('parses identically when the bytes arrive one at a time', async () => {
    const bytes = fixture('bib.mrc');
    const whole = await parseBytes(bytes);
    const byteByByte = await collect(parseIso2709(Readable.from(chunks(bytes, 1))));
    expect(byteByByte).toEqual(whole);
    const chinese = fixture('oclc_63111280_export_as_UTF8_from_connexion.mrc');
    expect(await collect(parseIso2709(Readable.from(chunks(chinese, 1))))).toEqual(await parseBytes(chinese));
  });

  it('yields the complete records and one rejection when the file stops inside a record', async () => {
    const bytes = fixture('bib.mrc');
    const endOfThird = 1243 + 947 + 1595;
    const outcomes = await parseBytes(bytes.subarray(0, endOfThird + 400));
    expect(records(outcomes).map((r) => r.controlNumber)).toEqual(['FRBNF323046990000009', 'FRBNF331056970000005', 'FRBNF323346280000008']);
    expect(rejections(outcomes)).toEqual([
      { ok: false, index: 3, reason: 'truncated record: the input ends after 400 bytes without a record terminator; its leader announces 859', controlNumber: null },
    ]);
  });

  it('rejects a damaged record and goes on with the next one', async () => {
    const good = iso2709([['001', 'A1'], ['245', '10', [['a', 'First']]]]);
    const damaged = Buffer.from(iso2709([['001', 'B2'], ['245', '10', [['a', 'Second']]]]));
    damaged.write('0099', 24 + 12 + 3); // the 245 directory entry now claims 99 bytes
    const last = iso2709([['001', 'C3'], ['245', '10', [['a', 'Third']]]]);
    const outcomes = await parseBytes(Buffer.concat([good, damaged, Buffer.from('not marc at all, just a few words\x1d'), last]));
    expect(outcomes.map((o) => (o.ok ? o.record.title : o.reason))).toEqual([
      'First',
      'field 245 is not where the directory says (offset 00003, length 0099)',
      'leader record length "not m" is not a number',
      'Third',
    ]);
    expect(outcomes.map((o) => o.index)).toEqual([0, 1, 2, 3]);
    expect(rejections(outcomes)[0].controlNumber).toBeNull();
  });

  it('rejects records whose leader or directory disagree with the bytes', async () => {
    const record = iso2709([['001', 'X'], ['245', '10', [['a', 'T']]]]);
    const withLength = (text: string) => Buffer.concat([Buffer.from(text), record.subarray(5)]);
    const withBase = Buffer.from(record);
    withBase.write('00030', 12);
    const outcomes = await parseBytes(Buffer.concat([withLength('01234'), withLength('12a45'), withBase]));
    expect(outcomes.map((o) => !o.ok && o.reason)).toEqual([
      `record length in the leader (1234) does not match the record (${record.length} bytes): truncated or corrupt`,
      'leader record length "12a45" is not a number',
      'directory does not end at the base address (30)',
    ]);
  });

  it('drops, without buffering it, a run of bytes too long to be a record', async () => {
    const garbage = Buffer.alloc(150_000, 0x41);
    const good = iso2709([['245', '10', [['a', 'After the garbage']]]]);
    const outcomes = await collect(parseIso2709(Readable.from(chunks(Buffer.concat([garbage, Buffer.from('\x1d'), good]), 8192))));
    expect(outcomes.map((o) => (o.ok ? o.record.title : o.reason))).toEqual([
      'no record terminator within 99999 bytes: not ISO 2709, or corrupt; skipped to the next record',
      'After the garbage',
    ]);
  });

  it('skips line breaks between records and at the end of the file', async () => {
    const one = iso2709([['245', '10', [['a', 'One']]]]);
    const two = iso2709([['245', '10', [['a', 'Two']]]]);
    const outcomes = await parseBytes(Buffer.concat([one, Buffer.from('\r\n'), two, Buffer.from('\n\n')]));
    expect(outcomes.map((o) => o.ok && o.record.title)).toEqual(['One', 'Two']);
  });

  it('streams 20,000 records from a lazy source', async () => {
    const total = 20_000;
    function* source(): Generator<Buffer> {
      let pending: Buffer[] = [];
      let size = 0;
      for (let i = 0; i < total; i++) {
        const record = iso2709([
          ['001', `N${i}`],
          ['020', '  ', [['a', '7020008739']]],
          ['245', '10', [['a', `第${i}册 /`], ['c', '编者.']]],
          ['952', '  ', [['p', `B${i}`], ['a', 'XC01']]],
        ]);
        pending.push(record);
        size += record.length;
        if (size >= 4099) {
          // Odd-sized chunks, so records straddle chunk boundaries.
          yield* chunks(Buffer.concat(pending), 4099);
          pending = [];
          size = 0;
        }
      }
      yield Buffer.concat(pending);
    }
    let ok = 0;
    let last: BibRecordInput | null = null;
    for await (const outcome of parseIso2709(Readable.from(source()))) {
      if (!outcome.ok) throw new Error(`record ${outcome.index}: ${outcome.reason}`);
      ok++;
      last = outcome.record;
    }
    expect(ok).toBe(total);
    expect(last).toMatchObject({ controlNumber: 'N19999', title: '第19999册', isbns: ['9787020008735'], items: [{ barcode: 'B19999' }] });
  });
});

describe('parseIso2709 record mapping', () => {
  it('maps a UNIMARC (CNMARC) record: 010, 100, 101, 200, 210, 606, 690, 701', async () => {
    const record = iso2709([
      ['001', ' CN0001 '],
      ['010', '  ', [['a', '7-02-000873-9'], ['d', 'CNY28.00']]],
      ['100', '  ', [['a', '20240101d2008    em y0chiy0110    ea']]],
      ['101', '0 ', [['a', 'CHI']]],
      ['200', '1 ', [['a', '红楼梦'], ['e', '校注本'], ['f', '曹雪芹著'], ['f', '高鹗续']]],
      ['210', '  ', [['a', '北京'], ['c', '人民文学出版社'], ['d', '2008']]],
      ['606', '0 ', [['a', '章回小说'], ['x', '研究']]],
      ['606', '0 ', [['a', '章回小说'], ['y', '中国']]],
      ['690', '  ', [['a', 'I242.4'], ['v', '5']]],
      ['701', ' 0', [['a', '曹雪芹'], ['f', '1715-1763'], ['4', '070']]],
      ['701', ' 0', [['a', '高鹗']]],
      ['702', ' 1', [['a', 'Smith'], ['b', 'John']]],
      ['711', '02', [['a', '红楼梦学会'], ['b', '北京分会']]],
    ]);
    const [outcome] = await parseBytes(record);
    expect(outcome).toEqual({
      ok: true,
      index: 0,
      record: {
        flavour: 'unimarc',
        controlNumber: 'CN0001',
        isbns: ['9787020008735'],
        title: '红楼梦 : 校注本',
        titleVariants: [],
        responsibility: '曹雪芹著 ; 高鹗续',
        authors: ['曹雪芹', '高鹗', 'Smith, John', '红楼梦学会. 北京分会'],
        publisher: '人民文学出版社',
        year: 2008,
        language: 'chi',
        subjects: ['章回小说'],
        callNumber: 'I242.4',
        items: [],
        warnings: [],
      },
    });
  });

  it('falls back to 100$a/9-12 for the UNIMARC year and to 686 for the class number', async () => {
    const [outcome] = await parseBytes(
      iso2709([
        ['100', '  ', [['a', '20240101d1987    em y0chiy0110    ea']]],
        ['200', '1 ', [['a', '书名']]],
        ['686', '  ', [['a', 'K928'], ['2', 'other']]],
      ]),
    );
    expect(outcome.ok && outcome.record).toMatchObject({ year: 1987, callNumber: 'K928', language: null, publisher: null });
  });

  it('turns Koha 952 fields into items', async () => {
    const [outcome] = await parseBytes(
      iso2709([
        ['001', 'K1'],
        ['050', ' 4', [['a', 'PL2754'], ['b', '.S5']]],
        ['084', '  ', [['a', 'I247.5'], ['2', 'clc']]],
        ['245', '10', [['a', '活着 /'], ['c', '余华著.']]],
        ['952', '  ', [['a', 'XC01'], ['c', 'STACKS'], ['d', '2024-03-05'], ['g', '28.00'], ['o', 'I247.5/Y91'], ['p', '31001000123456'], ['y', 'book']]],
        ['952', '  ', [['a', 'XC02'], ['p', '31001000123457'], ['d', '05/03/2024']]],
        ['952', '  ', [['a', 'XC03']]],
      ]),
    );
    expect(outcome.ok && outcome.record).toMatchObject({
      title: '活着',
      responsibility: '余华著',
      callNumber: 'I247.5',
      items: [
        { barcode: '31001000123456', branchCode: 'XC01', itemType: 'book', location: 'STACKS', callNumber: 'I247.5/Y91', price: 28, acquiredOn: '2024-03-05' },
        { barcode: '31001000123457', branchCode: 'XC02', itemType: null, location: null, callNumber: null, price: null, acquiredOn: null },
      ],
      warnings: ['item 31001000123457: acquisition date "05/03/2024" ignored', '952 without a barcode ($p) skipped'],
    });
  });

  it('prefers CLC (084 without $2, or $2 clc) over LC and Dewey, and LC over Dewey', async () => {
    const callNumber = async (fields: FieldSpec[]) => {
      const [outcome] = await parseBytes(iso2709([['245', '10', [['a', 'T']]], ...fields]));
      return outcome.ok ? outcome.record.callNumber : 'rejected';
    };
    expect(await callNumber([['084', '  ', [['a', 'TP312']]], ['082', '04', [['a', '005.1']]]])).toBe('TP312');
    expect(await callNumber([['084', '  ', [['a', '54.62'], ['2', 'rvk']]], ['050', ' 4', [['a', 'QA76.73'], ['b', '.J38']]]])).toBe('QA76.73 .J38');
    expect(await callNumber([['082', '04', [['a', '658.4/038/0285574'], ['2', '22']]]])).toBe('658.40380285574');
    expect(await callNumber([])).toBeNull();
  });

  it('warns about invalid ISBNs and keeps the valid ones once', async () => {
    const [outcome] = await parseBytes(
      iso2709([
        ['020', '  ', [['a', '9787020008735 (pbk.)']]],
        ['020', '  ', [['a', '7020008739']]],
        ['020', '  ', [['a', '9787020008736']]],
        ['020', '  ', [['a', 'pbk.']]],
        ['245', '10', [['a', 'T']]],
      ]),
    );
    expect(outcome.ok && outcome.record).toMatchObject({
      isbns: ['9787020008735'],
      warnings: ['020$a "9787020008736" dropped: wrong check digit', '020$a "pbk." dropped: not an ISBN'],
    });
  });

  it('rejects records without a title', async () => {
    const outcomes = await parseBytes(
      Buffer.concat([
        iso2709([['001', 'NT1'], ['300', '  ', [['a', '1 vol.']]]]),
        iso2709([['001', 'NT2'], ['245', '10', [['c', 'only a statement of responsibility']]]]),
      ]),
    );
    expect(outcomes).toEqual([
      { ok: false, index: 0, reason: 'no title (245/200)', controlNumber: 'NT1' },
      { ok: false, index: 1, reason: 'no title (245/200)', controlNumber: 'NT2' },
    ]);
  });

  it('detects the flavour per record unless told', async () => {
    const bytes = Buffer.concat([iso2709([['245', '10', [['a', 'MARC 21']]]]), iso2709([['200', '1 ', [['a', 'UNIMARC']]]])]);
    expect(records(await parseBytes(bytes)).map((r) => r.flavour)).toEqual(['marc21', 'unimarc']);
    const forced = await parseBytes(bytes, { flavour: 'unimarc' });
    expect(forced.map((o) => (o.ok ? o.record.title : o.reason))).toEqual(['no title (245/200)', 'UNIMARC']);
  });

  it('rejects MARC-8 records that need more than ASCII, and unknown character codings', async () => {
    const latin1 = Buffer.from(iso2709([['001', 'M8'], ['245', '10', [['a', 'Caf\u00e9']]]], ' '));
    const outcomes = await parseBytes(Buffer.concat([latin1, iso2709([['245', '10', [['a', 'T']]]], 'z')]));
    expect(outcomes).toEqual([
      { ok: false, index: 0, controlNumber: 'M8', reason: expect.stringMatching(/^MARC-8 record \(leader\/09 blank\) has non-ASCII bytes; MARC-8 records are not supported/) },
      { ok: false, index: 1, controlNumber: null, reason: 'unknown character coding "z" in leader/09' },
    ]);
    const ascii = await parseBytes(iso2709([['245', '10', [['a', 'Plain ASCII &#x4E2D;&#x6587; /']]]], ' '));
    expect(ascii[0].ok && ascii[0].record.title).toBe('Plain ASCII 中文');
  });

  it('composes decomposed characters and drops non-sorting markers', async () => {
    const [outcome] = await parseBytes(iso2709([['245', '14', [['a', '\u0098The \u009cSaito\u0304 story']]]]));
    expect(outcome.ok && outcome.record.title).toBe('The Saitō story');
  });
});
