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
  MOBILE_STOP_NOT_FOUND: { kind: 'not_found', zh: '流动站点不存在：{id}', en: 'Mobile library stop {id} not found' },
  MOBILE_STOP_BRANCH_INVALID: { kind: 'invalid', zh: '流动站点只能属于流动图书车（流动服务馆点）', en: 'Stops belong to a mobile library branch only' },
  MOBILE_STOP_REGION_INVALID: { kind: 'invalid', zh: '流动站点应服务一个社区或行政村', en: 'A stop serves a community or a village' },
  MOBILE_STOP_NOT_AT_BRANCH: { kind: 'invalid', zh: '该流动站点不属于本馆点：{stopId}', en: 'Stop {stopId} is not a stop of this branch' },
  MOBILE_STOP_IN_USE: { kind: 'conflict', zh: '该流动站点已有预约取书记录，不能删除', en: 'Holds name this stop for pickup; it cannot be deleted' },
  MOBILE_STOP_VISIT_OVERLAP: { kind: 'conflict', zh: '流动图书车在这段时间已安排了其他站点：{dates}', en: 'The van is already scheduled elsewhere then: {dates}' },
  MOBILE_STOP_VISIT_ORDER: { kind: 'invalid', zh: '结束时间应晚于开始时间', en: 'ends must be after starts' },
  MOBILE_STOP_VISIT_NOT_FOUND: { kind: 'not_found', zh: '流动站点的这次停靠不存在：{id}', en: 'Visit {id} not found' },
  TIME_ZONE_INVALID: { kind: 'invalid', zh: '时区无效：{timeZone}', en: 'Unknown time zone: {timeZone}' },
});
