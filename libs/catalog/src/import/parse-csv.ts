import type { Readable } from 'node:stream';
import type { BibRecordInput, ItemInput, ParseOutcome } from './bib-record';
import { CsvReader, CsvRow } from './csv-reader';
import { collectIsbns } from './isbns';
import { rejection } from './record-outcome';
import { emptyToNull, firstYear, normalizeValue, parseIsoDate, parsePrice, uniqueNonEmpty } from './text';
import { InvalidUtf8Error, utf8Text } from './utf8-stream';

const COLUMNS = [
  'title', 'authors', 'isbn', 'publisher', 'year', 'language', 'subjects', 'callNumber', 'controlNumber',
  'barcode', 'branchCode', 'itemType', 'location', 'price', 'acquiredOn',
] as const;
type Column = (typeof COLUMNS)[number];
type Row = (column: Column) => string | null;

/** Ends the whole file: its header is unusable or its bytes are not UTF-8. */
class CsvStop extends Error {}

/** "Call Number", "call_number" and "callnumber" all name the callNumber column. */
const columnKey = (name: string) => name.trim().toLowerCase().replace(/[\s_-]/g, '');

function readHeader(fields: string[]): Map<Column, number> {
  const positions = new Map<Column, number>();
  fields.forEach((name, position) => {
    const column = COLUMNS.find((c) => columnKey(c) === columnKey(name));
    if (column && !positions.has(column)) positions.set(column, position);
  });
  if (!positions.has('title')) throw new CsvStop(`the header row has no title column (found: ${fields.join(', ')})`);
  return positions;
}

/** ';' or the full-width '；' separate several authors, subjects or ISBNs in one cell. */
const splitList = (value: string | null) => (value ?? '').split(/[;；]/);

function rowItem(row: Row, rowNumber: number, warnings: string[]): ItemInput[] {
  const barcode = row('barcode');
  if (barcode === null) return [];
  const acquiredOn = parseIsoDate(row('acquiredOn'));
  if (row('acquiredOn') !== null && acquiredOn === null) {
    warnings.push(`row ${rowNumber}: acquiredOn "${row('acquiredOn')}" is not a YYYY-MM-DD date`);
  }
  const price = parsePrice(row('price'));
  if (row('price') !== null && price === null) warnings.push(`row ${rowNumber}: price "${row('price')}" is not a number`);
  // The CSV has no item-level call number column; the record's callNumber applies to its copies.
  const item = { barcode, branchCode: row('branchCode'), itemType: row('itemType'), location: row('location'), callNumber: null };
  return [{ ...item, price, acquiredOn }];
}

function rowLanguage(row: Row, rowNumber: number, warnings: string[]): string | null {
  const language = row('language')?.toLowerCase() ?? null;
  if (language === null || /^[a-z]{3}$/.test(language)) return language;
  warnings.push(`row ${rowNumber}: language "${language}" is not a three-letter code`);
  return null;
}

function rowYear(row: Row, rowNumber: number, warnings: string[]): number | null {
  const year = firstYear(row('year'));
  if (row('year') !== null && year === null) warnings.push(`row ${rowNumber}: year "${row('year')}" ignored`);
  return year;
}

function rowRecord(row: Row, rowNumber: number): BibRecordInput {
  const isbns = collectIsbns(splitList(row('isbn')), `row ${rowNumber}: isbn`);
  const warnings = [...isbns.warnings];
  return {
    flavour: 'csv',
    controlNumber: row('controlNumber'),
    isbns: isbns.isbns,
    title: row('title') as string,
    titleVariants: [],
    responsibility: null,
    authors: uniqueNonEmpty(splitList(row('authors'))),
    publisher: row('publisher'),
    year: rowYear(row, rowNumber, warnings),
    language: rowLanguage(row, rowNumber, warnings),
    subjects: uniqueNonEmpty(splitList(row('subjects'))),
    callNumber: row('callNumber'),
    items: rowItem(row, rowNumber, warnings),
    warnings,
  };
}

