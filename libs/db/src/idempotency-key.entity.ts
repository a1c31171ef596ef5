import { Column, CreateDateColumn, Entity, Index } from 'typeorm';

/**
 * The first answer to a creating request sent with an `Idempotency-Key`, so that a retry (after a
 * timeout, from any instance) gets the same answer instead of acting twice.
 */
@Entity('idempotency_key')
@Index('idempotency_key_expires_idx', ['expiresAt'])
export class IdempotencyKey {
  /** Caller, method, path and the client's key, hashed. */
  @Column({ type: 'char', length: 64, primary: true })
  scope: string;

  /** Hash of the request body: the same key with another body is refused. */
  @Column({ type: 'char', length: 64 })
  requestHash: string;

  /** Null while the first request is still being handled. */
  @Column({ type: 'smallint', nullable: true })
  status: number | null;

  @Column({ type: 'jsonb', nullable: true })
  body: unknown;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz' })
  expiresAt: Date;
}
