import { defineErrors } from '@lib/errors';

export const AccountError = defineErrors({
  PHONE_TAKEN: { kind: 'conflict', zh: '该手机号已注册', en: 'This phone number is already registered' },
  ID_NUMBER_TAKEN: { kind: 'conflict', zh: '该身份证号已注册', en: 'This ID number is already registered' },
  USERNAME_TAKEN: { kind: 'conflict', zh: '用户名已被使用：{username}', en: 'Username {username} is already taken' },
  PATRON_NOT_FOUND: { kind: 'not_found', zh: '读者不存在', en: 'Patron not found' },
  STAFF_NOT_FOUND: { kind: 'not_found', zh: '工作人员账号不存在', en: 'Staff account not found' },
  CARD_NOT_FOUND: { kind: 'not_found', zh: '读者证不存在：{number}', en: 'Card {number} not found' },
  CARD_LOST: {
    kind: 'conflict',
    zh: '该读者证已挂失，请使用新证号或手机号',
    en: 'This card was reported lost; use the new card number or the phone number',
  },
  CARD_STATUS_INVALID: {
    kind: 'conflict',
    zh: '读者证当前状态为 {status}，不能改为 {target}',
    en: 'The card is {status} and cannot become {target}',
  },
  ACCOUNT_CLOSED: { kind: 'conflict', zh: '该账号已注销', en: 'This account has been closed' },
  PASSWORD_WRONG: { kind: 'invalid', zh: '密码不正确', en: 'The password is not correct' },
  STAFF_SCOPE_INVALID: { kind: 'invalid', zh: '工作人员的服务范围有误：{reason}', en: 'Invalid staff scope: {reason}' },
});
