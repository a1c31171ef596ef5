import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type SubjectKind = 'patron' | 'staff';

/**
 * A login session (one refresh-token family). Each refresh rotates the token: the old hash is kept
 * as `previousTokenHash` so a replay of a used token is recognised and ends the whole session.
 */
@Entity('auth_session')
@Check('auth_session_subject_kind_check', `subject_kind IN ('patron', 'staff')`)
export class AuthSession {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 8 })
  subjectKind: SubjectKind;

  @Index('auth_session_subject_idx')
  @Column({ type: 'uuid' })
  subjectId: string;

  @Index('auth_session_token_hash_key', { unique: true })
  @Column({ type: 'char', length: 64 })
  tokenHash: string;

  @Index('auth_session_previous_token_hash_idx')
  @Column({ type: 'char', length: 64, nullable: true })
  previousTokenHash: string | null;

  @Column({ type: 'timestamptz' })
  expiresAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  revokedReason: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  rotatedAt: Date;
}

/** Failed logins per login name: slows down and then locks repeated guessing, across instances. */
@Entity('login_throttle')
export class LoginThrottle {
  /** HMAC of the normalised login name, so the table holds no phone numbers. */
  @Column({ type: 'char', length: 64, primary: true })
  loginKey: string;

  @Column({ type: 'integer', default: 0 })
  failures: number;

  /** Attempts whose password check is under way; with `failures` they may not exceed the limit. */
  @Column({ type: 'integer', default: 0 })
  pending: number;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  lastAttemptAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  lockedUntil: Date | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  lastFailureAt: Date;
}
