import type { BibFields } from './bib-record';
import { itemsFrom952 } from './holdings';
import { collectIsbns } from './isbns';
import { DataField, MarcRecord, controlValue, dataFields, firstSubfield, subfieldValues } from './marc-record';
import { emptyToNull, firstYear, joinTitleParts, trimIsbd, uniqueNonEmpty } from './text';

/** A field in its cataloguing script and its vernacular form from a linked 880 (either may be missing). */
interface Forms {
  roman: DataField | null;
  vernacular: DataField | null;
}

type FormsOf = (tags: string[]) => Forms[];

const AUTHOR_TAGS = ['100', '110', '111', '700', '710'];
const SUBJECT_TAGS = ['600', '610', '611', '630', '648', '650', '651'];
const VARIANT_TITLE_TAGS = ['130', '240', '246'];

/** "880-02" on a regular field, "245-02/$1" on an 880: the linked tag and the occurrence number. */
function linkage(field: DataField): { tag: string; occurrence: string } | null {
  const match = /^(\d{3})-(\d{2,})/.exec(firstSubfield(field, '6') ?? '');
  return match ? { tag: match[1], occurrence: match[2] } : null;
}

/**
 * Pairs regular fields with their 880 (alternate graphic representation) fields. Occurrence "00"
 * means an 880 with no regular counterpart, so it is never paired and is listed on its own.
 */
function formsByTag(record: MarcRecord): FormsOf {
  const alternates = new Map<string, DataField>();
  for (const field of dataFields(record, '880')) {
    const link = linkage(field);
    if (link && link.occurrence !== '00') alternates.set(`${link.tag}-${link.occurrence}`, field);
  }
  const paired = new Set<DataField>();
  const forms: { tag: string; forms: Forms }[] = [];
  for (const field of record.fields) {
    if (field.kind !== 'data' || field.tag === '880') continue;
    const link = linkage(field);
    const vernacular = link?.tag === '880' ? (alternates.get(`${field.tag}-${link.occurrence}`) ?? null) : null;
    if (vernacular) paired.add(vernacular);
    forms.push({ tag: field.tag, forms: { roman: field, vernacular } });
  }
  for (const field of dataFields(record, '880')) {
    const tag = linkage(field)?.tag;
    if (tag && !paired.has(field)) forms.push({ tag, forms: { roman: null, vernacular: field } });
  }
  return (tags) => forms.filter((f) => tags.includes(f.tag)).map((f) => f.forms);
}

/** Vernacular first: a Chinese library files under the Chinese form, the romanised one is a variant. */
function bothForms(forms: Forms[], text: (field: DataField) => string | null): string[] {
  return uniqueNonEmpty(forms.flatMap((f) => [f.vernacular, f.roman].map((field) => (field ? text(field) : null))));
}

function preferVernacular(forms: Forms | undefined, text: (field: DataField) => string | null): string | null {
  for (const field of forms ? [forms.vernacular, forms.roman] : []) {
    const value = field ? emptyToNull(text(field)) : null;
    if (value !== null) return value;
  }
  return null;
}

const titleOf = (field: DataField) => joinTitleParts(field.subfields, 'ab');
const trimmedSubfield = (code: string) => (field: DataField) => {
  const value = firstSubfield(field, code);
  return value === null ? null : trimIsbd(value);
};

function mapTitles(forms: FormsOf) {
  const main = forms(['245'])[0];
  const vernacular = main?.vernacular ? emptyToNull(titleOf(main.vernacular)) : null;
  const roman = main?.roman ? emptyToNull(titleOf(main.roman)) : null;
  const title = vernacular ?? roman ?? '';
  const variants = uniqueNonEmpty([roman, ...bothForms(forms(VARIANT_TITLE_TAGS), titleOf)]).filter((t) => t !== title);
  return { title, titleVariants: variants, responsibility: preferVernacular(main, trimmedSubfield('c')) };
}

/** 264 with second indicator 1 is the publication statement; other 264s (copyright, distribution) and 260 follow. */
function publicationForms(forms: FormsOf): Forms[] {
  const rda = forms(['264']);
  const isPublication = (f: Forms) => (f.roman ?? f.vernacular)?.ind2 === '1';
  return [...rda.filter(isPublication), ...rda.filter((f) => !isPublication(f)), ...forms(['260'])];
}

function mapPublication(record: MarcRecord, forms: FormsOf) {
  const statements = publicationForms(forms);
  const publisher = statements.map((f) => preferVernacular(f, trimmedSubfield('b'))).find((p) => p !== null) ?? null;
  const dates = statements.flatMap((f) => [f.roman, f.vernacular]).map((f) => firstYear(firstSubfield(f, 'c')));
  const year = dates.find((y) => y !== null) ?? firstYear(controlValue(record, '008')?.slice(7, 11));
  return { publisher, year: year ?? null };
}

function mapLanguage(record: MarcRecord): string | null {
  const fixed = controlValue(record, '008')?.slice(35, 38).toLowerCase();
  if (fixed && /^[a-z]{3}$/.test(fixed)) return fixed;
  const coded = firstSubfield(dataFields(record, '041')[0], 'a')?.trim().slice(0, 3).toLowerCase();
  return coded && /^[a-z]{3}$/.test(coded) ? coded : null;
}

/** 中图法 (CLC) in 084 first; LC (050) or Dewey (082, without its segmentation marks) otherwise. */
function mapCallNumber(record: MarcRecord): string | null {
  const clc = dataFields(record, '084').find((f) => /^clc/i.test(firstSubfield(f, '2') ?? 'clc'));
  const clcNumber = emptyToNull(firstSubfield(clc, 'a'));
  if (clcNumber) return clcNumber;
  const lc = dataFields(record, '050')[0];
  const lcNumber = emptyToNull(uniqueNonEmpty([firstSubfield(lc, 'a'), firstSubfield(lc, 'b')]).join(' '));
  if (lcNumber) return lcNumber;
  return emptyToNull(firstSubfield(dataFields(record, '082')[0], 'a')?.replace(/[/']/g, ''));
}

export function mapMarc21(record: MarcRecord): BibFields {
  const forms = formsByTag(record);
  const isbns = collectIsbns(dataFields(record, '020').flatMap((f) => subfieldValues(f, 'a')), '020$a');
  const items = itemsFrom952(record);
  const warnings = [...isbns.warnings, ...items.warnings];
  if (items.items.length === 0 && dataFields(record, '852').length > 0) {
    warnings.push('852 holdings not imported: only Koha 952 item fields are read');
  }
  return {
    controlNumber: emptyToNull(controlValue(record, '001')),
    isbns: isbns.isbns,
    ...mapTitles(forms),
    authors: bothForms(forms(AUTHOR_TAGS), trimmedSubfield('a')),
    ...mapPublication(record, forms),
    language: mapLanguage(record),
    subjects: bothForms(forms(SUBJECT_TAGS), trimmedSubfield('a')),
    callNumber: mapCallNumber(record),
    items: items.items,
    warnings,
  };
}
