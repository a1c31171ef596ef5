import { defineErrors } from '@lib/errors';

export const NetworkError = defineErrors({
  REGION_NOT_FOUND: { kind: 'not_found', zh: '区域不存在：{id}', en: 'Region {id} not found' },
  BRANCH_NOT_FOUND: { kind: 'not_found', zh: '场馆（分馆）不存在：{id}', en: 'Branch {id} not found' },
  REGION_CODE_TAKEN: { kind: 'conflict', zh: '区域编码已被使用：{code}', en: 'Region code {code} is already used' },
  BRANCH_CODE_TAKEN: { kind: 'conflict', zh: '场馆编码已被使用：{code}', en: 'Branch code {code} is already used' },
  REGION_PARENT_INVALID: { kind: 'invalid', zh: '上级区域不合适：{reason}', en: 'Invalid parent region: {reason}' },
  BRANCH_PARENT_INVALID: { kind: 'invalid', zh: '上级场馆不合适：{reason}', en: 'Invalid parent branch: {reason}' },
  OPENING_HOURS_INVALID: { kind: 'invalid', zh: '开放时间有误：{problems}', en: 'Invalid opening hours: {problems}' },
  WEEK_INVALID: { kind: 'invalid', zh: '周次格式应为 YYYY-Www：{week}', en: 'Week must look like YYYY-Www: {week}' },
  DATE_INVALID: { kind: 'invalid', zh: '日期无效：{value}', en: 'Invalid date: {value}' },
  TIME_ZONE_INVALID: { kind: 'invalid', zh: '时区无效：{timeZone}', en: 'Unknown time zone: {timeZone}' },
});
