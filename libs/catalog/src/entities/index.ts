import { BibRecord } from './bib-record.entity';
import { Item } from './item.entity';
import { ItemEdit } from './item-edit.entity';

export * from './bib-record.entity';
export * from './item.entity';
export * from './item-edit.entity';
export const CATALOG_ENTITIES = [BibRecord, Item, ItemEdit];
