import { Check, Column, Entity, Index, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { numericAsNumber } from '@lib/db';
import { Branch } from '@lib/network';
import { Patron } from '@lib/accounts';

export const PAYMENT_METHODS = ['cash', 'online', 'sip2'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

/**
 * Money taken from a resident towards their fines, with its receipt. The receipt number is drawn from
 * the `payment_receipt_seq` sequence (R<year>-<6 digits>) and unique; how the money was split over the
 * fines is in the fine events of the payment.
 */
@Entity('payment')
@Check('payment_amount_check', `amount > 0`)
@Check('payment_method_check', `method IN ('cash', 'online', 'sip2')`)
export class Payment {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index('payment_receipt_number_key', { unique: true })
  @Column({ type: 'varchar', length: 20 })
  receiptNumber: string;

  @Index('payment_patron_id_idx')
  @Column({ type: 'uuid' })
  patronId: string;

  @ManyToOne(() => Patron, { onDelete: 'CASCADE' })
  patron?: Patron;

  @Column({ type: 'numeric', precision: 8, scale: 2, transformer: numericAsNumber })
  amount: number;

  @Column({ type: 'varchar', length: 8 })
  method: PaymentMethod;

  /** The online provider's reference for the charge (null for cash). */
  @Column({ type: 'varchar', length: 100, nullable: true })
  providerReference: string | null;

  /** The staff member (or kiosk) who took it; null when the resident paid online. */
  @Column({ type: 'uuid', nullable: true })
  staffId: string | null;

  @Column({ type: 'uuid', nullable: true })
  branchId: string | null;

  @ManyToOne(() => Branch, { onDelete: 'SET NULL' })
  branch?: Branch;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;
}

export const FINE_EVENT_KINDS = ['charged', 'paid', 'waived'] as const;
export type FineEventKind = (typeof FINE_EVENT_KINDS)[number];

/**
 * The audit trail of every fine: charged (written by a trigger on `fine` itself, so no charge escapes it),
 * paid (one per fine a payment reached) and waived. Append-only, enforced by triggers in the database.
 */
@Entity('fine_event')
@Check('fine_event_kind_check', `kind IN ('charged', 'paid', 'waived')`)
@Check('fine_event_amount_check', `amount > 0`)
@Index('fine_event_fine_idx', ['fineId', 'at'])
export class FineEvent {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column({ type: 'uuid' })
  fineId: string;

  @Index('fine_event_patron_idx')
  @Column({ type: 'uuid' })
  patronId: string;

  @Column({ type: 'varchar', length: 8 })
  kind: FineEventKind;

  @Column({ type: 'numeric', precision: 8, scale: 2, transformer: numericAsNumber })
  amount: number;

  @Column({ type: 'varchar', length: 200, nullable: true })
  reason: string | null;

  /** Who: a staff member's or resident's id (null: the system, as for a charge at check-in). */
  @Column({ type: 'uuid', nullable: true })
  actorId: string | null;

  @Column({ type: 'uuid', nullable: true })
  branchId: string | null;

  @Index('fine_event_payment_idx')
  @Column({ type: 'uuid', nullable: true })
  paymentId: string | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  at: Date;
}
