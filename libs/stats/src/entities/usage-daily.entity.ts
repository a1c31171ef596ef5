import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

const bigintAsNumber = { to: (v: number) => v, from: (v: string) => Number(v) };

/** What the daily and monthly rollups share: the dimensions of an event and the sums over them. */
abstract class UsageRollup {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' })
  id: string;

  @Column({ type: 'varchar', length: 32 })
  kind: string;

  @Column({ type: 'uuid', nullable: true })
  branchId: string | null;

  @Column({ type: 'uuid', nullable: true })
  regionId: string | null;

  /** The event's category attribute, else its item type, else ''. */
  @Column({ type: 'varchar', length: 32, default: '' })
  category: string;

  /** For delivered services: the provider's kind (library, cultural_centre, organisation). */
  @Column({ type: 'varchar', length: 32, default: '' })
  providerKind: string;

  /** Spreads one busy key over a few rows so parallel transactions do not queue on it; readers sum over shards. */
  @Column({ type: 'smallint', default: 0 })
  shard: number;

  @Column({ type: 'bigint', default: 0, transformer: bigintAsNumber })
  events: number;

  @Column({ type: 'bigint', default: 0, transformer: bigintAsNumber })
  quantity: number;

  /** Sum of the `audience` attribute (people reached by delivered services). */
  @Column({ type: 'bigint', default: 0, transformer: bigintAsNumber })
  audience: number;
}

/**
 * Daily rollup of the usage log, kept up to date by a trigger on `usage_event` in the same transaction
 * as each event. Unique (NULLS NOT DISTINCT) on every dimension with the shard: made by hand in the migration.
 */
@Entity('usage_daily')
@Index('usage_daily_key', { synchronize: false })
@Index('usage_daily_day_idx', ['day', 'kind'])
export class UsageDaily extends UsageRollup {
  /** The day in the branch's time zone. */
  @Column({ type: 'date' })
  day: string;
}

/**
 * The same figures per month (kept by the same trigger): the indicator report reads these, so its cost
 * depends on branches × kinds × months, not on how many events there were.
 */
@Entity('usage_monthly')
@Index('usage_monthly_key', { synchronize: false })
@Index('usage_monthly_month_idx', ['month', 'kind'])
export class UsageMonthly extends UsageRollup {
  /** First day of the month (in the branch's time zone). */
  @Column({ type: 'date' })
  month: string;
}
