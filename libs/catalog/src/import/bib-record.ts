export type MarcFlavour = 'marc21' | 'unimarc';

export interface ItemInput {
  barcode: string;
  branchCode: string | null;
  itemType: string | null;
  location: string | null;
  callNumber: string | null;
  price: number | null;
  /** YYYY-MM-DD */
  acquiredOn: string | null;
}

export interface BibRecordInput {
  flavour: MarcFlavour | 'csv';
  controlNumber: string | null;
  /** Normalised ISBN-13s; invalid ones are dropped and listed in `warnings`. */
  isbns: string[];
  /** The vernacular (e.g. Chinese) title when an 880 field gives one. */
  title: string;
  titleVariants: string[];
  responsibility: string | null;
  authors: string[];
  publisher: string | null;
  year: number | null;
  /** Three-letter code, lower case. */
  language: string | null;
  subjects: string[];
  /** Chinese Library Classification first. */
  callNumber: string | null;
  items: ItemInput[];
  warnings: string[];
}

/** What a mapper fills in; the parser adds the flavour. */
export type BibFields = Omit<BibRecordInput, 'flavour'>;

/**
 * `index` is the record's 0-based position in the input, rejected records included
 * (for CSV: the 0-based data row where the record starts).
 */
export type ParseOutcome =
  | { ok: true; index: number; record: BibRecordInput }
  | { ok: false; index: number; reason: string; controlNumber?: string | null };

export interface MarcParseOptions {
  /** 'auto' (the default) decides per record: 245 present → MARC 21, else 200 present → UNIMARC. */
  flavour?: 'auto' | MarcFlavour;
}
