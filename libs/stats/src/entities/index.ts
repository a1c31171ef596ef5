import { UsageEvent } from './usage-event.entity';
import { UsageDaily } from './usage-daily.entity';

export { UsageEvent, UsageDaily };
export const STATS_ENTITIES = [UsageEvent, UsageDaily];
