import { Column, Entity, ManyToOne, PrimaryColumn } from 'typeorm';
import { Item } from '@lib/catalog';

/**
 * 取书单: a copy that a hold trapped while it stood on an open shelf. The system already counts it as
 * set aside (on the hold shelf, or in transit to the pickup branch), but nobody has taken it off the
 * shelf yet: the branch it stands at (the copy's current branch) pulls it. The row goes when the copy
 * is next scanned (check-in, transit receipt, checkout). One row per copy (the key), and a copy serves
 * one hold at a time (hold_one_trap_per_item_key), so no hold is pulled twice.
 */
@Entity('copy_to_pull')
export class CopyToPull {
  @PrimaryColumn({ type: 'uuid' })
  itemId: string;

  @ManyToOne(() => Item, { onDelete: 'CASCADE' })
  item?: Item;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  markedAt: Date;
}
