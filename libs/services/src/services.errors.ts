import { defineErrors } from '@lib/errors';

// Codes in messages are read as words: "订单当前为「已配送」，不能受理", not "订单当前为 delivered，不能accept".
const ITEM_STATUS_WORDS = {
  draft: { zh: '草稿', en: 'a draft' },
  published: { zh: '已上架', en: 'published' },
  paused: { zh: '已暂停', en: 'paused' },
  retired: { zh: '已下架', en: 'retired' },
};
const ITEM_ACTION_WORDS = {
  edit: { zh: '修改', en: 'edit it' },
  publish: { zh: '上架', en: 'publish it' },
  pause: { zh: '暂停', en: 'pause it' },
  retire: { zh: '下架', en: 'retire it' },
};
const ORDER_STATUS_WORDS = {
  submitted: { zh: '待受理', en: 'submitted' },
  accepted: { zh: '已受理', en: 'accepted' },
  declined: { zh: '已拒绝', en: 'declined' },
  scheduled: { zh: '已排期', en: 'scheduled' },
  delivered: { zh: '已配送', en: 'delivered' },
  evaluated: { zh: '已评价', en: 'rated' },
  cancelled: { zh: '已取消', en: 'cancelled' },
};
const ORDER_ACTION_WORDS = {
  accept: { zh: '受理', en: 'accept it' },
  decline: { zh: '拒绝', en: 'decline it' },
  schedule: { zh: '排期', en: 'schedule it' },
  deliver: { zh: '登记配送', en: 'record its delivery' },
  evaluate: { zh: '评价', en: 'rate it' },
  cancel: { zh: '取消', en: 'cancel it' },
  confirm: { zh: '确认送达', en: 'confirm its delivery' },
  rate: { zh: '评价', en: 'rate it' },
};

export const ServicesError = defineErrors({
  ITEM_NOT_FOUND: { kind: 'not_found', zh: '服务项目不存在：{id}', en: 'Service item {id} not found' },
  ITEM_STATE_INVALID: {
    kind: 'conflict',
    zh: '该服务项目当前为「{status}」，不能{action}',
    en: 'The service item is {status}; cannot {action}',
    labels: { status: ITEM_STATUS_WORDS, action: ITEM_ACTION_WORDS },
  },
  ITEM_NOT_ORDERABLE: {
    kind: 'conflict',
    zh: '该服务项目当前为「{status}」，不接受点单',
    en: 'The service item is {status} and takes no orders',
    labels: { status: ITEM_STATUS_WORDS },
  },
  ITEM_NOT_SERVING_REGION: { kind: 'invalid', zh: '该服务项目不面向所选地区', en: 'The service item does not serve that region' },
  ITEM_NOT_YOURS: { kind: 'forbidden', zh: '只能管理本单位的服务项目和订单', en: 'You may only manage your own service items and their orders' },
  MONTH_FULL: {
    kind: 'conflict',
    zh: '{month} 的配送能力已满（每月 {capacity} 场）',
    en: 'No deliveries left in {month} ({capacity} a month)',
  },
  ORDER_NOT_FOUND: { kind: 'not_found', zh: '订单不存在：{id}', en: 'Order {id} not found' },
  ORDER_NOT_STARTED: { kind: 'conflict', zh: '服务尚未开始（{startsAt}），不能登记完成', en: 'The service has not started yet ({startsAt}); it cannot be recorded as delivered' },
  // When is in details.confirmedAt (an instant); the message need not spell a UTC time to a person.
  ORDER_ALREADY_CONFIRMED: { kind: 'conflict', zh: '该订单已确认送达', en: 'Delivery of this order was already confirmed' },
  ORDER_STATE_INVALID: {
    kind: 'conflict',
    zh: '订单当前为「{status}」，不能{action}',
    en: 'The order is {status}; cannot {action}',
    labels: { status: ORDER_STATUS_WORDS, action: ORDER_ACTION_WORDS },
  },
  REGION_NOT_YOURS: { kind: 'forbidden', zh: '只能为自己负责的地区点单', en: 'You may only order for the regions you serve' },
  ORDER_NOT_YOURS: { kind: 'forbidden', zh: '只有点单的社区一方才能确认送达或评价', en: 'Only the community side of the order may confirm its delivery or rate it' },
  RATING_NOT_ALLOWED: { kind: 'forbidden', zh: '只有参加了该场服务的居民才能评价', en: 'Only residents who attended the service may rate it' },
  ALREADY_RATED: { kind: 'conflict', zh: '您已评价过该服务', en: 'You have already rated this service' },
  DEMAND_NOT_FOUND: { kind: 'not_found', zh: '需求不存在：{id}', en: 'Demand {id} not found' },
  ALREADY_VOTED: { kind: 'conflict', zh: '您已为该需求投过票', en: 'You have already voted for this demand' },
  DEMAND_ANSWERED: {
    kind: 'conflict',
    zh: '该需求已答复（{status}）',
    en: 'The demand has been answered ({status})',
    labels: {
      status: {
        planned: { zh: '已纳入计划', en: 'planned' },
        added_to_menu: { zh: '已上菜单', en: 'added to the menu' },
        declined: { zh: '暂不安排', en: 'declined' },
      },
    },
  },
});
