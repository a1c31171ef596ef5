import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { BibRecord, Item } from '@lib/catalog';
import { Branch, MobileStop } from '@lib/network';
import { Patron } from '@lib/accounts';

export const HOLD_STATUSES = ['waiting', 'in_transit', 'ready', 'fulfilled', 'cancelled', 'expired'] as const;
export type HoldStatus = (typeof HOLD_STATUSES)[number];

/**
 * 预约: a resident waits for a title (any copy) or one copy, to pick up at a branch they chose.
 * The queue is first come, first served per title. A copy serves one hold at a time (unique index on
 * the trapped copy), and a resident holds a title once.
 */
@Entity('hold')
@Check('hold_status_check', `status IN ('waiting', 'in_transit', 'ready', 'fulfilled', 'cancelled', 'expired')`)
@Check('hold_trapped_check', `(trapped_item_id IS NOT NULL) = (status IN ('in_transit', 'ready'))`)
@Index('hold_one_trap_per_item_key', ['trappedItemId'], { unique: true, where: `status IN ('in_transit', 'ready')` })
@Index('hold_one_per_patron_and_title_key', ['patronId', 'recordId'], {
  unique: true,
  where: `status IN ('waiting', 'in_transit', 'ready')`,
})
@Index('hold_queue_idx', ['recordId', 'placedAt'], { where: `status = 'waiting'` })
export class Hold {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  patronId: string;

  @ManyToOne(() => Patron, { onDelete: 'CASCADE' })
  patron?: Patron;

  @Column({ type: 'uuid' })
  recordId: string;

  @ManyToOne(() => BibRecord, { onDelete: 'CASCADE' })
  record?: BibRecord;

  /** Set for a copy-level hold. */
  @Column({ type: 'uuid', nullable: true })
  itemId: string | null;

  @ManyToOne(() => Item, { onDelete: 'CASCADE' })
  item?: Item;

  @Column({ type: 'uuid' })
  pickupBranchId: string;

  @ManyToOne(() => Branch, { onDelete: 'RESTRICT' })
  pickupBranch?: Branch;

  /**
   * A stop of the mobile library to pick up at (the pickup branch is then the mobile library): the
   * foreign key on (stop, branch) keeps the two in agreement, so routing by branch stays right.
   */
  @Index('hold_pickup_stop_idx', { where: `pickup_stop_id IS NOT NULL` })
  @Column({ type: 'uuid', nullable: true })
  pickupStopId: string | null;

  @ManyToOne(() => MobileStop, { onDelete: 'RESTRICT' })
  @JoinColumn([
    { name: 'pickup_stop_id', referencedColumnName: 'id' },
    { name: 'pickup_branch_id', referencedColumnName: 'branchId' },
  ])
  pickupStop?: MobileStop;

  @Column({ type: 'varchar', length: 12, default: 'waiting' })
  status: HoldStatus;

  @Column({ type: 'timestamptz', default: () => 'clock_timestamp()' })
  placedAt: Date;

  @Column({ type: 'uuid', nullable: true })
  trappedItemId: string | null;

  @ManyToOne(() => Item, { onDelete: 'SET NULL' })
  trappedItem?: Item;

  @Column({ type: 'timestamptz', nullable: true })
  readyAt: Date | null;

  /** The end of the last day it waits on the hold shelf. */
  @Column({ type: 'timestamptz', nullable: true })
  expiresAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  closedAt: Date | null;
}
