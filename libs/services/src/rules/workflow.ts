import type { ActivityCategory } from '@lib/booking';
import type { ServiceCategory, ServiceItemStatus } from '../entities/service-item.entity';
import type { OrderStatus } from '../entities/service-order.entity';

export const ORDER_ACTIONS = ['accept', 'decline', 'schedule', 'deliver', 'evaluate', 'cancel'] as const;
export type OrderAction = (typeof ORDER_ACTIONS)[number];

/** From which states each action may move an order, and where it goes. */
const ORDER_TRANSITIONS: Record<OrderAction, { from: readonly OrderStatus[]; to: OrderStatus }> = {
  accept: { from: ['submitted'], to: 'accepted' },
  decline: { from: ['submitted'], to: 'declined' },
  schedule: { from: ['accepted', 'scheduled'], to: 'scheduled' },
  deliver: { from: ['scheduled'], to: 'delivered' },
  evaluate: { from: ['delivered'], to: 'evaluated' },
  cancel: { from: ['submitted', 'accepted', 'scheduled'], to: 'cancelled' },
};

/** The state an action leads to, or null when the action is not allowed from `current`. */
export function nextOrderStatus(current: OrderStatus, action: OrderAction): OrderStatus | null {
  const transition = ORDER_TRANSITIONS[action];
  return transition.from.includes(current) ? transition.to : null;
}

/** Orders in these states use a delivery of the item's monthly capacity. */
export const CAPACITY_USING_STATUSES: readonly OrderStatus[] = ['submitted', 'accepted', 'scheduled', 'delivered', 'evaluated'];

export const ITEM_ACTIONS = ['publish', 'pause', 'retire', 'edit'] as const;
export type ItemAction = (typeof ITEM_ACTIONS)[number];

const ITEM_TRANSITIONS: Record<ItemAction, { from: readonly ServiceItemStatus[]; to: ServiceItemStatus | null }> = {
  publish: { from: ['draft', 'paused'], to: 'published' },
  pause: { from: ['published'], to: 'paused' },
  retire: { from: ['draft', 'published', 'paused'], to: 'retired' },
  // A retired item keeps its history as it was.
  edit: { from: ['draft', 'published', 'paused'], to: null },
};

/** The item's state after the action (unchanged for edit), or undefined when not allowed. */
export function nextItemStatus(current: ServiceItemStatus, action: ItemAction): ServiceItemStatus | undefined {
  const transition = ITEM_TRANSITIONS[action];
  if (!transition.from.includes(current)) return undefined;
  return transition.to ?? current;
}

/** Menu categories that become a public activity residents register for once scheduled. */
export const PUBLIC_ACTIVITY_CATEGORY: Partial<Record<ServiceCategory, ActivityCategory>> = {
  performance: 'performance',
  lecture: 'lecture',
  exhibition: 'exhibition',
  film_screening: 'film_screening',
  training: 'training',
  reading_promotion: 'reading_event',
};
