import { UsageEvent } from './entities/usage-event.entity';

export { UsageEvent } from './entities/usage-event.entity';
export { recordUsage, USAGE_KINDS } from './usage-log';
export type { UsageKind, UsageRecord } from './usage-log';
export const STATS_ENTITIES = [UsageEvent];
