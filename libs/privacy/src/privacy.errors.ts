import { defineErrors } from '@lib/errors';

export const PrivacyError = defineErrors({
  // `openZh` / `openEn` list what is open in each language; the counts are in the details too.
  ACCOUNT_HAS_OPEN_ITEMS: {
    kind: 'conflict',
    zh: '账号暂不能注销，请先处理：{openZh}',
    en: 'The account cannot be closed yet; first settle: {openEn}',
  },
});
