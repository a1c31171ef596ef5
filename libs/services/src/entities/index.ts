import { ServiceItem } from './service-item.entity';
import { ServiceOrder, ServiceOrderEvent, ServiceOrderServed, ServiceRating } from './service-order.entity';
import { Demand, DemandVote } from './demand.entity';

export * from './service-item.entity';
export * from './service-order.entity';
export { Demand, DemandVote, DEMAND_STATUSES, DEMAND_ANSWERS } from './demand.entity';
export type { DemandStatus, DemandAnswer } from './demand.entity';
export const SERVICES_ENTITIES = [ServiceItem, ServiceOrder, ServiceOrderEvent, ServiceOrderServed, ServiceRating, Demand, DemandVote];
