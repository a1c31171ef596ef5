import { Type } from '@sinclair/typebox';
import { ITEM_STATUSES, ITEM_TYPES } from '@lib/catalog';
import { Day, Nullable, OneOf, Page, Shape, Uuid, View } from '../http/answers';

const recordFields = {
  id: Uuid(),
  controlNumber: Nullable(Type.String()),
  title: Type.String(),
  titleVariants: Type.Array(Type.String()),
  responsibility: Nullable(Type.String()),
  authors: Type.Array(Type.String()),
  isbns: Type.Array(Type.String()),
  publisher: Nullable(Type.String()),
  year: Nullable(Type.Integer()),
  language: Nullable(Type.String()),
  subjects: Type.Array(Type.String()),
  callNumber: Nullable(Type.String()),
  itemCount: Type.Integer({ description: 'copies not withdrawn' }),
  availability: Type.Array(
    Shape({ branchId: Uuid(), total: Type.Integer(), available: Type.Integer({ description: 'on its own shelf now' }) }),
    { description: 'per circulating branch' },
  ),
};

/** A bibliographic record with how many copies each branch has and how many stand on its shelf. */
export const RecordView = View('RecordView', Shape(recordFields));
export const RecordPage = View('RecordPage', Page(RecordView));

const itemShape = Shape({
  id: Uuid(),
  recordId: Uuid(),
  barcode: Type.String(),
  homeBranchId: Uuid(),
  circulatingBranchId: Uuid(),
  currentBranchId: Nullable(Uuid()),
  itemType: OneOf(ITEM_TYPES),
  status: OneOf(ITEM_STATUSES),
  shelvingLocation: Nullable(Type.String()),
  callNumber: Nullable(Type.String()),
  price: Nullable(Type.Number()),
  acquiredOn: Nullable(Day()),
  floating: Type.Boolean(),
});
export const ItemView = View('ItemView', itemShape);
export const RecordWithItems = View('RecordWithItems', Shape({ ...recordFields, items: Type.Array(ItemView) }));

export const ImportReport = View(
  'ImportReport',
  Shape({
    format: OneOf(['marc', 'marcxml', 'csv'] as const),
    imported: Type.Integer(),
    updated: Type.Integer(),
    rejected: Type.Integer(),
    itemsCreated: Type.Integer(),
    itemsSkipped: Type.Integer(),
    rejections: Type.Array(
      Shape({ index: Type.Integer({ description: "the record's 0-based position in the file" }), controlNumber: Type.Optional(Nullable(Type.String())), reason: Type.String() }),
      { description: 'the first 1,000' },
    ),
    warnings: Type.Array(Shape({ index: Type.Integer(), message: Type.String() }), { description: 'the first 1,000' }),
  }),
);

const change = () =>
  Type.Optional(Shape({ from: Nullable(Type.String()), to: Nullable(Type.String()), fromName: Type.Optional(Nullable(Type.String())), toName: Type.Optional(Nullable(Type.String())) }));

/** What a bulk edit would do (preview) or did (apply). */
export const BulkEditPreview = View(
  'BulkEditPreview',
  Shape({
    unknown: Type.Array(Type.String()),
    notYours: Type.Array(Type.String()),
    items: Type.Array(
      Shape({
        barcode: Type.String(),
        title: Type.String(),
        status: OneOf(ITEM_STATUSES),
        changes: Shape({ homeBranchId: change(), itemType: change(), shelvingLocation: change() }),
      }),
    ),
    changing: Type.Integer(),
  }),
);
