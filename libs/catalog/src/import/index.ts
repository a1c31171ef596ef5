import type { Readable } from 'node:stream';
import type { MarcParseOptions, ParseOutcome } from './bib-record';
import { parseIso2709 } from './parse-marc';
import { parseCsv } from './parse-csv';
import { parseMarcXml } from './parse-marcxml';

export type { BibRecordInput, ItemInput, MarcFlavour, MarcParseOptions, ParseOutcome } from './bib-record';
export { parseIso2709 } from './parse-marc';
export { parseMarcXml } from './parse-marcxml';
export { parseCsv } from './parse-csv';

export type ImportFormat = 'marc' | 'marcxml' | 'csv';
export type RecordParser = (input: Readable, options?: MarcParseOptions) => AsyncGenerator<ParseOutcome>;

/** CSV has no MARC flavour, so it ignores the options. */
export function parserFor(format: ImportFormat): RecordParser {
  switch (format) {
    case 'marc':
      return parseIso2709;
    case 'marcxml':
      return parseMarcXml;
    case 'csv':
      return (input) => parseCsv(input);
  }
  throw new Error(`unknown import format "${String(format)}"`);
}
