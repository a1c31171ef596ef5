import { Check, Column, CreateDateColumn, Entity, Index, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { Item } from '@lib/catalog';
import { Branch } from '@lib/network';

/**
 * A stocktaking (盘点) of one shelf range of a branch: the copies whose call number falls within
 * [callNumberFrom, callNumberTo] (Chinese Library Classification order, either end open) and, when given,
 * whose shelving location is this one. `scanCount` is the last scan's `seq`: taking the next numbers
 * updates this row, which serialises parallel scanners of one session so no scan is lost or renumbered.
 */
@Entity('inventory_session')
@Check('inventory_session_range_check', `call_number_from IS NOT NULL OR call_number_to IS NOT NULL OR shelving_location IS NOT NULL`)
@Index('inventory_session_branch_idx', ['branchId', 'startedAt'])
export class InventorySession {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  branchId: string;

  @ManyToOne(() => Branch, { onDelete: 'RESTRICT' })
  branch?: Branch;

  @Column({ type: 'varchar', length: 64, nullable: true })
  callNumberFrom: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  callNumberTo: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  shelvingLocation: string | null;

  /** The staff member who started it (null once their account is gone). */
  @Column({ type: 'uuid', nullable: true })
  startedBy: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  startedAt: Date;

  @Column({ type: 'integer', default: 0 })
  scanCount: number;

  /** When the unscanned copies were last marked missing. */
  @Column({ type: 'timestamptz', nullable: true })
  missingMarkedAt: Date | null;
}

/** One barcode as the scanner read it, in scan order. `found`: the scan brought a missing copy back. */
@Entity('inventory_scan')
@Index('inventory_scan_seq_key', ['sessionId', 'seq'], { unique: true })
@Index('inventory_scan_barcode_idx', ['sessionId', 'barcode'])
@Check('inventory_scan_seq_check', `seq > 0`)
export class InventoryScan {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  sessionId: string;

  @ManyToOne(() => InventorySession, { onDelete: 'CASCADE' })
  session?: InventorySession;

  @Column({ type: 'integer' })
  seq: number;

  @Column({ type: 'varchar', length: 32 })
  barcode: string;

  @CreateDateColumn({ type: 'timestamptz' })
  scannedAt: Date;

  @Column({ type: 'boolean', default: false })
  found: boolean;
}

/** A copy this session marked missing: once per session and copy (the primary key). */
@Entity('inventory_missing')
export class InventoryMissing {
  @PrimaryColumn({ type: 'uuid' })
  sessionId: string;

  @ManyToOne(() => InventorySession, { onDelete: 'CASCADE' })
  session?: InventorySession;

  @PrimaryColumn({ type: 'uuid' })
  itemId: string;

  @ManyToOne(() => Item, { onDelete: 'CASCADE' })
  item?: Item;

  @CreateDateColumn({ type: 'timestamptz' })
  markedAt: Date;
}