interface Pending {
  index: number;
  rowNumber: number;
  record: BibRecordInput;
}

function mergeKey(record: BibRecordInput): string | null {
  if (record.controlNumber !== null) return `controlNumber ${record.controlNumber}`;
  return record.isbns.length > 0 ? `isbn ${record.isbns[0]}` : null;
}

/** Turns rows into outcomes: the first row is the header, blank rows are skipped, copies of one title are merged. */
class CsvAssembler {
  private header: Map<Column, number> | null = null;
  private index = -1;
  private pending: Pending | null = null;

  get hasHeader(): boolean {
    return this.header !== null;
  }

  get nextIndex(): number {
    return this.index + 1;
  }

  *accept(row: CsvRow): Generator<ParseOutcome> {
    if (this.header === null) {
      this.header = readHeader(row.fields);
      return;
    }
    const index = ++this.index;
    const rowNumber = index + 2;
    if (row.fields.every((field) => field.trim() === '')) return;
    const outcome = rowOutcome(row, this.header, index, rowNumber);
    if (outcome.ok && this.absorb(outcome.record, rowNumber)) return;
    yield* this.flush();
    if (outcome.ok) this.pending = { index, rowNumber, record: outcome.record };
    else yield outcome;
  }

  *flush(): Generator<ParseOutcome> {
    if (this.pending) yield { ok: true, index: this.pending.index, record: this.pending.record };
    this.pending = null;
  }

  /**
   * Consecutive rows that describe the same title (same controlNumber, else same first ISBN) and
   * each carry a barcode are one record with several copies; the first row's bibliographic data wins.
   */
  private absorb(next: BibRecordInput, rowNumber: number): boolean {
    const pending = this.pending;
    if (!pending || pending.record.items.length === 0 || next.items.length === 0) return false;
    const key = mergeKey(next);
    if (key === null || key !== mergeKey(pending.record)) return false;
    pending.record.items.push(...next.items);
    pending.record.warnings.push(...next.warnings);
    if (next.title !== pending.record.title) {
      const warning = `row ${rowNumber}: same ${key} as row ${pending.rowNumber} but another title; only its copy was kept`;
      pending.record.warnings.push(warning);
    }
    return true;
  }
}

function rowOutcome(row: CsvRow, header: Map<Column, number>, index: number, rowNumber: number): ParseOutcome {
  const cell: Row = (column) => {
    const position = header.get(column);
    return position === undefined ? null : emptyToNull(normalizeValue(row.fields[position] ?? ''));
  };
  if (row.unterminated) return rejection(index, `row ${rowNumber}: a quoted field is never closed`, cell('controlNumber'));
  if (cell('title') === null) return rejection(index, `row ${rowNumber}: no title`, cell('controlNumber'));
  return { ok: true, index, record: rowRecord(cell, rowNumber) };
}

async function* csvRows(input: Readable): AsyncGenerator<CsvRow> {
  const reader = new CsvReader();
  try {
    for await (const text of utf8Text(input)) yield* reader.push(text);
  } catch (error) {
    if (!(error instanceof InvalidUtf8Error)) throw error;
    throw new CsvStop('not valid UTF-8: save the file as "CSV UTF-8"; the rest of the file was not read');
  }
  const last = reader.end();
  if (last) yield last;
}

/**
 * Reads a CSV export (UTF-8, with or without BOM; header row required). `index` is the 0-based data
 * row where a record starts; reasons and warnings name spreadsheet rows (the header is row 1).
 */
export async function* parseCsv(input: Readable): AsyncGenerator<ParseOutcome> {
  const assembler = new CsvAssembler();
  try {
    for await (const row of csvRows(input)) yield* assembler.accept(row);
    if (!assembler.hasHeader) throw new CsvStop('no header row');
  } catch (error) {
    if (!(error instanceof CsvStop)) throw error;
    yield* assembler.flush();
    yield rejection(assembler.nextIndex, error.message);
    return;
  }
  yield* assembler.flush();
}
