import type { MarcFlavour, ParseOutcome } from './bib-record';
import { mapMarc21 } from './map-marc21';
import { mapUnimarc } from './map-unimarc';
import { MarcRecord, controlValue } from './marc-record';
import { emptyToNull } from './text';

export const NO_TITLE = 'no title (245/200)';

export function rejection(index: number, reason: string, controlNumber: string | null = null): ParseOutcome {
  return { ok: false, index, reason, controlNumber };
}

export function marcOutcome(record: MarcRecord, index: number, flavour: MarcFlavour | null): ParseOutcome {
  const controlNumber = emptyToNull(controlValue(record, '001'));
  if (flavour === null) return rejection(index, NO_TITLE, controlNumber);
  const fields = flavour === 'marc21' ? mapMarc21(record) : mapUnimarc(record);
  if (fields.title === '') return rejection(index, NO_TITLE, controlNumber);
  return { ok: true, index, record: { flavour, ...fields } };
}
