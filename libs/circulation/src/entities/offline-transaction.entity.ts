import { Check, Column, Entity, Index, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Branch } from '@lib/network';
import { Loan } from './loan.entity';

export const OFFLINE_TRANSACTION_TYPES = ['checkout', 'checkin'] as const;
export type OfflineTransactionType = (typeof OFFLINE_TRANSACTION_TYPES)[number];
export type OfflineOutcome = 'applied' | 'conflict';

/**
 * A checkout or check-in a desk recorded while offline and uploaded later. The client's id is unique:
 * an upload retried after a dropped connection finds its transactions here and applies none twice.
 * A transaction the circulation rules refused is kept as a conflict until a librarian settles it.
 */
@Entity('offline_transaction')
@Index('offline_transaction_client_id_key', ['clientId'], { unique: true })
@Index('offline_transaction_open_conflict_idx', ['branchId', 'at'], { where: `outcome = 'conflict' AND settled_at IS NULL` })
@Check('offline_transaction_type_check', `type IN ('checkout', 'checkin')`)
@Check('offline_transaction_card_check', `(type = 'checkout') = (card_number IS NOT NULL)`)
@Check('offline_transaction_outcome_check', `(outcome = 'conflict') = (code IS NOT NULL)`)
@Check('offline_transaction_settled_check', `settled_at IS NULL OR outcome = 'conflict'`)
export class OfflineTransaction {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  clientId: string;

  @Column({ type: 'uuid' })
  branchId: string;

  @ManyToOne(() => Branch, { onDelete: 'RESTRICT' })
  branch?: Branch;

  @Column({ type: 'varchar', length: 16 })
  type: OfflineTransactionType;

  /** When the desk recorded it (the client's clock). */
  @Column({ type: 'timestamptz' })
  at: Date;

  @Column({ type: 'varchar', length: 32, nullable: true })
  cardNumber: string | null;

  @Column({ type: 'varchar', length: 32 })
  barcode: string;

  @Column({ type: 'varchar', length: 16 })
  outcome: OfflineOutcome;

  /** Why it was refused: the error code the circulation rules answered. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  code: string | null;

  @Column({ type: 'text', nullable: true })
  messageZh: string | null;

  @Column({ type: 'text', nullable: true })
  messageEn: string | null;

  @Column({ type: 'uuid', nullable: true })
  loanId: string | null;

  @ManyToOne(() => Loan, { onDelete: 'SET NULL' })
  loan?: Loan;

  @Column({ type: 'uuid', nullable: true })
  uploadedBy: string | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  uploadedAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  settledAt: Date | null;

  @Column({ type: 'uuid', nullable: true })
  settledBy: string | null;

  @Column({ type: 'text', nullable: true })
  settleNote: string | null;
}
