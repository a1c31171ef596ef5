import { defineErrors } from '@lib/errors';

export const CatalogError = defineErrors({
  RECORD_NOT_FOUND: { kind: 'not_found', zh: '书目记录不存在：{id}', en: 'Bibliographic record {id} not found' },
  ITEM_NOT_FOUND: { kind: 'not_found', zh: '条码不存在：{barcode}', en: 'No item with barcode {barcode}' },
  BARCODE_TAKEN: { kind: 'conflict', zh: '条码已被使用：{barcode}', en: 'Barcode {barcode} is already used' },
  CONTROL_NUMBER_TAKEN: { kind: 'conflict', zh: '控制号已存在：{controlNumber}', en: 'Control number {controlNumber} already exists' },
  ISBN_INVALID: { kind: 'invalid', zh: 'ISBN 无效：{isbn}（{problem}）', en: 'Invalid ISBN {isbn} ({problem})' },
  IMPORT_FORMAT_INVALID: { kind: 'invalid', zh: '导入格式应为 marc、marcxml 或 csv', en: 'format must be marc, marcxml or csv' },
  IMPORT_FILE_MISSING: { kind: 'invalid', zh: '请上传文件（字段名 file）', en: 'Upload the file in the multipart field "file"' },
  BULK_EDIT_NOTHING: {
    kind: 'invalid',
    zh: '请至少选择一项要修改的内容（所属馆、文献类型或排架位置）',
    en: 'Choose at least one thing to change: homeBranchId, itemType or shelvingLocation',
  },
  BULK_EDIT_UNKNOWN_BARCODES: {
    kind: 'invalid',
    zh: '以下条码不存在，未做任何修改：{barcodes}',
    en: 'Nothing was changed: no copy has these barcodes: {barcodes}',
  },
  BULK_EDIT_NOT_YOURS: {
    kind: 'forbidden',
    zh: '以下条码不属于您所在的馆，未做任何修改：{barcodes}',
    en: 'Nothing was changed: these copies belong to branches you do not staff: {barcodes}',
  },
});
