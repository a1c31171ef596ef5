import { Check, Column, Entity, Index, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { numericAsNumber } from '@lib/db';
import { Item } from '@lib/catalog';
import { Branch } from '@lib/network';
import { Patron } from '@lib/accounts';

export const LOAN_STATUSES = ['open', 'claims_returned', 'returned', 'lost'] as const;
export type LoanStatus = (typeof LOAN_STATUSES)[number];

/**
 * A checkout. While `closedAt` is null the loan is open, and a partial unique index allows one open
 * loan per item: the database, not the code, guarantees a copy is never lent twice. A closed loan
 * of a resident who did not opt into history loses its patron id; the category stays for statistics.
 */
@Entity('loan')
@Index('loan_one_open_per_item_key', ['itemId'], { unique: true, where: 'closed_at IS NULL' })
@Index('loan_open_by_patron_idx', ['patronId'], { where: 'closed_at IS NULL' })
@Check('loan_status_check', `status IN ('open', 'claims_returned', 'returned', 'lost')`)
@Check('loan_closed_check', `(closed_at IS NULL) = (status IN ('open', 'claims_returned'))`)
export class Loan {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  itemId: string;

  @ManyToOne(() => Item, { onDelete: 'RESTRICT' })
  item?: Item;

  @Column({ type: 'uuid', nullable: true })
  patronId: string | null;

  @ManyToOne(() => Patron, { onDelete: 'SET NULL' })
  patron?: Patron;

  @Column({ type: 'varchar', length: 16 })
  patronCategory: string;

  @Column({ type: 'varchar', length: 16 })
  itemType: string;

  @Column({ type: 'uuid' })
  checkoutBranchId: string;

  @ManyToOne(() => Branch, { onDelete: 'RESTRICT' })
  checkoutBranch?: Branch;

  @Column({ type: 'uuid', nullable: true })
  checkinBranchId: string | null;

  @ManyToOne(() => Branch, { onDelete: 'RESTRICT' })
  checkinBranch?: Branch;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  checkedOutAt: Date;

  @Index('loan_due_at_idx')
  @Column({ type: 'timestamptz' })
  dueAt: Date;

  @Column({ type: 'smallint', default: 0 })
  renewals: number;

  @Column({ type: 'varchar', length: 16, default: 'open' })
  status: LoanStatus;

  @Column({ type: 'timestamptz', nullable: true })
  closedAt: Date | null;
}

/**
 * Money a resident owes (overdue fines); the public library default is none. What is owed of it is
 * `amount - paid - waived`; the check keeps a fine from ever being settled past its amount, whatever
 * races. `paidAt` is set when nothing is left owing (then it no longer counts towards blocks).
 */
@Entity('fine')
@Check('fine_amount_check', `amount > 0`)
@Check('fine_settled_check', `paid >= 0 AND waived >= 0 AND paid + waived <= amount`)
export class Fine {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index('fine_patron_id_idx')
  @Column({ type: 'uuid' })
  patronId: string;

  @ManyToOne(() => Patron, { onDelete: 'CASCADE' })
  patron?: Patron;

  @Column({ type: 'uuid', nullable: true })
  loanId: string | null;

  @ManyToOne(() => Loan, { onDelete: 'SET NULL' })
  loan?: Loan;

  @Column({ type: 'numeric', precision: 8, scale: 2, transformer: numericAsNumber })
  amount: number;

  @Column({ type: 'varchar', length: 32 })
  reason: string;

  @Column({ type: 'numeric', precision: 8, scale: 2, default: 0, transformer: numericAsNumber })
  paid: number;

  @Column({ type: 'numeric', precision: 8, scale: 2, default: 0, transformer: numericAsNumber })
  waived: number;

  /** The branch that charged it (null for fines from before this was kept). */
  @Column({ type: 'uuid', nullable: true })
  branchId: string | null;

  @ManyToOne(() => Branch, { onDelete: 'SET NULL' })
  branch?: Branch;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  /** When the fine was settled in full (paid and waived); null while something is owed. */
  @Column({ type: 'timestamptz', nullable: true })
  paidAt: Date | null;
}
