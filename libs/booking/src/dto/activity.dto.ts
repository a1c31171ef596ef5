import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsInt, IsISO8601, IsString, IsUUID, Length, Matches, Max, Min, ValidateIf, ValidateNested } from 'class-validator';
import { OptionalField } from '@lib/errors';
import { PageQuery } from '@lib/db';
import { ACTIVITY_CATEGORIES, ActivityCategory, SPECIAL_GROUPS } from '../entities/activity.entity';

const WITH_OFFSET = /(Z|[+-]\d{2}:\d{2})$/;
const INSTANT = 'must be an ISO 8601 instant with an offset';

export class SessionInputDto {
  @ApiProperty({ example: '2026-12-05T14:00:00+08:00' })
  @IsISO8601({ strict: true }, { message: `startsAt ${INSTANT}` })
  @Matches(WITH_OFFSET, { message: `startsAt ${INSTANT}` })
  startsAt: string;

  @ApiProperty({ example: '2026-12-05T16:00:00+08:00' })
  @IsISO8601({ strict: true }, { message: `endsAt ${INSTANT}` })
  @Matches(WITH_OFFSET, { message: `endsAt ${INSTANT}` })
  endsAt: string;

  @ApiProperty({ example: 100 })
  @IsInt()
  @Min(1)
  @Max(10_000)
  capacity: number;

  @ApiPropertyOptional({ example: 10, description: 'seats kept for walk-ins and phone booking, given out by staff' })
  @OptionalField()
  @IsInt()
  @Min(0)
  @Max(10_000)
  walkInSeats?: number;

  @ApiPropertyOptional({ format: 'uuid', description: 'books the venue for the session' })
  @OptionalField()
  @IsUUID()
  venueId?: string;
}

export class CreateActivityDto {
  @ApiProperty({ example: '少儿书法公益课' })
  @IsString()
  @Length(1, 200)
  title: string;

  @ApiPropertyOptional()
  @OptionalField()
  @IsString()
  @Length(1, 5000)
  description?: string;

  @ApiProperty({ enum: ACTIVITY_CATEGORIES })
  @IsIn(ACTIVITY_CATEGORIES)
  category: ActivityCategory;

  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  branchId: string;

  @ApiPropertyOptional({ example: 6 })
  @OptionalField()
  @IsInt()
  @Min(0)
  @Max(120)
  ageMin?: number;

  @ApiPropertyOptional({ example: 12 })
  @OptionalField()
  @IsInt()
  @Min(0)
  @Max(120)
  ageMax?: number;

  @ApiPropertyOptional({ type: [String], enum: SPECIAL_GROUPS })
  @OptionalField()
  @IsArray()
  @IsIn(SPECIAL_GROUPS, { each: true })
  specialGroups?: string[];

  @ApiPropertyOptional({ example: '2026-11-30T09:00:00+08:00', description: 'registration opens at this instant' })
  @OptionalField()
  @IsISO8601({ strict: true }, { message: `registrationOpensAt ${INSTANT}` })
  @Matches(WITH_OFFSET, { message: `registrationOpensAt ${INSTANT}` })
  registrationOpensAt?: string;

  @ApiPropertyOptional()
  @OptionalField()
  @IsISO8601({ strict: true }, { message: `registrationClosesAt ${INSTANT}` })
  @Matches(WITH_OFFSET, { message: `registrationClosesAt ${INSTANT}` })
  registrationClosesAt?: string;

  @ApiPropertyOptional({ example: 1 })
  @OptionalField()
  @IsInt()
  @Min(1)
  @Max(100)
  perPersonQuota?: number;

  @ApiPropertyOptional({ description: 'one registration covers every session (a course)' })
  @OptionalField()
  @IsBoolean()
  series?: boolean;

  @ApiPropertyOptional({ enum: ['first_come', 'approval'], default: 'first_come' })
  @OptionalField()
  @IsIn(['first_come', 'approval'])
  mode?: 'first_come' | 'approval';

  @ApiProperty({ type: [SessionInputDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => SessionInputDto)
  sessions: SessionInputDto[];
}

export class RegisterDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @ValidateIf((o: RegisterDto) => o.series !== true)
  @IsUUID()
  sessionId?: string;

  @ApiPropertyOptional({ description: 'register for every session of a series' })
  @OptionalField()
  @IsBoolean()
  series?: boolean;

  @ApiPropertyOptional({ description: 'staff only: register this card at the desk, into a kept seat first' })
  @OptionalField()
  @Matches(/^\d{12}$/, { message: 'cardNumber must be the 12-digit card number' })
  cardNumber?: string;
}

export class ActivityQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid' })
  @OptionalField()
  @IsUUID()
  branchId?: string;

  @ApiPropertyOptional({ enum: ACTIVITY_CATEGORIES })
  @OptionalField()
  @IsIn(ACTIVITY_CATEGORIES)
  category?: ActivityCategory;

  @ApiPropertyOptional({ example: '2026-12-01' })
  @OptionalField()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'from must be a date YYYY-MM-DD' })
  from?: string;

  @ApiPropertyOptional({ example: '2026-12-31' })
  @OptionalField()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'to must be a date YYYY-MM-DD' })
  to?: string;
}

/** Named apart from circulation's CheckinDto: OpenAPI schemas are keyed by class name, and one hid the other. */
export class AttendanceCheckinDto {
  @ApiProperty({ description: 'the registration QR token, or the resident’s dynamic card QR token' })
  @IsString()
  @Length(20, 2000)
  token: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'with a card QR: which session (default: the one on now)' })
  @OptionalField()
  @IsUUID()
  sessionId?: string;
}
