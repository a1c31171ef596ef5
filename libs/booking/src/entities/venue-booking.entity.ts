import { Check, Column, CreateDateColumn, Entity, Exclusion, Index, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Patron } from '@lib/accounts';
import { Venue } from './venue.entity';

export const BOOKING_STATUSES = ['pending', 'confirmed', 'checked_in', 'completed', 'cancelled', 'rejected', 'no_show'] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];

/**
 * A span of a venue: a resident's booking, a staff block (maintenance), or an activity session.
 * Two live spans of one venue never overlap: an exclusion constraint on (venue, time range), made in
 * the migration, holds it in the database whatever the code does.
 */
@Entity('venue_booking')
@Exclusion(
  'venue_booking_no_overlap',
  `USING gist ("venue_id" WITH =, tstzrange("starts_at", "ends_at", '[)') WITH &&) WHERE ("status" IN ('pending', 'confirmed', 'checked_in'))`,
)
@Index('venue_booking_patron_idx', ['patronId', 'startsAt'])
@Check('venue_booking_status_check', `status IN ('pending', 'confirmed', 'checked_in', 'completed', 'cancelled', 'rejected', 'no_show')`)
@Check('venue_booking_kind_check', `kind IN ('booking', 'block', 'activity')`)
@Check('venue_booking_order_check', `starts_at < ends_at`)
export class VenueBooking {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  venueId: string;

  @ManyToOne(() => Venue, { onDelete: 'CASCADE' })
  venue?: Venue;

  @Column({ type: 'varchar', length: 10, default: 'booking' })
  kind: 'booking' | 'block' | 'activity';

  @Column({ type: 'uuid', nullable: true })
  patronId: string | null;

  @ManyToOne(() => Patron, { onDelete: 'CASCADE' })
  patron?: Patron;

  /** Staff who blocked the time, or decided an approval. */
  @Column({ type: 'uuid', nullable: true })
  staffId: string | null;

  @Column({ type: 'timestamptz' })
  startsAt: Date;

  @Column({ type: 'timestamptz' })
  endsAt: Date;

  @Column({ type: 'varchar', length: 12 })
  status: BookingStatus;

  @Column({ type: 'varchar', length: 200, nullable: true })
  purpose: string | null;

  @Column({ type: 'integer', default: 1 })
  attendees: number;

  @Column({ type: 'varchar', length: 200, nullable: true })
  decisionReason: string | null;

  /** Staff who approved, rejected or cancelled it (never who booked it: that is patronId or staffId). */
  @Column({ type: 'uuid', nullable: true })
  decidedBy: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  decidedAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
