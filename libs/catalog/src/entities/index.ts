import { BibRecord } from './bib-record.entity';
import { Item } from './item.entity';

export * from './bib-record.entity';
export * from './item.entity';
export const CATALOG_ENTITIES = [BibRecord, Item];
