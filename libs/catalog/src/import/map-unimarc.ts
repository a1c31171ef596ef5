import type { BibFields } from './bib-record';
import { itemsFrom952 } from './holdings';
import { collectIsbns } from './isbns';
import { DataField, MarcRecord, controlValue, dataFields, firstSubfield, subfieldValues } from './marc-record';
import { emptyToNull, firstYear, joinTitleParts, trimIsbd, uniqueNonEmpty } from './text';

const AUTHOR_TAGS = ['700', '701', '702', '710', '711', '712'];
const SUBJECT_TAGS = ['600', '601', '602', '604', '605', '606', '607', '608'];
const VARIANT_TITLE_TAGS = ['510', '517'];

/** Personal names are "Surname, Forenames"; corporate names "Body. Subdivision". */
function authorName(field: DataField): string | null {
  const name = emptyToNull(firstSubfield(field, 'a'));
  const rest = emptyToNull(firstSubfield(field, 'b'));
  if (name === null || rest === null) return name;
  return field.tag.startsWith('70') ? `${name}, ${rest}` : `${name}. ${rest}`;
}

function mapTitles(record: MarcRecord) {
  const main = dataFields(record, '200')[0];
  const title = main ? joinTitleParts(main.subfields, 'ae') : '';
  const parallel = subfieldValues(main, 'd');
  const variants = dataFields(record, ...VARIANT_TITLE_TAGS).map((f) => joinTitleParts(f.subfields, 'ae'));
  return {
    title,
    titleVariants: uniqueNonEmpty([...parallel.map(trimIsbd), ...variants]).filter((t) => t !== title),
    responsibility: emptyToNull(subfieldValues(main, 'f').map(trimIsbd).join(' ; ')),
  };
}

/** 214 replaced 210 in 2008; both carry $c publisher and $d date. */
function mapPublication(record: MarcRecord) {
  const statements = dataFields(record, '210', '214');
  const publisher = statements.map((f) => emptyToNull(trimIsbd(firstSubfield(f, 'c') ?? ''))).find((p) => p !== null) ?? null;
  const dated = statements.map((f) => firstYear(firstSubfield(f, 'd'))).find((y) => y !== null);
  const generalData = firstSubfield(dataFields(record, '100')[0], 'a');
  return { publisher, year: dated ?? firstYear(generalData?.slice(9, 13)) };
}

function mapLanguage(record: MarcRecord): string | null {
  const code = firstSubfield(dataFields(record, '101')[0], 'a')?.trim().toLowerCase();
  return code && /^[a-z]{3}$/.test(code) ? code : null;
}

/** CNMARC puts the 中图法 (CLC) number in 690; 686 holds other schemes. */
function mapCallNumber(record: MarcRecord): string | null {
  for (const tag of ['690', '686']) {
    const value = emptyToNull(firstSubfield(dataFields(record, tag)[0], 'a'));
    if (value) return value;
  }
  return null;
}

export function mapUnimarc(record: MarcRecord): BibFields {
  const isbns = collectIsbns(dataFields(record, '010').flatMap((f) => subfieldValues(f, 'a')), '010$a');
  const items = itemsFrom952(record);
  return {
    controlNumber: emptyToNull(controlValue(record, '001')),
    isbns: isbns.isbns,
    ...mapTitles(record),
    authors: uniqueNonEmpty(dataFields(record, ...AUTHOR_TAGS).map(authorName)),
    ...mapPublication(record),
    language: mapLanguage(record),
    subjects: uniqueNonEmpty(dataFields(record, ...SUBJECT_TAGS).map((f) => trimIsbd(firstSubfield(f, 'a') ?? ''))),
    callNumber: mapCallNumber(record),
    items: items.items,
    warnings: [...isbns.warnings, ...items.warnings],
  };
}
