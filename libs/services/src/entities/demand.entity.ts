import { Check, Column, CreateDateColumn, Entity, Index, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Region } from '@lib/network';
import { ServiceCategory, ServiceItem } from './service-item.entity';

export const DEMAND_STATUSES = ['open', 'planned', 'added_to_menu', 'declined'] as const;
export type DemandStatus = (typeof DEMAND_STATUSES)[number];
export const DEMAND_ANSWERS = ['planned', 'added_to_menu', 'declined'] as const;
export type DemandAnswer = (typeof DEMAND_ANSWERS)[number];

/** 订单式需求: a service someone asks for that is not on the menu; others vote; an operator answers. */
@Entity('demand')
@Check('demand_status_check', `status IN ('open', 'planned', 'added_to_menu', 'declined')`)
@Check('demand_category_check', `category IN ('performance', 'lecture', 'exhibition', 'film_screening', 'training', 'reading_promotion', 'book_delivery', 'home_visit')`)
@Check('demand_votes_check', `votes >= 0`)
@Index('demand_region_votes_idx', ['regionId', 'votes'])
export class Demand {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 20 })
  category: ServiceCategory;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ type: 'text' })
  description: string;

  @Column({ type: 'uuid' })
  regionId: string;

  @ManyToOne(() => Region, { onDelete: 'RESTRICT' })
  region?: Region;

  @Column({ type: 'varchar', length: 8 })
  askedByKind: 'patron' | 'staff';

  @Column({ type: 'uuid' })
  askedBy: string;

  /** Votes so far (the asker's included); kept with each vote in the same transaction. */
  @Column({ type: 'integer', default: 0 })
  votes: number;

  @Column({ type: 'varchar', length: 16, default: 'open' })
  status: DemandStatus;

  @Column({ type: 'text', nullable: true })
  answer: string | null;

  @Column({ type: 'uuid', nullable: true })
  answeredBy: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  answeredAt: Date | null;

  /** The menu item made from it. */
  @Column({ type: 'uuid', nullable: true })
  itemId: string | null;

  @ManyToOne(() => ServiceItem, { onDelete: 'SET NULL' })
  item?: ServiceItem;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

/** One vote per person per demand (the primary key says so). */
@Entity('demand_vote')
export class DemandVote {
  @PrimaryColumn({ type: 'uuid' })
  demandId: string;

  @PrimaryColumn({ type: 'uuid' })
  voterId: string;

  @ManyToOne(() => Demand, { onDelete: 'CASCADE' })
  demand?: Demand;

  @Column({ type: 'varchar', length: 8 })
  voterKind: 'patron' | 'staff';

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
