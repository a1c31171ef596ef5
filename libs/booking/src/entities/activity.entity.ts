import { Check, Column, CreateDateColumn, Entity, Index, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Branch } from '@lib/network';
import { Patron } from '@lib/accounts';
import { Venue } from './venue.entity';
import { VenueBooking } from './venue-booking.entity';

export const ACTIVITY_CATEGORIES = ['class', 'lecture', 'performance', 'exhibition', 'film_screening', 'training', 'reading_event'] as const;
export type ActivityCategory = (typeof ACTIVITY_CATEGORIES)[number];
export const SPECIAL_GROUPS = ['elderly', 'minors', 'disabled', 'migrant_workers', 'left_behind'] as const;

/** 活动: a class, lecture, show, exhibition, screening, training or reading event, with sessions. */
@Entity('activity')
@Check('activity_category_check', `category IN ('class', 'lecture', 'performance', 'exhibition', 'film_screening', 'training', 'reading_event')`)
@Check('activity_quota_check', `per_person_quota >= 1`)
@Check('activity_mode_check', `mode IN ('first_come', 'approval')`)
export class Activity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ type: 'varchar', length: 20 })
  category: ActivityCategory;

  @Index('activity_branch_id_idx')
  @Column({ type: 'uuid' })
  branchId: string;

  @ManyToOne(() => Branch, { onDelete: 'RESTRICT' })
  branch?: Branch;

  /** Staff account of the operator or librarian who runs it. */
  @Column({ type: 'uuid', nullable: true })
  organiserStaffId: string | null;

  @Column({ type: 'smallint', nullable: true })
  ageMin: number | null;

  @Column({ type: 'smallint', nullable: true })
  ageMax: number | null;

  @Column({ type: 'text', array: true, default: () => `'{}'` })
  specialGroups: string[];

  @Column({ type: 'timestamptz', nullable: true })
  registrationOpensAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  registrationClosesAt: Date | null;

  /** How many sessions one person may hold a seat in. */
  @Column({ type: 'smallint', default: 1 })
  perPersonQuota: number;

  /** Registration covers every session (a course). */
  @Column({ type: 'boolean', default: false })
  series: boolean;

  /** first_come: seats go to whoever registers first; approval: staff approve each registration. */
  @Column({ type: 'varchar', length: 12, default: 'first_come' })
  mode: 'first_come' | 'approval';

  /** Called off (registrations cancelled, venue released); kept for the record. */
  @Column({ type: 'timestamptz', nullable: true })
  cancelledAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

/** One sitting of an activity. Seats exist as rows (`session_seat`), so grabbing one is a row lock, not a counter. */
@Entity('activity_session')
@Check('activity_session_order_check', `starts_at < ends_at`)
@Check('activity_session_capacity_check', `capacity >= 0 AND walk_in_seats >= 0 AND walk_in_seats <= capacity`)
export class ActivitySession {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index('activity_session_activity_id_idx')
  @Column({ type: 'uuid' })
  activityId: string;

  @ManyToOne(() => Activity, { onDelete: 'CASCADE' })
  activity?: Activity;

  @Index('activity_session_starts_at_idx')
  @Column({ type: 'timestamptz' })
  startsAt: Date;

  @Column({ type: 'timestamptz' })
  endsAt: Date;

  @Column({ type: 'integer' })
  capacity: number;

  /** Seats kept for walk-ins and phone booking for the elderly; only staff give them out. */
  @Column({ type: 'integer', default: 0 })
  walkInSeats: number;

  @Column({ type: 'uuid', nullable: true })
  venueId: string | null;

  @ManyToOne(() => Venue, { onDelete: 'RESTRICT' })
  venue?: Venue;

  @Column({ type: 'uuid', nullable: true })
  venueBookingId: string | null;

  @ManyToOne(() => VenueBooking, { onDelete: 'SET NULL' })
  venueBooking?: VenueBooking;
}

export const REGISTRATION_STATUSES = ['pending', 'confirmed', 'waitlisted', 'cancelled', 'rejected', 'attended', 'no_show'] as const;
export type RegistrationStatus = (typeof REGISTRATION_STATUSES)[number];

/** 报名: one person in one session, confirmed (holding a seat) or waitlisted in arrival order (by ticket). */
@Entity('registration')
@Check('registration_status_check', `status IN ('pending', 'confirmed', 'waitlisted', 'cancelled', 'rejected', 'attended', 'no_show')`)
@Index('registration_one_per_person_key', ['sessionId', 'patronId'], { unique: true, where: `status IN ('pending', 'confirmed', 'waitlisted', 'attended')` })
@Index('registration_waitlist_idx', ['sessionId', 'waitlistTicket'], { where: `status = 'waitlisted'` })
@Index('registration_waitlist_left_idx', ['sessionId', 'waitlistTicket'], { where: `waitlist_ticket IS NOT NULL AND status <> 'waitlisted'` })
@Index('registration_patron_idx', ['patronId'])
export class Registration {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  sessionId: string;

  @ManyToOne(() => ActivitySession, { onDelete: 'CASCADE' })
  session?: ActivitySession;

  @Column({ type: 'uuid' })
  patronId: string;

  @ManyToOne(() => Patron, { onDelete: 'CASCADE' })
  patron?: Patron;

  @Column({ type: 'varchar', length: 12 })
  status: RegistrationStatus;

  /** When it joined the waiting list (clock_timestamp). A record only: the order is `waitlistTicket`. */
  @Column({ type: 'timestamptz', nullable: true })
  waitlistedAt: Date | null;

  /**
   * Its number on the waiting list, drawn on joining from the list's sequence (`waitlist_<list id>`; a
   * series has one list for all its sessions, any other session its own): the order of arrival. Kept after
   * leaving the list, so a newcomer's position is its ticket less the earlier tickets that have left.
   */
  @Column({ type: 'integer', nullable: true })
  waitlistTicket: number | null;

  /** Registered at the desk into a kept seat (walk-in or phone). */
  @Column({ type: 'boolean', default: false })
  byStaff: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  confirmedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  checkedInAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  cancelledAt: Date | null;
}

/** A seat of a session; held by at most one registration. Flash registration takes free seats with SKIP LOCKED. */
@Entity('session_seat')
@Index('session_seat_holder_key', ['registrationId'], { unique: true, where: 'registration_id IS NOT NULL' })
export class SessionSeat {
  @Column({ type: 'uuid', primary: true })
  sessionId: string;

  @Column({ type: 'integer', primary: true })
  seatNo: number;

  @ManyToOne(() => ActivitySession, { onDelete: 'CASCADE' })
  session?: ActivitySession;

  /** Kept for walk-ins: only staff registration takes it. */
  @Column({ type: 'boolean', default: false })
  walkIn: boolean;

  @Column({ type: 'uuid', nullable: true })
  registrationId: string | null;

  @ManyToOne(() => Registration, { onDelete: 'SET NULL' })
  registration?: Registration;
}
