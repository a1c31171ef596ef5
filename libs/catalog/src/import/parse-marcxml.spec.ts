import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { BibRecordInput, ParseOutcome } from './bib-record';
import { parseIso2709 } from './parse-marc';
import { parseMarcXml } from './parse-marcxml';

const FIXTURES = join(__dirname, '../../../../test/fixtures/marc');
const fixture = (name: string) => readFileSync(join(FIXTURES, name));

async function collect(outcomes: AsyncIterable<ParseOutcome>): Promise<ParseOutcome[]> {
  const all: ParseOutcome[] = [];
  for await (const outcome of outcomes) all.push(outcome);
  return all;
}

const parseXml = (xml: string | Buffer) => collect(parseMarcXml(Readable.from([Buffer.from(xml)])));
const records = (outcomes: ParseOutcome[]): BibRecordInput[] => outcomes.flatMap((o) => (o.ok ? [o.record] : []));
const summary = (outcomes: ParseOutcome[]) => outcomes.map((o) => (o.ok ? o.record.title : `rejected ${o.index}: ${o.reason}`));

function* bytewise(bytes: Buffer): Generator<Buffer> {
  for (let i = 0; i < bytes.length; i++) yield bytes.subarray(i, i + 1);
}

const SLIM = 'http://www.loc.gov/MARC21/slim';
const record = (title: string, extra = '') =>
  `<record><leader>00000nam a2200000 a 4500</leader><controlfield tag="001">${title}</controlfield>` +
  `<datafield tag="245" ind1="1" ind2="0"><subfield code="a">${title}</subfield></datafield>${extra}</record>`;

describe('parseMarcXml on the fixture files', () => {
  it('gives the same records for bib.xml as for bib.mrc', async () => {
    const fromXml = await collect(parseMarcXml(Readable.from([fixture('bib.xml')])));
    const fromIso = await collect(parseIso2709(Readable.from([fixture('bib.mrc')])));
    expect(fromXml).toHaveLength(6);
    expect(fromXml.every((o) => o.ok)).toBe(true);
    expect(fromXml).toEqual(fromIso);
  });

  it('reads graphic_880.xml with the vernacular 880 forms preferred', async () => {
    const outcomes = await collect(parseMarcXml(Readable.from([fixture('graphic_880.xml')])));
    expect(outcomes.map((o) => o.ok)).toEqual(Array(7).fill(true));
    const all = records(outcomes);
    expect(all.map((r) => r.controlNumber)).toEqual(['2741359', '2784593', '2802833', '892053', '925636', '964180', '800255']);
    expect(all[0]).toEqual({
      flavour: 'marc21',
      controlNumber: '2741359',
      isbns: ['9787500473817'],
      title: '图说中国节 = Tushuo Zhongguojie',
      titleVariants: ['Tu shuo Zhongguo jie = Tushuo Zhongguojie', '中国节', 'Zhongguo jie', 'Tushuo Zhongguojie'],
      responsibility: '大乔编著',
      authors: ['大乔', 'Da, Qiao'],
      publisher: '中国社会科学出版社',
      year: 2009,
      language: 'chi',
      subjects: ['Festivals', 'Chinese language materials', 'China', 'Holidays', 'Tales'],
      callNumber: 'GT4883.A2 D326 2009',
      items: [],
      warnings: [],
    });
    expect(all[5]).toMatchObject({
      title: '老子说 I : 智者的低语 = the Dao speaks I : the whispers of wisdom',
      responsibility: '蔡志忠著 ; Brian Bruya 译',
      authors: ['蔡志忠', 'Cai, Zhizhong'],
      publisher: '现代出版社',
      subjects: ['老子', 'Laozi', 'Chinese language materials', 'Philosophy, Taoist', 'Taoism'],
      isbns: ['9787801885128'],
      warnings: ['852 holdings not imported: only Koha 952 item fields are read'],
    });
    // Japanese 880 for 245; the record's 880 links for its two 700s are crossed, as catalogued.
    expect(all[3]).toMatchObject({
      title: 'Breathing，Feeding，and，Neuroprotection',
      titleVariants: ['Breathing, feeding, and neuroprotection'],
      publisher: '［シュプリンガー・フェアラーク東京］',
      year: 2006,
    });
    // An 880 linked to a 240 that the record lacks becomes a variant; 245 stays in English.
    expect(all[1]).toMatchObject({ title: 'Matsumoto Shigeharu : bearing witness', titleVariants: ['Bearing witness', '松本重治伝'] });
    expect(all[4].title).toBe(
      'Data warehousing and knowledge discovery : 4th international conference, DaWaK 2002, Aix-en-Provence, France, September 4-6, 2002 : proceedings',
    );
    expect(all[6]).toMatchObject({ title: 'Harry Potter and the goblet of fire', authors: ['Rowling, J. K.', 'GrandPré, Mary'] });
  });

  it('parses identically when the bytes arrive one at a time, splitting multi-byte characters', async () => {
    const bytes = fixture('graphic_880.xml');
    const whole = await collect(parseMarcXml(Readable.from([bytes])));
    expect(await collect(parseMarcXml(Readable.from(bytewise(bytes))))).toEqual(whole);
  });
});

