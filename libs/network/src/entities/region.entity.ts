import { Check, Column, CreateDateColumn, Entity, Index, ManyToOne, OneToMany, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const REGION_KINDS = ['district', 'subdistrict', 'community', 'village'] as const;
export type RegionKind = (typeof REGION_KINDS)[number];

/** 区 / 街道(镇) / 社区(村): the region tree; per-head indicators divide by its population. */
@Entity('region')
@Check('region_kind_check', `kind IN ('district', 'subdistrict', 'community', 'village')`)
@Check('region_district_is_root_check', `(kind = 'district') = (parent_id IS NULL)`)
export class Region {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Administrative division code or any stable code; demo data uses it to stay idempotent. */
  @Index('region_code_key', { unique: true })
  @Column({ type: 'varchar', length: 32, nullable: true })
  code: string | null;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ type: 'varchar', length: 16 })
  kind: RegionKind;

  @Index('region_parent_id_idx')
  @Column({ type: 'uuid', nullable: true })
  parentId: string | null;

  @ManyToOne(() => Region, { onDelete: 'RESTRICT', createForeignKeyConstraints: true })
  parent?: Region;

  @OneToMany(() => RegionPopulation, (p) => p.region)
  populations?: RegionPopulation[];

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

/** Resident population of a region in one year (per-head indicators use the year's figure). */
@Entity('region_population')
@Check('region_population_nonnegative_check', `population >= 0`)
@Check('region_population_year_check', `year BETWEEN 1949 AND 2200`)
export class RegionPopulation {
  @Column({ type: 'uuid', primary: true })
  regionId: string;

  @Column({ type: 'smallint', primary: true })
  year: number;

  @Column({ type: 'integer' })
  population: number;

  @ManyToOne(() => Region, (r) => r.populations, { onDelete: 'CASCADE' })
  region?: Region;
}
