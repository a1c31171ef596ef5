import { UsageEvent } from './usage-event.entity';
import { UsageDaily, UsageMonthly } from './usage-daily.entity';

export { UsageEvent, UsageDaily, UsageMonthly };
export const STATS_ENTITIES = [UsageEvent, UsageDaily, UsageMonthly];
