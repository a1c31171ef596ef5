import { Check, Column, CreateDateColumn, Entity, Index, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { numericAsNumber } from '@lib/db';
import { Region } from './region.entity';
import type { OpeningInterval } from '../calendar/opening-calendar';

export const BRANCH_KINDS = ['library', 'cultural_centre', 'integrated_centre', 'service_point', 'mobile'] as const;
export type BranchKind = (typeof BRANCH_KINDS)[number];
export const BRANCH_LEVELS = ['central', 'branch', 'service_point'] as const;
export type BranchLevel = (typeof BRANCH_LEVELS)[number];

/** 总馆 / 分馆 / 服务点: a place in the central/branch network. */
@Entity('branch')
@Check('branch_kind_check', `kind IN ('library', 'cultural_centre', 'integrated_centre', 'service_point', 'mobile')`)
@Check('branch_level_check', `level IN ('central', 'branch', 'service_point')`)
@Check('branch_floor_area_check', `floor_area IS NULL OR floor_area >= 0`)
export class Branch {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index('branch_code_key', { unique: true })
  @Column({ type: 'varchar', length: 32, nullable: true })
  code: string | null;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ type: 'varchar', length: 20 })
  kind: BranchKind;

  @Column({ type: 'varchar', length: 16 })
  level: BranchLevel;

  @Index('branch_region_id_idx')
  @Column({ type: 'uuid' })
  regionId: string;

  @ManyToOne(() => Region, { onDelete: 'RESTRICT' })
  region?: Region;

  @Index('branch_parent_id_idx')
  @Column({ type: 'uuid', nullable: true })
  parentId: string | null;

  @ManyToOne(() => Branch, { onDelete: 'RESTRICT' })
  parent?: Branch;

  @Column({ type: 'varchar', length: 200, nullable: true })
  address: string | null;

  /** Square metres; numeric in PostgreSQL, converted to a number here. */
  @Column({
    type: 'numeric',
    precision: 10,
    scale: 2,
    nullable: true,
    transformer: numericAsNumber,
  })
  floorArea: number | null;

  @Column({ type: 'text', array: true, default: () => `'{}'` })
  facilities: string[];

  /** Takes part in borrow-anywhere, return-anywhere (通借通还). */
  @Column({ type: 'boolean', default: false })
  sharedCirculation: boolean;

  @Column({ type: 'varchar', length: 64, default: 'Asia/Shanghai' })
  timeZone: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

const timeText = {
  to: (v: string) => v,
  from: (v: string) => (v === '24:00:00' ? '24:00' : v.slice(0, 5)),
};

/** One opening interval of the weekly pattern; a day may have several (a lunch break). */
@Entity('branch_weekly_hours')
@Check('branch_weekly_hours_weekday_check', `weekday BETWEEN 1 AND 7`)
@Check('branch_weekly_hours_order_check', `opens < closes`)
export class BranchWeeklyHours {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index('branch_weekly_hours_branch_id_idx')
  @Column({ type: 'uuid' })
  branchId: string;

  @ManyToOne(() => Branch, { onDelete: 'CASCADE' })
  branch?: Branch;

  @Column({ type: 'smallint' })
  weekday: number;

  @Column({ type: 'time', transformer: timeText })
  opens: string;

  @Column({ type: 'time', transformer: timeText })
  closes: string;
}

/** A dated exception: no intervals means closed all day; otherwise they replace the weekly pattern. */
@Entity('branch_calendar_exception')
export class BranchCalendarException {
  @Column({ type: 'uuid', primary: true })
  branchId: string;

  @Column({ type: 'date', primary: true })
  date: string;

  @ManyToOne(() => Branch, { onDelete: 'CASCADE' })
  branch?: Branch;

  @Column({ type: 'jsonb', default: () => `'[]'` })
  intervals: OpeningInterval[];

  @Column({ type: 'varchar', length: 200, nullable: true })
  reason: string | null;
}
