import { defineErrors } from './domain-error';

/** Errors any domain (or transport) may raise. Domain-specific ones live with their domain. */
export const CommonError = defineErrors({
  VALIDATION_FAILED: { kind: 'invalid', zh: '请求参数有误：{fields}', en: 'Invalid request: {fields}' },
  MALFORMED_JSON: { kind: 'invalid', zh: '请求体不是合法的 JSON', en: 'The request body is not valid JSON' },
  BODY_UNREADABLE: { kind: 'invalid', zh: '无法读取请求体（{reason}）', en: 'The request body could not be read ({reason})' },
  PAYLOAD_TOO_LARGE: { kind: 'too_large', zh: '请求体过大', en: 'The request body is too large' },
  NOT_FOUND: { kind: 'not_found', zh: '未找到请求的资源', en: 'The requested resource was not found' },
  UNAUTHENTICATED: { kind: 'unauthenticated', zh: '请先登录', en: 'Please log in' },
  FORBIDDEN: { kind: 'forbidden', zh: '没有执行此操作的权限', en: 'You are not allowed to do this' },
  BRANCH_FORBIDDEN: {
    kind: 'forbidden',
    zh: '您无权在该馆（{branchId}）办理此业务',
    en: 'You may not act at branch {branchId}',
  },
  IDEMPOTENCY_KEY_REUSED: {
    kind: 'conflict',
    zh: '该 Idempotency-Key 已用于另一个请求',
    en: 'This Idempotency-Key was used for a different request',
  },
  IDEMPOTENCY_IN_PROGRESS: {
    kind: 'conflict',
    zh: '相同的请求正在处理中，请稍后重试',
    en: 'The same request is still being handled; retry shortly',
  },
  RETRY: {
    kind: 'conflict',
    zh: '同时有其他操作在处理同一对象，请重试',
    en: 'Another action was changing the same thing at that moment; please retry',
  },
  CONFLICT: { kind: 'conflict', zh: '数据冲突，请刷新后重试', en: 'The data changed or already exists; refresh and retry' },
  REFERENCE_NOT_FOUND: {
    kind: 'invalid',
    zh: '引用的对象不存在：{field}',
    en: 'A referenced record does not exist: {field}',
  },
  SERVICE_UNAVAILABLE: { kind: 'unavailable', zh: '依赖的服务（{dependency}）暂不可用，请稍后再试', en: 'A service this needs ({dependency}) is unavailable; try again later' },
  DATABASE_UNAVAILABLE: {
    kind: 'unavailable',
    zh: '数据库暂时不可用，请求未被处理，请稍后重试',
    en: 'The database is unavailable for the moment; the request was not carried out, please retry shortly',
  },
  SHUTTING_DOWN: {
    kind: 'unavailable',
    zh: '服务正在重启，请求未被处理，请稍后重试',
    en: 'This server is shutting down; the request was not carried out, please retry',
  },
  TOO_MANY_REQUESTS: { kind: 'too_many_requests', zh: '请求过于频繁，请稍后再试', en: 'Too many requests; try again later' },
});
