import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const PERSONAL_DATA_OPERATIONS = ['read', 'change'] as const;
export type PersonalDataOperation = (typeof PERSONAL_DATA_OPERATIONS)[number];

/**
 * One staff read or change of a resident's personal data (PIPL): who, when, what (the action and the
 * fields), from where (client address as the API sees it, honouring TRUST_PROXY, and the user agent).
 * Append-only: a trigger refuses UPDATE, TRUNCATE and every DELETE but the retention purge's.
 */
@Entity('personal_data_access')
@Check('personal_data_access_operation_check', `operation IN ('read', 'change')`)
@Index('personal_data_access_patron_at_idx', ['patronId', 'at'])
@Index('personal_data_access_staff_at_idx', ['staffId', 'at'])
export class PersonalDataAccess {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_personal_data_access' })
  id: string;

  @Index('personal_data_access_at_idx')
  @CreateDateColumn({ type: 'timestamptz' })
  at: Date;

  @Column({ type: 'uuid' })
  staffId: string;

  @Column({ type: 'uuid' })
  patronId: string;

  @Column({ type: 'varchar', length: 8 })
  operation: PersonalDataOperation;

  /** What was done, e.g. `card.lookup`, `card.reissue`. */
  @Column({ type: 'varchar', length: 40 })
  action: string;

  /** The personal fields shown or changed. */
  @Column({ type: 'text', array: true })
  fields: string[];

  @Column({ type: 'varchar', length: 64, nullable: true })
  ip: string | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  userAgent: string | null;
}
