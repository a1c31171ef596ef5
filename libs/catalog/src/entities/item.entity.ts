import { Check, Column, CreateDateColumn, Entity, Index, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { numericAsNumber } from '@lib/db';
import { Branch } from '@lib/network';
import { BibRecord } from './bib-record.entity';

export const ITEM_TYPES = ['book', 'periodical', 'audiovisual', 'children'] as const;
export type ItemType = (typeof ITEM_TYPES)[number];
export const ITEM_STATUSES = [
  'available',
  'on_loan',
  'in_transit',
  'on_hold_shelf',
  'lost',
  'missing',
  'claims_returned',
  'withdrawn',
] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];

/**
 * A copy. `homeBranchId` owns it (changed only by a bulk edit, which moves `circulatingBranchId` with it); `circulatingBranchId` is whose shelf it belongs to
 * now (it changes when the copy floats); `currentBranchId` is where it physically is (null while on loan).
 */
@Entity('item')
@Check('item_type_check', `item_type IN ('book', 'periodical', 'audiovisual', 'children')`)
@Check(
  'item_status_check',
  `status IN ('available', 'on_loan', 'in_transit', 'on_hold_shelf', 'lost', 'missing', 'claims_returned', 'withdrawn')`,
)
@Check('item_price_check', `price IS NULL OR price >= 0`)
export class Item {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index('item_record_id_idx')
  @Column({ type: 'uuid' })
  recordId: string;

  @ManyToOne(() => BibRecord, { onDelete: 'RESTRICT' })
  record?: BibRecord;

  @Index('item_barcode_key', { unique: true })
  @Column({ type: 'varchar', length: 32 })
  barcode: string;

  @Column({ type: 'uuid' })
  homeBranchId: string;

  @ManyToOne(() => Branch, { onDelete: 'RESTRICT' })
  homeBranch?: Branch;

  @Column({ type: 'uuid' })
  circulatingBranchId: string;

  @ManyToOne(() => Branch, { onDelete: 'RESTRICT' })
  circulatingBranch?: Branch;

  @Index('item_current_branch_id_idx')
  @Column({ type: 'uuid', nullable: true })
  currentBranchId: string | null;

  @ManyToOne(() => Branch, { onDelete: 'RESTRICT' })
  currentBranch?: Branch;

  @Column({ type: 'varchar', length: 16, default: 'book' })
  itemType: ItemType;

  @Column({ type: 'varchar', length: 16, default: 'available' })
  status: ItemStatus;

  @Column({ type: 'varchar', length: 64, nullable: true })
  shelvingLocation: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  callNumber: string | null;

  @Column({
    type: 'numeric',
    precision: 10,
    scale: 2,
    nullable: true,
    transformer: numericAsNumber,
  })
  price: number | null;

  /** Counts towards "new books per head" in the year it falls in. */
  @Column({ type: 'date', nullable: true })
  acquiredOn: string | null;

  /** Floats: stays at whichever branch it is returned to. */
  @Column({ type: 'boolean', default: false })
  floating: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
