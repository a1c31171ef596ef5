/** C1 controls that MARC uses as non-sorting markers (NSB/NSE, and their older 0x88/0x89 forms). */
const NON_SORT_MARKERS = /[\u0088\u0089\u0098\u009c]/g;

/** MARC 21 UTF-8 allows decomposed characters; the catalogue stores composed ones so search matches. */
export function normalizeValue(value: string): string {
  return value.replace(NON_SORT_MARKERS, '').normalize('NFC');
}

const TRAILING_SEPARATOR = /\s*[/:;=,／：；＝，、。]$/u;

/** Words whose trailing period is part of the word, not ISBD punctuation. */
const ABBREVIATIONS = new Set([
  'bros', 'ca', 'cm', 'co', 'corp', 'dept', 'dr', 'ed', 'eds', 'etc', 'inc', 'jr',
  'ltd', 'mr', 'mrs', 'ms', 'no', 'nos', 'p', 'pp', 'sr', 'st', 'vol', 'vols',
]);

/** "Rowling, J. K." and "etc." keep their period; "Qiao." and "译." do not. */
function endsWithAbbreviation(value: string): boolean {
  const word = /(?<!\p{L})(\p{Script=Latin}+)\.$/u.exec(value)?.[1];
  if (word === undefined) return false;
  return word.length === 1 || ABBREVIATIONS.has(word.toLowerCase());
}

function stripOneMark(value: string): string {
  const separator = TRAILING_SEPARATOR.exec(value);
  if (separator) return value.slice(0, separator.index);
  if (value.endsWith('.') && !value.endsWith('..') && !endsWithAbbreviation(value)) return value.slice(0, -1);
  return value;
}

/** Removes the ISBD punctuation that MARC 21 cataloguers leave at the end of subfields ("Title /", "Qiao.", "北京 :"). */
export function trimIsbd(value: string): string {
  let current = value.trim();
  for (;;) {
    const next = stripOneMark(current).trimEnd();
    if (next === current) return current;
    current = next;
  }
}

const SEPARATORS: Record<string, string> = {
  ':': ' : ', ';': ' ; ', '=': ' = ', ',': ', ', '.': '. ', '/': ' / ',
  '：': '：', '；': '；', '＝': '＝', '，': '，', '／': '／',
};

/** The ISBD separator a subfield ends with ("Tu shuo Zhongguo jie =" → " = "), or null. */
function separatorAfter(raw: string): string | null {
  const mark = /([:;=,./：；＝，／])\s*$/u.exec(raw)?.[1];
  return mark === undefined ? null : SEPARATORS[mark];
}

export interface TextPart {
  code: string;
  value: string;
}

/**
 * Joins the wanted subfields of a title field, keeping the punctuation the record puts between them,
 * even when it sits on a subfield that is left out (245 $a … $h [electronic resource] : $b …).
 * UNIMARC stores no punctuation, so its parts are joined with " : ".
 */
export function joinTitleParts(parts: TextPart[], wanted: string): string {
  let result = '';
  let separator: string | null = null;
  for (const part of parts) {
    if (wanted.includes(part.code)) result = appendPart(result, separator, part.value);
    separator = separatorAfter(part.value);
  }
  return result;
}

/** Without punctuation to go by, a part that starts with punctuation or a space continues the text before it. */
function appendPart(result: string, separator: string | null, raw: string): string {
  const value = trimIsbd(raw);
  if (value === '') return result;
  if (result === '') return value;
  if (separator !== null) return result + separator + value;
  if (/^[,.;:]/.test(value)) return result + value;
  return result + (/^\s/.test(raw) ? ' ' : ' : ') + value;
}

/** The first plausible four-digit year in "c2006.", "[2005]", "1900-1914. 4 vol." … */
export function firstYear(value: string | null | undefined): number | null {
  if (!value) return null;
  for (const match of value.matchAll(/(?<!\d)(\d{4})(?!\d)/g)) {
    const year = Number(match[1]);
    if (year >= 1000 && year <= 2999) return year;
  }
  return null;
}

export function uniqueNonEmpty(values: Iterable<string | null | undefined>): string[] {
  const seen = new Set<string>();
  for (const value of values) {
    const trimmed = value?.trim();
    if (trimmed) seen.add(trimmed);
  }
  return [...seen];
}

/** "12.00", "CNY28.00", "¥ 28", "28,50" → a non-negative number, or null. */
export function parsePrice(value: string | null | undefined): number | null {
  if (!value) return null;
  const withoutThousands = value.normalize('NFKC').replace(/,(?=\d{3}(?!\d))/g, '');
  const match = /(\d+)(?:[.,](\d{1,2}))?/.exec(withoutThousands);
  if (!match) return null;
  return Number(`${match[1]}.${match[2] ?? '0'}`);
}

/** "2024-03-05" or "20240305" → "2024-03-05" when it is a real calendar date, else null. */
export function parseIsoDate(value: string | null | undefined): string | null {
  const match = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(value?.trim() ?? '');
  if (!match) return null;
  const [, year, month, day] = match;
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  const iso = `${year}-${month}-${day}`;
  return date.toISOString().slice(0, 10) === iso ? iso : null;
}

export function emptyToNull(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}
