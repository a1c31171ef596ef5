import { Check, Column, CreateDateColumn, Entity, Index, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Branch } from '@lib/network';
import { Staff } from '@lib/accounts';

export const SERVICE_CATEGORIES = [
  'performance',
  'lecture',
  'exhibition',
  'film_screening',
  'training',
  'reading_promotion',
  'book_delivery',
  'home_visit',
] as const;
export type ServiceCategory = (typeof SERVICE_CATEGORIES)[number];

export const SERVICE_ITEM_STATUSES = ['draft', 'published', 'paused', 'retired'] as const;
export type ServiceItemStatus = (typeof SERVICE_ITEM_STATUSES)[number];

/** 菜单项: one deliverable service an operator offers to communities, with a monthly capacity. */
@Entity('service_item')
@Check('service_item_category_check', `category IN ('performance', 'lecture', 'exhibition', 'film_screening', 'training', 'reading_promotion', 'book_delivery', 'home_visit')`)
@Check('service_item_status_check', `status IN ('draft', 'published', 'paused', 'retired')`)
@Check('service_item_audience_check', `audience_min >= 0 AND audience_min <= audience_max`)
@Check('service_item_numbers_check', `monthly_capacity >= 0 AND lead_time_days >= 0 AND duration_minutes > 0`)
export class ServiceItem {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Index('service_item_category_idx')
  @Column({ type: 'varchar', length: 20 })
  category: ServiceCategory;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  /** Who delivers it: the cultural centre, the library, or a contracted social organisation. */
  @Column({ type: 'varchar', length: 200 })
  provider: string;

  /** The provider's branch when it is one of the network's (outreach indicators count by its kind). */
  @Column({ type: 'uuid', nullable: true })
  providerBranchId: string | null;

  @ManyToOne(() => Branch, { onDelete: 'RESTRICT' })
  providerBranch?: Branch;

  /** The operator account that owns the item and handles its orders. */
  @Index('service_item_operator_idx')
  @Column({ type: 'uuid' })
  operatorId: string;

  @ManyToOne(() => Staff, { onDelete: 'RESTRICT' })
  operator?: Staff;

  @Column({ type: 'integer' })
  durationMinutes: number;

  @Column({ type: 'integer' })
  audienceMin: number;

  @Column({ type: 'integer' })
  audienceMax: number;

  /** Days between ordering and the earliest delivery. */
  @Column({ type: 'integer', default: 0 })
  leadTimeDays: number;

  /** Regions served, with every region under them. */
  @Column({ type: 'uuid', array: true })
  regionIds: string[];

  /** Deliveries the provider can make in one month; orders in a month never exceed it. */
  @Column({ type: 'integer' })
  monthlyCapacity: number;

  @Column({ type: 'boolean', default: true })
  free: boolean;

  @Column({ type: 'varchar', length: 200, nullable: true })
  feeNote: string | null;

  @Index('service_item_status_idx')
  @Column({ type: 'varchar', length: 12, default: 'draft' })
  status: ServiceItemStatus;

  @Column({ type: 'timestamptz', nullable: true })
  publishedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  retiredAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