describe('parseMarcXml namespaces and document shapes', () => {
  it('reads marc:-prefixed elements', async () => {
    const xml = `<marc:collection xmlns:marc="${SLIM}">${record('One').replace(/<(\/?)/g, '<$1marc:')}</marc:collection>`;
    expect(summary(await parseXml(xml))).toEqual(['One']);
  });

  it('reads a single record as the root, without a namespace', async () => {
    expect(summary(await parseXml(`<?xml version="1.0" encoding="UTF-8"?>\n${record('Alone')}`))).toEqual(['Alone']);
  });

  it('finds MARC records inside another vocabulary and ignores its own record elements', async () => {
    const xml =
      `<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><ListRecords><record><metadata>` +
      `<record xmlns="${SLIM}"><datafield tag="245" ind1="0" ind2="0"><subfield code="a">Wrapped</subfield></datafield></record>` +
      `</metadata></record></ListRecords></OAI-PMH>`;
    expect(summary(await parseXml(xml))).toEqual(['Wrapped']);
  });

  it('ignores elements of other namespaces inside a record and reads CDATA and entities', async () => {
    const xml =
      `<collection xmlns="${SLIM}" xmlns:x="urn:x"><record><x:note>skip</x:note>` +
      `<datafield tag="245" ind1="0" ind2="0"><subfield code="a"><![CDATA[Tom & Jerry]]> &amp; &#x4E2D;</subfield></datafield></record></collection>`;
    expect(summary(await parseXml(xml))).toEqual(['Tom & Jerry & 中']);
  });
});

describe('parseMarcXml broken input', () => {
  it('keeps the records before malformed XML and rejects the rest once', async () => {
    const xml = `<collection xmlns="${SLIM}">${record('One')}${record('Two')}<record><datafield tag="245"><subfield code="a">Broken</datafield></record>${record('Lost')}</collection>`;
    const outcomes = await parseXml(xml);
    expect(summary(outcomes)).toEqual(['One', 'Two', expect.stringMatching(/^rejected 2: malformed XML: 1:\d+: unexpected close tag\.; the rest of the input was not read$/)]);
  });

  it('rejects the rest when the document stops in the middle of a record', async () => {
    const bytes = fixture('bib.xml');
    const cut = bytes.indexOf('<record>', bytes.indexOf('FRBNF323346280000008')) + 300;
    const outcomes = await parseXml(bytes.subarray(0, cut));
    expect(outcomes.map((o) => o.ok)).toEqual([true, true, true, false]);
    expect(outcomes[3]).toEqual({ ok: false, index: 3, controlNumber: null, reason: expect.stringMatching(/^malformed XML: .*unclosed tag/) });
  });

  it('rejects a record with an unusable field and goes on', async () => {
    const xml = `<collection>${record('Bad', '<datafield ind1=" " ind2=" "><subfield code="a">x</subfield></datafield>')}${record('Good')}</collection>`;
    expect(await parseXml(xml)).toEqual([
      { ok: false, index: 0, controlNumber: 'Bad', reason: 'datafield with an invalid tag ("")' },
      expect.objectContaining({ ok: true, index: 1 }),
    ]);
  });

  it('rejects records without a title', async () => {
    const xml = `<collection><record><controlfield tag="001">NT</controlfield></record></collection>`;
    expect(await parseXml(xml)).toEqual([{ ok: false, index: 0, controlNumber: 'NT', reason: 'no title (245/200)' }]);
  });

  it('stops at bytes that are not UTF-8 and at other declared encodings', async () => {
    const good = Buffer.from(`<collection>${record('Before')}`);
    const gbk = Buffer.from([0xd6, 0xd0, 0xce, 0xc4]); // 中文 in GBK
    const invalid = await parseXml(Buffer.concat([good, Buffer.from('<record><datafield tag="245"><subfield code="a">'), gbk]));
    expect(summary(invalid)).toEqual(['Before', 'rejected 1: invalid UTF-8: MARCXML must be UTF-8; the rest of the input was not read']);
    const declared = await parseXml(`<?xml version="1.0" encoding="GB2312"?><collection>${record('T')}</collection>`);
    expect(summary(declared)).toEqual(['rejected 0: unsupported XML encoding "GB2312": only UTF-8 is read; the rest of the input was not read']);
  });

  it('rejects something that is not XML without throwing', async () => {
    const outcomes = await collect(parseMarcXml(Readable.from([fixture('bib.mrc')])));
    expect(outcomes).toEqual([{ ok: false, index: 0, reason: expect.stringMatching(/^malformed XML: /), controlNumber: null }]);
  });
});
