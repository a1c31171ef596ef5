import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Region } from '@lib/network';
import { Patron, Staff } from '@lib/accounts';
import { ServiceItem } from './service-item.entity';

export const ORDER_STATUSES = ['submitted', 'accepted', 'declined', 'scheduled', 'delivered', 'evaluated', 'cancelled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** 点单: a community orders a menu item; it moves submitted → accepted → scheduled → delivered → evaluated. */
@Entity('service_order')
@Check('service_order_status_check', `status IN ('submitted', 'accepted', 'declined', 'scheduled', 'delivered', 'evaluated', 'cancelled')`)
@Check('service_order_preferred_check', `preferred_from <= preferred_to`)
@Check('service_order_audience_check', `expected_audience > 0 AND (attendance IS NULL OR attendance >= 0)`)
@Check('service_order_schedule_check', `scheduled_starts_at IS NULL OR scheduled_starts_at < scheduled_ends_at`)
@Check('service_order_confirmed_check', `(confirmed_at IS NULL) = (confirmed_by IS NULL) AND (confirmed_at IS NULL OR status IN ('delivered', 'evaluated'))`)
@Index('service_order_item_month_idx', ['itemId', 'month'])
export class ServiceOrder {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  itemId: string;

  @ManyToOne(() => ServiceItem, { onDelete: 'RESTRICT' })
  item?: ServiceItem;

  /** The community (or any region) the service is for. */
  @Index('service_order_region_idx')
  @Column({ type: 'uuid' })
  regionId: string;

  @ManyToOne(() => Region, { onDelete: 'RESTRICT' })
  region?: Region;

  /** The organizer, librarian or admin who ordered. */
  @Index('service_order_ordered_by_idx')
  @Column({ type: 'uuid' })
  orderedBy: string;

  @ManyToOne(() => Staff, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'ordered_by' })
  orderer?: Staff;

  @Column({ type: 'varchar', length: 12, default: 'submitted' })
  status: OrderStatus;

  @Column({ type: 'date' })
  preferredFrom: string;

  @Column({ type: 'date' })
  preferredTo: string;

  /** First day of the month whose capacity the order uses (the scheduled month once scheduled). */
  @Column({ type: 'date' })
  month: string;

  @Column({ type: 'integer' })
  expectedAudience: number;

  @Column({ type: 'uuid', nullable: true })
  venueId: string | null;

  @Column({ type: 'varchar', length: 300, nullable: true })
  address: string | null;

  @Column({ type: 'text', nullable: true })
  notes: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  scheduledStartsAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  scheduledEndsAt: Date | null;

  /** The venue booking held for a scheduled order that has no public activity (book delivery, home visit). */
  @Column({ type: 'uuid', nullable: true })
  venueBookingId: string | null;

  /** The public activity residents register for, created when the order is scheduled. */
  @Column({ type: 'uuid', nullable: true })
  activityId: string | null;

  @Column({ type: 'integer', nullable: true })
  attendance: number | null;

  @Column({ type: 'text', nullable: true })
  deliveryNotes: string | null;

  @Column({ type: 'text', array: true, default: () => `'{}'` })
  photoUrls: string[];

  @Column({ type: 'timestamptz', nullable: true })
  deliveredAt: Date | null;

  /**
   * The community confirmed the service arrived (送达确认): set once, by the organizer (or the orderer, or
   * an admin) on a delivered order, or by their evaluation. Not a state: the order stays delivered.
   */
  @Column({ type: 'timestamptz', nullable: true })
  confirmedAt: Date | null;

  @Column({ type: 'uuid', nullable: true })
  confirmedBy: string | null;

  @ManyToOne(() => Staff, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'confirmed_by' })
  confirmer?: Staff;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

/**
 * What happened to an order: each change of state, and the steps that keep it (a reschedule, the
 * community's confirmation of delivery). The state change itself is `step` = the new state.
 */
export const ORDER_STEPS = [...ORDER_STATUSES, 'rescheduled', 'confirmed'] as const;
export type OrderStep = (typeof ORDER_STEPS)[number];

/** Every step of an order: who, when, why. Never updated. */
@Entity('service_order_event')
@Index('service_order_event_order_idx', ['orderId', 'at'])
@Check('service_order_event_step_check', `step IN ('submitted', 'accepted', 'declined', 'scheduled', 'delivered', 'evaluated', 'cancelled', 'rescheduled', 'confirmed')`)
export class ServiceOrderEvent {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' })
  id: string;

  @Column({ type: 'uuid' })
  orderId: string;

  @ManyToOne(() => ServiceOrder, { onDelete: 'CASCADE' })
  order?: ServiceOrder;

  @Column({ type: 'varchar', length: 12, nullable: true })
  fromStatus: OrderStatus | null;

  @Column({ type: 'varchar', length: 12 })
  toStatus: OrderStatus;

  @Column({ type: 'varchar', length: 12 })
  step: OrderStep;

  /** On a reschedule: the start it moved from. */
  @Column({ type: 'timestamptz', nullable: true })
  previousStartsAt: Date | null;

  @Column({ type: 'uuid' })
  actorId: string;

  @Column({ type: 'varchar', length: 16 })
  actorRole: string;

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  at: Date;
}

export const RATER_KINDS = ['organizer', 'resident'] as const;
export type RaterKind = (typeof RATER_KINDS)[number];

/** A rating of a delivered service: the organizer's evaluation, or a resident who attended; once each. */
@Entity('service_rating')
@Check('service_rating_score_check', `score BETWEEN 1 AND 5`)
@Check('service_rating_rater_kind_check', `rater_kind IN ('organizer', 'resident')`)
@Index('service_rating_created_at_idx', ['createdAt'])
export class ServiceRating {
  @PrimaryColumn({ type: 'uuid' })
  orderId: string;

  @PrimaryColumn({ type: 'uuid' })
  raterId: string;

  @ManyToOne(() => ServiceOrder, { onDelete: 'CASCADE' })
  order?: ServiceOrder;

  @Column({ type: 'varchar', length: 12 })
  raterKind: RaterKind;

  @Column({ type: 'smallint' })
  score: number;

  @Column({ type: 'text', nullable: true })
  comment: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

/**
 * A resident the operator named as served when recording the delivery (a home visit, a book delivery:
 * services with no public activity to check in at). They may rate the service once, as attendees do.
 * Once per order and person; it goes with the person (their personal data), never into the usage log.
 */
@Entity('service_order_served')
@Index('service_order_served_patron_idx', ['patronId'])
export class ServiceOrderServed {
  @PrimaryColumn({ type: 'uuid' })
  orderId: string;

  @PrimaryColumn({ type: 'uuid' })
  patronId: string;

  @ManyToOne(() => ServiceOrder, { onDelete: 'CASCADE' })
  order?: ServiceOrder;

  @ManyToOne(() => Patron, { onDelete: 'CASCADE' })
  patron?: Patron;
}
