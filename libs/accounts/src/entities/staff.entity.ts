import { Check, Column, CreateDateColumn, Entity, Index, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Branch, Region } from '@lib/network';

export const STAFF_ROLES = ['librarian', 'operator', 'organizer', 'admin', 'kiosk', 'device'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/**
 * A staff account: librarian (acts at its branches), operator (publishes services), organizer
 * (community culture organizer for regions), admin (district), kiosk and device (machines bound to a branch).
 */
@Entity('staff')
@Check('staff_role_check', `role IN ('librarian', 'operator', 'organizer', 'admin', 'kiosk', 'device')`)
export class Staff {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index('staff_username_key', { unique: true })
  @Column({ type: 'varchar', length: 32 })
  username: string;

  @Column({ type: 'varchar', length: 50 })
  name: string;

  @Column({ type: 'varchar', length: 16 })
  role: StaffRole;

  @Column({ type: 'text' })
  passwordHash: string;

  @Column({ type: 'boolean', default: true })
  active: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

/** The branches a staff account acts at. */
@Entity('staff_branch')
export class StaffBranch {
  @Column({ type: 'uuid', primary: true })
  staffId: string;

  @Index('staff_branch_branch_id_idx')
  @Column({ type: 'uuid', primary: true })
  branchId: string;

  @ManyToOne(() => Staff, { onDelete: 'CASCADE' })
  staff?: Staff;

  @ManyToOne(() => Branch, { onDelete: 'CASCADE' })
  branch?: Branch;
}

/** The regions an organizer serves. */
@Entity('staff_region')
export class StaffRegion {
  @Column({ type: 'uuid', primary: true })
  staffId: string;

  @Index('staff_region_region_id_idx')
  @Column({ type: 'uuid', primary: true })
  regionId: string;

  @ManyToOne(() => Staff, { onDelete: 'CASCADE' })
  staff?: Staff;

  @ManyToOne(() => Region, { onDelete: 'CASCADE' })
  region?: Region;
}
