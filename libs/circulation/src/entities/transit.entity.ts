import { Check, Column, Entity, Index, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Item } from '@lib/catalog';
import { Branch } from '@lib/network';
import { Hold } from './hold.entity';

/** An item on its way between branches: home after a return elsewhere, or to a hold's pickup branch. One open per item. */
@Entity('transit')
@Check('transit_reason_check', `reason IN ('return_home', 'hold')`)
@Check('transit_branches_check', `from_branch_id <> to_branch_id`)
@Index('transit_one_open_per_item_key', ['itemId'], { unique: true, where: 'received_at IS NULL AND cancelled_at IS NULL' })
@Index('transit_open_to_idx', ['toBranchId', 'sentAt'], { where: 'received_at IS NULL AND cancelled_at IS NULL' })
@Index('transit_open_from_idx', ['fromBranchId', 'sentAt'], { where: 'received_at IS NULL AND cancelled_at IS NULL' })
export class Transit {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  itemId: string;

  @ManyToOne(() => Item, { onDelete: 'CASCADE' })
  item?: Item;

  @Column({ type: 'uuid' })
  fromBranchId: string;

  @ManyToOne(() => Branch, { onDelete: 'RESTRICT' })
  fromBranch?: Branch;

  @Column({ type: 'uuid' })
  toBranchId: string;

  @ManyToOne(() => Branch, { onDelete: 'RESTRICT' })
  toBranch?: Branch;

  @Column({ type: 'varchar', length: 12 })
  reason: 'return_home' | 'hold';

  @Column({ type: 'uuid', nullable: true })
  holdId: string | null;

  @ManyToOne(() => Hold, { onDelete: 'SET NULL' })
  hold?: Hold;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  sentAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  receivedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  cancelledAt: Date | null;
}
