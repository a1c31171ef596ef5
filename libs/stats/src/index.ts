export { UsageEvent, UsageDaily, UsageMonthly, STATS_ENTITIES } from './entities';
export { recordUsage, usageInsert, USAGE_KINDS } from './usage-log';
export type { UsageKind, UsageRecord } from './usage-log';
export { StatsModule } from './stats.module';
export { StatsService } from './services/stats.service';
export { StatsError } from './stats.errors';
export * from './dto/usage.dto';
export { REBUILD_ROLLUPS_SQL } from './rollup-sql';
