import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Daily rollup of the usage log per kind, branch, region and category, kept up to date by a trigger on
 * `usage_event` in the same transaction as each event. `shard` spreads one busy day's row over a few rows
 * so parallel transactions at one branch do not queue on it; readers sum over shards.
 * Unique (NULLS NOT DISTINCT) on every dimension with the shard: made by hand in the migration.
 */
@Entity('usage_daily')
@Index('usage_daily_key', { synchronize: false })
@Index('usage_daily_day_idx', ['day', 'kind'])
export class UsageDaily {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' })
  id: string;

  /** The day in the branch's time zone. */
  @Column({ type: 'date' })
  day: string;

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

  @Column({ type: 'smallint', default: 0 })
  shard: number;

  @Column({ type: 'bigint', default: 0, transformer: { to: (v: number) => v, from: (v: string) => Number(v) } })
  events: number;

  @Column({ type: 'bigint', default: 0, transformer: { to: (v: number) => v, from: (v: string) => Number(v) } })
  quantity: number;

  /** Sum of the `audience` attribute (people reached by delivered services). */
  @Column({ type: 'bigint', default: 0, transformer: { to: (v: number) => v, from: (v: string) => Number(v) } })
  audience: number;
}
