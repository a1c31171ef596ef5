/**
 * What a record is found by. PostgreSQL's trigrams cannot match a two-character Chinese query
 * ("三国"), so CJK text is also indexed as single characters and overlapping pairs: a query's pairs
 * (or its single character) must all be present, and a LIKE on the folded text confirms the match.
 */
const CJK = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af]/u;
const CJK_RUN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af]+/gu;

/** Lower case, full-width forms folded to ASCII, punctuation and spacing collapsed. */
export function foldText(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]+/gu, ' ')
    .trim();
}

/** Unigrams and bigrams of every CJK run. */
export function cjkGrams(text: string): string[] {
  const grams = new Set<string>();
  for (const run of text.normalize('NFKC').match(CJK_RUN) ?? []) {
    const chars = [...run];
    chars.forEach((c, i) => {
      grams.add(c);
      if (i + 1 < chars.length) grams.add(c + chars[i + 1]);
    });
  }
  return [...grams];
}

/** The grams a query needs: its bigrams, or the single character of a one-character run. */
export function queryGrams(query: string): string[] {
  const grams = new Set<string>();
  for (const run of query.normalize('NFKC').match(CJK_RUN) ?? []) {
    const chars = [...run];
    if (chars.length === 1) grams.add(chars[0]);
    for (let i = 0; i + 1 < chars.length; i++) grams.add(chars[i] + chars[i + 1]);
  }
  return [...grams];
}

export function hasCjk(text: string): boolean {
  return CJK.test(text);
}

export interface SearchableRecord {
  title: string;
  titleVariants: string[];
  responsibility: string | null;
  authors: string[];
  subjects: string[];
  publisher: string | null;
  callNumber: string | null;
  isbns: string[];
}

export function searchTermsOf(record: SearchableRecord): { searchText: string; searchGrams: string[] } {
  const parts = [
    record.title,
    ...record.titleVariants,
    record.responsibility ?? '',
    ...record.authors,
    ...record.subjects,
    record.publisher ?? '',
    record.callNumber ?? '',
    ...record.isbns,
  ];
  const searchText = parts.map(foldText).filter(Boolean).join(' | ');
  return { searchText, searchGrams: cjkGrams(parts.join(' ')) };
}
