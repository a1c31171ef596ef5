import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const PATRON_CATEGORIES = ['adult', 'child', 'senior', 'disabled', 'student'] as const;
export type PatronCategory = (typeof PATRON_CATEGORIES)[number];

/**
 * A resident who holds the one card. Phone and ID number are personal data: stored encrypted,
 * with a keyed fingerprint (HMAC) for uniqueness and look-up, and only ever shown masked.
 */
@Entity('patron')
@Check('patron_category_check', `category IN ('adult', 'child', 'senior', 'disabled', 'student')`)
export class Patron {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 50 })
  name: string;

  /** NULL once the account is closed (the number may then register again). */
  @Index('patron_phone_fingerprint_key', { unique: true })
  @Column({ type: 'char', length: 64, nullable: true })
  phoneFingerprint: string | null;

  @Column({ type: 'text', nullable: true })
  phoneEncrypted: string | null;

  @Index('patron_id_number_fingerprint_key', { unique: true })
  @Column({ type: 'char', length: 64, nullable: true })
  idNumberFingerprint: string | null;

  @Column({ type: 'text', nullable: true })
  idNumberEncrypted: string | null;

  @Column({ type: 'varchar', length: 16, default: 'adult' })
  category: PatronCategory;

  @Column({ type: 'text' })
  passwordHash: string;

  /** Keep the list of returned loans; off by default, so closed loans are anonymised. */
  @Column({ type: 'boolean', default: false })
  keepLoanHistory: boolean;

  /** The resident closed the account: personal fields erased, cards ended; the row stays for fines and payments. */
  @Column({ type: 'timestamptz', nullable: true })
  closedAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
