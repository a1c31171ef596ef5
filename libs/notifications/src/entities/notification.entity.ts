import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One message in a person's in-app inbox. Written in the same transaction as the event it reports. */
@Entity('notification')
@Check('notification_recipient_kind_check', `recipient_kind IN ('patron', 'staff')`)
@Index('notification_inbox_idx', ['recipientId', 'createdAt'])
export class Notification {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 8 })
  recipientKind: 'patron' | 'staff';

  @Column({ type: 'uuid' })
  recipientId: string;

  @Column({ type: 'varchar', length: 32 })
  kind: string;

  @Column({ type: 'jsonb', default: () => `'{}'` })
  payload: Record<string, unknown>;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  readAt: Date | null;
}
