import type { MarcFlavour } from './bib-record';

/** A decoded MARC record, the common ground of the ISO 2709 and MARCXML readers. */
export interface Subfield {
  code: string;
  value: string;
}

export interface ControlField {
  kind: 'control';
  tag: string;
  value: string;
}

export interface DataField {
  kind: 'data';
  tag: string;
  ind1: string;
  ind2: string;
  subfields: Subfield[];
}

export type MarcField = ControlField | DataField;

export interface MarcRecord {
  leader: string;
  fields: MarcField[];
}

/** 001-009 hold unstructured data in both MARC 21 and UNIMARC. */
export function isControlTag(tag: string): boolean {
  return /^00[1-9]$/.test(tag);
}

export function controlValue(record: MarcRecord, tag: string): string | null {
  const field = record.fields.find((f): f is ControlField => f.kind === 'control' && f.tag === tag);
  return field?.value ?? null;
}

export function dataFields(record: MarcRecord, ...tags: string[]): DataField[] {
  return record.fields.filter((f): f is DataField => f.kind === 'data' && tags.includes(f.tag));
}

export function subfieldValues(field: DataField | null | undefined, code: string): string[] {
  return field ? field.subfields.filter((s) => s.code === code).map((s) => s.value) : [];
}

export function firstSubfield(field: DataField | null | undefined, code: string): string | null {
  return field?.subfields.find((s) => s.code === code)?.value ?? null;
}

/** Per record: a MARC 21 title field (245) wins, then a UNIMARC one (200); null when there is neither. */
export function chooseFlavour(tags: Iterable<string>, option: 'auto' | MarcFlavour = 'auto'): MarcFlavour | null {
  if (option !== 'auto') return option;
  const present = new Set(tags);
  if (present.has('245')) return 'marc21';
  if (present.has('200')) return 'unimarc';
  return null;
}
