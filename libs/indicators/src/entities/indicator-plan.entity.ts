import { Check, Column, CreateDateColumn, Entity, Index, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Region } from '@lib/network';

/** A named set of indicators with targets (Haidian 2015-2017, Tianyuan 2016-2017, a district's own). */
@Entity('indicator_plan')
@Check('indicator_plan_years_check', `from_year <= to_year`)
export class IndicatorPlan {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index('indicator_plan_code_key', { unique: true })
  @Column({ type: 'varchar', length: 64 })
  code: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ type: 'smallint' })
  fromYear: number;

  @Column({ type: 'smallint' })
  toYear: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

/**
 * A plan's target for one indicator: for a year (null: every year of the plan) and a region (null: any
 * region the plan is read for); the most specific target wins. Unique per plan, indicator, year and
 * region (NULLS NOT DISTINCT, made by hand in the migration).
 */
@Entity('indicator_target')
@Index('indicator_target_key', { synchronize: false })
@Check('indicator_target_range_check', `target_max IS NULL OR target_max >= target`)
export class IndicatorTarget {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' })
  id: string;

  @Index('indicator_target_plan_idx')
  @Column({ type: 'uuid' })
  planId: string;

  @ManyToOne(() => IndicatorPlan, { onDelete: 'CASCADE' })
  plan?: IndicatorPlan;

  @Column({ type: 'varchar', length: 64 })
  indicatorCode: string;

  @Column({ type: 'smallint', nullable: true })
  year: number | null;

  @Column({ type: 'uuid', nullable: true })
  regionId: string | null;

  @ManyToOne(() => Region, { onDelete: 'CASCADE' })
  region?: Region;

  @Column({ type: 'numeric', precision: 14, scale: 4, transformer: { to: (v: number) => v, from: (v: string | null) => (v === null ? null : Number(v)) } })
  target: number;

  @Column({ type: 'numeric', precision: 14, scale: 4, nullable: true, transformer: { to: (v: number | null) => v, from: (v: string | null) => (v === null ? null : Number(v)) } })
  targetMax: number | null;

  /** The value when the plan was written (the table's "current" column). */
  @Column({ type: 'numeric', precision: 14, scale: 4, nullable: true, transformer: { to: (v: number | null) => v, from: (v: string | null) => (v === null ? null : Number(v)) } })
  baseline: number | null;
}

/** A figure entered by hand (or a correction); the latest per indicator, year and region counts, the rest is history. */
@Entity('indicator_manual_entry')
@Index('indicator_manual_entry_lookup_idx', ['indicatorCode', 'regionId', 'year', 'enteredAt'])
export class IndicatorManualEntry {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' })
  id: string;

  @Column({ type: 'varchar', length: 64 })
  indicatorCode: string;

  @Column({ type: 'smallint' })
  year: number;

  @Column({ type: 'uuid' })
  regionId: string;

  @ManyToOne(() => Region, { onDelete: 'CASCADE' })
  region?: Region;

  @Column({ type: 'numeric', precision: 14, scale: 4, transformer: { to: (v: number) => v, from: (v: string) => Number(v) } })
  value: number;

  @Column({ type: 'text' })
  source: string;

  @Column({ type: 'uuid' })
  enteredBy: string;

  @Column({ type: 'timestamptz', default: () => 'clock_timestamp()' })
  enteredAt: Date;
}

export const INDICATOR_ENTITIES = [IndicatorPlan, IndicatorTarget, IndicatorManualEntry];
