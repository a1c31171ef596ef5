import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * The append-only log every domain writes in the same transaction as the action it records.
 * No personal data: only where, when, what kind and anonymous categories.
 */
@Entity('usage_event')
@Index('usage_event_kind_time_idx', ['kind', 'occurredAt'])
@Index('usage_event_branch_time_idx', ['branchId', 'occurredAt'])
// A door counter's interval is counted once: unique on (branch, from, to) of visit events, made by hand in the migration.
@Index('usage_event_visit_interval_key', { synchronize: false })
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
