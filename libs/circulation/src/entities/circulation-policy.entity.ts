import { Check, Column, Entity, Index, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { numericAsNumber } from '@lib/db';
import { Branch } from '@lib/network';


export const OVERDUE_DAY_COUNTS = ['open', 'calendar'] as const;
export type OverdueDays = (typeof OVERDUE_DAY_COUNTS)[number];

/**
 * One rule of the policy matrix: patron category × item type × branch, each null for "any".
 * The most specific matching rule wins (see policy-resolution.ts); the all-null row is the network default.
 */
@Entity('circulation_policy')
@Index('circulation_policy_scope_key', { synchronize: false }) // UNIQUE NULLS NOT DISTINCT, made in the migration
@Check('circulation_policy_limits_check', `loan_days > 0 AND max_loans >= 0 AND renewals_allowed >= 0 AND max_holds >= 0 AND hold_pickup_days > 0`)
@Check('circulation_policy_overdue_days_check', `overdue_days IN ('open', 'calendar')`)
@Check('circulation_policy_money_check', `fine_per_day >= 0 AND fine_cap >= 0 AND block_fines_over >= 0`)
export class CirculationPolicy {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 16, nullable: true })
  patronCategory: string | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  itemType: string | null;

  @Column({ type: 'uuid', nullable: true })
  branchId: string | null;

  @ManyToOne(() => Branch, { onDelete: 'CASCADE' })
  branch?: Branch;

  @Column({ type: 'smallint' })
  loanDays: number;

  @Column({ type: 'smallint' })
  maxLoans: number;

  @Column({ type: 'smallint' })
  renewalsAllowed: number;

  @Column({ type: 'boolean' })
  holdsAllowed: boolean;

  @Column({ type: 'smallint' })
  maxHolds: number;

  /** Open days a ready hold waits on the hold shelf. */
  @Column({ type: 'smallint' })
  holdPickupDays: number;

  @Column({ type: 'numeric', precision: 8, scale: 2, default: 0, transformer: numericAsNumber })
  finePerDay: number;

  @Column({ type: 'numeric', precision: 8, scale: 2, default: 0, transformer: numericAsNumber })
  fineCap: number;

  /** Unpaid fines above this block borrowing (0 with no fines means never). */
  @Column({ type: 'numeric', precision: 8, scale: 2, default: 0, transformer: numericAsNumber })
  blockFinesOver: number;

  /** This many overdue items block borrowing. */
  @Column({ type: 'smallint' })
  blockOverdueItems: number;

  /** How overdue days count for fines: the checkout branch's open days (closed days and holidays free), or every calendar day. */
  @Column({ type: 'varchar', length: 8, default: 'open' })
  overdueDays: OverdueDays;
}

/** Two branches whose returns float: an item of one returned at the other stays there. */
@Entity('floating_pair')
@Check('floating_pair_order_check', `branch_a_id < branch_b_id`)
export class FloatingPair {
  @Column({ type: 'uuid', primary: true })
  branchAId: string;

  @Column({ type: 'uuid', primary: true })
  branchBId: string;

  @ManyToOne(() => Branch, { onDelete: 'CASCADE' })
  branchA?: Branch;

  @ManyToOne(() => Branch, { onDelete: 'CASCADE' })
  branchB?: Branch;
}
