import { Check, Column, CreateDateColumn, Entity, Index, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Branch, OpeningInterval } from '@lib/network';

export const VENUE_KINDS = ['room', 'hall', 'court', 'e_reading_room', 'outdoor_square'] as const;
export type VenueKind = (typeof VENUE_KINDS)[number];
export const BOOKER_KINDS = ['resident', 'team', 'organisation'] as const;

/** 场馆: a bookable room, hall, court, e-reading room or square of a branch. */
@Entity('venue')
@Check('venue_kind_check', `kind IN ('room', 'hall', 'court', 'e_reading_room', 'outdoor_square')`)
@Check('venue_limits_check', `capacity > 0 AND slot_minutes > 0 AND min_minutes > 0 AND max_minutes >= min_minutes AND max_days_ahead >= 0 AND max_upcoming_per_person >= 0`)
export class Venue {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index('venue_branch_id_idx')
  @Column({ type: 'uuid' })
  branchId: string;

  @ManyToOne(() => Branch, { onDelete: 'RESTRICT' })
  branch?: Branch;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ type: 'varchar', length: 20 })
  kind: VenueKind;

  @Column({ type: 'integer' })
  capacity: number;

  @Column({ type: 'text', array: true, default: () => `'{}'` })
  amenities: string[];

  @Column({ type: 'text', nullable: true })
  accessibility: string | null;

  /** Weekly bookable hours when they differ from the branch's opening hours; null: the branch calendar. */
  @Column({ type: 'jsonb', nullable: true })
  bookableHours: Array<OpeningInterval & { weekday: number }> | null;

  @Column({ type: 'smallint', default: 30 })
  slotMinutes: number;

  @Column({ type: 'smallint', default: 30 })
  minMinutes: number;

  @Column({ type: 'smallint', default: 240 })
  maxMinutes: number;

  @Column({ type: 'smallint', default: 14 })
  maxDaysAhead: number;

  @Column({ type: 'boolean', default: false })
  requiresApproval: boolean;

  @Column({ type: 'text', array: true, default: () => `'{resident}'` })
  whoMayBook: string[];

  @Column({ type: 'smallint', default: 2 })
  maxUpcomingPerPerson: number;

  /** Hours before the start after which a cancellation counts as a no-show. */
  @Column({ type: 'smallint', default: 2 })
  cancelDeadlineHours: number;

  @Column({ type: 'boolean', default: true })
  active: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
