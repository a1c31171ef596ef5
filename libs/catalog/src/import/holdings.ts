import type { ItemInput } from './bib-record';
import { DataField, MarcRecord, dataFields, firstSubfield } from './marc-record';
import { emptyToNull, parseIsoDate, parsePrice } from './text';

export interface ItemsResult {
  items: ItemInput[];
  warnings: string[];
}

/** Koha's item field: $p barcode, $a home branch, $y item type, $c location, $o call number, $g price, $d acquired. */
export function itemsFrom952(record: MarcRecord): ItemsResult {
  const result: ItemsResult = { items: [], warnings: [] };
  for (const field of dataFields(record, '952')) {
    const barcode = emptyToNull(firstSubfield(field, 'p'));
    if (barcode === null) {
      result.warnings.push('952 without a barcode ($p) skipped');
      continue;
    }
    result.items.push(itemFrom952(field, barcode, result.warnings));
  }
  return result;
}

function itemFrom952(field: DataField, barcode: string, warnings: string[]): ItemInput {
  const rawDate = emptyToNull(firstSubfield(field, 'd'));
  const acquiredOn = parseIsoDate(rawDate);
  if (rawDate !== null && acquiredOn === null) warnings.push(`item ${barcode}: acquisition date "${rawDate}" ignored`);
  return {
    barcode,
    branchCode: emptyToNull(firstSubfield(field, 'a')),
    itemType: emptyToNull(firstSubfield(field, 'y')),
    location: emptyToNull(firstSubfield(field, 'c')),
    callNumber: emptyToNull(firstSubfield(field, 'o')),
    price: parsePrice(firstSubfield(field, 'g')),
    acquiredOn,
  };
}
