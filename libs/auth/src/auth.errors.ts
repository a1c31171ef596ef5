import { defineErrors } from '@lib/errors';

export const AuthError = defineErrors({
  INVALID_CREDENTIALS: { kind: 'unauthenticated', zh: '账号或密码错误', en: 'Wrong login or password' },
  LOGIN_LOCKED: {
    kind: 'too_many_requests',
    zh: '登录失败次数过多，请在 {retryAfterSeconds} 秒后再试',
    en: 'Too many failed logins; try again in {retryAfterSeconds} seconds',
  },
  ACCOUNT_DISABLED: { kind: 'unauthenticated', zh: '账号已停用', en: 'This account is disabled' },
  TOKEN_INVALID: { kind: 'unauthenticated', zh: '登录已失效，请重新登录', en: 'Your session is invalid or expired; log in again' },
  REFRESH_INVALID: { kind: 'unauthenticated', zh: '刷新令牌无效或已过期', en: 'The refresh token is invalid or expired' },
  REFRESH_REUSED: {
    kind: 'unauthenticated',
    zh: '刷新令牌已被使用，为安全起见已注销该会话',
    en: 'The refresh token was already used; the session has been ended for safety',
  },
  CARD_QR_INVALID: { kind: 'invalid', zh: '读者证二维码无效', en: 'The card QR code is not valid' },
  CARD_QR_EXPIRED: { kind: 'invalid', zh: '读者证二维码已过期，请刷新', en: 'The card QR code has expired; refresh it' },
  NO_ROLES_DECLARED: {
    kind: 'forbidden',
    zh: '该接口未声明访问角色',
    en: 'This endpoint declares no roles, so nobody may call it',
  },
});
