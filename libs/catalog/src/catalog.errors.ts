import { defineErrors } from '@lib/errors';

export const CatalogError = defineErrors({
  RECORD_NOT_FOUND: { kind: 'not_found', zh: '书目记录不存在：{id}', en: 'Bibliographic record {id} not found' },
  ITEM_NOT_FOUND: { kind: 'not_found', zh: '条码不存在：{barcode}', en: 'No item with barcode {barcode}' },
  BARCODE_TAKEN: { kind: 'conflict', zh: '条码已被使用：{barcode}', en: 'Barcode {barcode} is already used' },
  CONTROL_NUMBER_TAKEN: { kind: 'conflict', zh: '控制号已存在：{controlNumber}', en: 'Control number {controlNumber} already exists' },
  ISBN_INVALID: { kind: 'invalid', zh: 'ISBN 无效：{isbn}（{problem}）', en: 'Invalid ISBN {isbn} ({problem})' },
  IMPORT_FORMAT_INVALID: { kind: 'invalid', zh: '导入格式应为 marc、marcxml 或 csv', en: 'format must be marc, marcxml or csv' },
  IMPORT_FILE_MISSING: { kind: 'invalid', zh: '请上传文件（字段名 file）', en: 'Upload the file in the multipart field "file"' },
});
