import { defineErrors } from '@lib/errors';

export const IndicatorError = defineErrors({
  INDICATOR_NOT_FOUND: { kind: 'not_found', zh: '指标不存在：{code}', en: 'Indicator {code} not found' },
  PLAN_NOT_FOUND: { kind: 'not_found', zh: '指标方案不存在：{plan}', en: 'Indicator plan {plan} not found' },
  PLAN_CODE_TAKEN: { kind: 'conflict', zh: '方案编码已存在：{code}', en: 'Plan code {code} is taken' },
  TARGET_DUPLICATE: { kind: 'invalid', zh: '同一指标、年份和地区只能有一个目标：{indicator}', en: 'One target per indicator, year and region: {indicator}' },
});
