import { Check, Column, CreateDateColumn, Entity, Exclusion, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from 'typeorm';
import { Branch } from './branch.entity';
import { Region } from './region.entity';

/**
 * 流动站点: a place on the mobile library's route, in the community (region) it serves. Loans, returns
 * and hold pickups at a stop count for that community. (id, branch_id) is unique so that a visit or a
 * hold pickup naming the stop and its branch can be held to agree by a foreign key.
 */
@Entity('mobile_stop')
@Unique('mobile_stop_id_branch_key', ['id', 'branchId'])
export class MobileStop {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index('mobile_stop_branch_id_idx')
  @Column({ type: 'uuid' })
  branchId: string;

  @ManyToOne(() => Branch, { onDelete: 'RESTRICT' })
  branch?: Branch;

  @Index('mobile_stop_region_id_idx')
  @Column({ type: 'uuid' })
  regionId: string;

  @ManyToOne(() => Region, { onDelete: 'RESTRICT' })
  region?: Region;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  /** Where the van parks (a square, a school gate). */
  @Column({ type: 'varchar', length: 200, nullable: true })
  place: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

/**
 * One visit of the van at a stop. The van is in one place at a time: visits of one branch never
 * overlap (an exclusion constraint on the branch and the time range), whoever schedules them.
 */
@Entity('mobile_stop_visit')
@Exclusion('mobile_stop_visit_no_overlap', `USING gist ("branch_id" WITH =, tstzrange("starts_at", "ends_at", '[)') WITH &&)`)
@Check('mobile_stop_visit_order_check', `starts_at < ends_at`)
@Index('mobile_stop_visit_stop_starts_idx', ['stopId', 'startsAt'])
export class MobileStopVisit {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  stopId: string;

  /** The stop's branch, repeated so the no-overlap constraint can see it; the foreign key keeps it the stop's. */
  @Column({ type: 'uuid' })
  branchId: string;

  @ManyToOne(() => MobileStop, { onDelete: 'CASCADE' })
  @JoinColumn([
    { name: 'stop_id', referencedColumnName: 'id' },
    { name: 'branch_id', referencedColumnName: 'branchId' },
  ])
  stop?: MobileStop;

  @Column({ type: 'timestamptz' })
  startsAt: Date;

  @Column({ type: 'timestamptz' })
  endsAt: Date;
}
