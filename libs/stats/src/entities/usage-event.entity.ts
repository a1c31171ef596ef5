import { Column, Entity, Exclusion, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * The append-only log every domain writes in the same transaction as the action it records.
 * No personal data: only where, when, what kind and anonymous categories.
 */
@Entity('usage_event')
@Index('usage_event_kind_time_idx', ['kind', 'occurredAt'])
@Index('usage_event_branch_time_idx', ['branchId', 'occurredAt'])
// The windowed rollup rebuild reads one or two days of every kind and branch.
@Index('usage_event_time_idx', ['occurredAt'])
// A door counter's intervals at one branch never overlap, so no one is counted twice (usage_interval() is made in the migration).
@Exclusion('usage_event_visit_no_overlap', `USING gist ("branch_id" WITH =, usage_interval("attributes") WITH &&) WHERE ("kind" = 'visit' AND "attributes" ? 'from')`)
export class UsageEvent {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column({ type: 'varchar', length: 32 })
  kind: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  occurredAt: Date;

  @Column({ type: 'uuid', nullable: true })
  branchId: string | null;

  @Column({ type: 'uuid', nullable: true })
  regionId: string | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  itemType: string | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  patronCategory: string | null;

  @Column({ type: 'integer', default: 1 })
  quantity: number;

  @Column({ type: 'jsonb', default: () => `'{}'` })
  attributes: Record<string, unknown>;
}
