import { Check, Column, CreateDateColumn, Entity, Index, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Patron } from './patron.entity';

export const CARD_STATUSES = ['active', 'suspended', 'lost', 'closed'] as const;
export type CardStatus = (typeof CARD_STATUSES)[number];

/**
 * 一卡通: one reader card, valid at every branch. A lost card stays as history and is refused;
 * its replacement has a new number; closing the account ends the card in use as `closed`. At most one card per patron is in use (active or suspended).
 */
@Entity('card')
@Check('card_status_check', `status IN ('active', 'suspended', 'lost', 'closed')`)
@Index('card_one_in_use_per_patron_key', ['patronId'], { unique: true, where: `status IN ('active', 'suspended')` })
export class Card {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index('card_patron_id_idx')
  @Column({ type: 'uuid' })
  patronId: string;

  @ManyToOne(() => Patron, { onDelete: 'RESTRICT' })
  patron?: Patron;

  @Index('card_number_key', { unique: true })
  @Column({ type: 'varchar', length: 20 })
  number: string;

  @Column({ type: 'varchar', length: 12, default: 'active' })
  status: CardStatus;

  @Column({ type: 'varchar', length: 200, nullable: true })
  statusReason: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  issuedAt: Date;

  /** When the card stopped being usable for good (reported lost, or the account closed). */
  @Column({ type: 'timestamptz', nullable: true })
  endedAt: Date | null;

  @Column({ type: 'uuid', nullable: true })
  replacedById: string | null;
}
