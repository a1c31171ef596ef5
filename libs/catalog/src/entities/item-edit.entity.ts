import { Column, Entity, Index, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Item } from './item.entity';

/**
 * Who changed what on a copy by a bulk edit, and when: each changed field from and to. Written in the
 * edit's transaction, so the record and the change commit together. `editedBy` is the staff account
 * (kept when the account is removed, as venue_booking.decided_by is).
 */
@Entity('item_edit')
@Index('item_edit_item_idx', ['itemId', 'editedAt'])
export class ItemEdit {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  itemId: string;

  @ManyToOne(() => Item, { onDelete: 'CASCADE' })
  item?: Item;

  @Column({ type: 'uuid' })
  editedBy: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  editedAt: Date;

  @Column({ type: 'jsonb' })
  changes: Record<string, { from: string | null; to: string | null }>;
}
