import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsISO8601, IsString, IsUUID, Length, Matches, Max, Min, ValidateNested } from 'class-validator';
import { OptionalField } from '@lib/errors';
import { WeeklyHoursDto } from '@lib/network';
import { BOOKER_KINDS, VENUE_KINDS, VenueKind } from '../entities/venue.entity';
import { BOOKING_STATUSES, BookingStatus } from '../entities/venue-booking.entity';

export class CreateVenueDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  branchId: string;

  @ApiProperty({ example: '多功能厅' })
  @IsString()
  @Length(1, 100)
  name: string;

  @ApiProperty({ enum: VENUE_KINDS })
  @IsIn(VENUE_KINDS)
  kind: VenueKind;

  @ApiProperty({ example: 80 })
  @IsInt()
  @Min(1)
  @Max(100_000)
  capacity: number;

  @ApiPropertyOptional({ type: [String], example: ['projector', 'piano'] })
  @OptionalField()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Length(1, 50, { each: true })
  amenities?: string[];

  @ApiPropertyOptional({ example: '无障碍通道，电梯直达' })
  @OptionalField()
  @IsString()
  @Length(1, 500)
  accessibility?: string;

  @ApiPropertyOptional({ type: [WeeklyHoursDto], description: 'bookable hours when they differ from the branch opening hours' })
  @OptionalField()
  @IsArray()
  @ArrayMaxSize(70)
  @ValidateNested({ each: true })
  @Type(() => WeeklyHoursDto)
  bookableHours?: WeeklyHoursDto[];

  @ApiPropertyOptional({ example: 30 })
  @OptionalField()
  @IsInt()
  @Min(5)
  @Max(240)
  slotMinutes?: number;

  @ApiPropertyOptional({ example: 60 })
  @OptionalField()
  @IsInt()
  @Min(5)
  @Max(1440)
  minMinutes?: number;

  @ApiPropertyOptional({ example: 240 })
  @OptionalField()
  @IsInt()
  @Min(5)
  @Max(1440)
  maxMinutes?: number;

  @ApiPropertyOptional({ example: 14 })
  @OptionalField()
  @IsInt()
  @Min(0)
  @Max(365)
  maxDaysAhead?: number;

  @ApiPropertyOptional()
  @OptionalField()
  @IsBoolean()
  requiresApproval?: boolean;

  @ApiPropertyOptional({ type: [String], enum: BOOKER_KINDS })
  @OptionalField()
  @IsArray()
  @IsIn(BOOKER_KINDS, { each: true })
  whoMayBook?: string[];

  @ApiPropertyOptional({ example: 2 })
  @OptionalField()
  @IsInt()
  @Min(0)
  @Max(100)
  maxUpcomingPerPerson?: number;

  @ApiPropertyOptional({ example: 2 })
  @OptionalField()
  @IsInt()
  @Min(0)
  @Max(720)
  cancelDeadlineHours?: number;
}

export class UpdateVenueDto extends PartialType(OmitType(CreateVenueDto, ['branchId'] as const), { skipNullProperties: false }) {
  @ApiPropertyOptional()
  @OptionalField()
  @IsBoolean()
  active?: boolean;
}

const INSTANT = 'must be an ISO 8601 instant with an offset, e.g. 2026-11-23T14:00:00+08:00';

export class CreateBookingDto {
  @ApiProperty({ example: '2026-11-23T14:00:00+08:00' })
  @IsISO8601({ strict: true }, { message: `startsAt ${INSTANT}` })
  @Matches(/(Z|[+-]\d{2}:\d{2})$/, { message: `startsAt ${INSTANT}` })
  startsAt: string;

  @ApiProperty({ example: '2026-11-23T16:00:00+08:00' })
  @IsISO8601({ strict: true }, { message: `endsAt ${INSTANT}` })
  @Matches(/(Z|[+-]\d{2}:\d{2})$/, { message: `endsAt ${INSTANT}` })
  endsAt: string;

  @ApiPropertyOptional({ example: '社区合唱团排练' })
  @OptionalField()
  @IsString()
  @Length(1, 200)
  purpose?: string;

  @ApiPropertyOptional({ example: 12 })
  @OptionalField()
  @IsInt()
  @Min(1)
  @Max(100_000)
  attendees?: number;
}

export class BlockDto extends CreateBookingDto {
  @ApiPropertyOptional({ description: 'cancel bookings in the way (maintenance that cannot wait)' })
  @OptionalField()
  @IsBoolean()
  override?: boolean;
}

export class DecisionDto {
  @ApiPropertyOptional({ example: '场地维修' })
  @OptionalField()
  @IsString()
  @Length(1, 200)
  reason?: string;
}

export class AvailabilityQuery {
  @ApiProperty({ example: '2026-11-23' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'from must be a date YYYY-MM-DD' })
  from: string;

  @ApiPropertyOptional({ example: '2026-11-29', description: 'at most 31 days after from; defaults to from' })
  @OptionalField()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'to must be a date YYYY-MM-DD' })
  to?: string;
}

export class VenueQuery {
  @ApiPropertyOptional({ format: 'uuid' })
  @OptionalField()
  @IsUUID()
  branchId?: string;

  @ApiPropertyOptional({ enum: VENUE_KINDS })
  @OptionalField()
  @IsIn(VENUE_KINDS)
  kind?: VenueKind;
}

export class BranchBookingsQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'defaults to the librarian’s only branch' })
  @OptionalField()
  @IsUUID()
  branchId?: string;

  @ApiPropertyOptional({ enum: BOOKING_STATUSES, default: 'pending' })
  @OptionalField()
  @IsIn(BOOKING_STATUSES)
  status?: BookingStatus;
}

/** `GET /api/venues/free-today`: venues a booking made now could still take today, each on its branch's own day. */
export interface FreeTodayView {
  /** The instant the answer was worked out for. */
  at: string;
  items: Array<{
    id: string;
    name: string;
    kind: VenueKind;
    branchId: string;
    capacity: number;
    requiresApproval: boolean;
    whoMayBook: string[];
    slotMinutes: number;
    minMinutes: number;
    /** The branch's time zone, in which `date` and the spans are read. */
    timeZone: string;
    date: string;
    /** Local "HH:mm" spans, on slot boundaries, each long enough for one booking; never empty. */
    free: Array<{ from: string; to: string }>;
  }>;
}
