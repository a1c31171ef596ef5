import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, IsString, IsUUID, Length, Matches, Max, Min, ValidateBy } from 'class-validator';
import { Type } from 'class-transformer';
import { OptionalField } from '@lib/errors';

const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The most visit dates one request schedules: a year of weekly visits, with room. */
export const MAX_VISIT_DATES = 60;

/** Every entry is a calendar date that exists; the message names the entries that are not (dates.2, …). */
const EachCalendarDate = () =>
  ValidateBy({
    name: 'eachCalendarDate',
    validator: {
      validate: (value) => !Array.isArray(value) || value.every(isCalendarDate),
      defaultMessage: (args) => {
        const bad = (args!.value as unknown[]).flatMap((v, i) => (isCalendarDate(v) ? [] : [`${args!.property}.${i}`]));
        return `${bad.join(', ')} must be dates like 2026-12-10`;
      },
    },
  });

function isCalendarDate(v: unknown): boolean {
  if (typeof v !== 'string' || !DATE.test(v)) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
}

export class CreateMobileStopDto {
  @ApiProperty({ example: '温泉镇白家疃村口' })
  @IsString()
  @Length(1, 100)
  name: string;

  @ApiPropertyOptional({ example: '村委会门前广场', description: 'where the van parks' })
  @OptionalField()
  @IsString()
  @Length(1, 200)
  place?: string;

  @ApiProperty({ format: 'uuid', description: 'the community or village the stop serves; its loans and returns count there' })
  @IsUUID()
  regionId: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'the mobile library; defaults to the librarian’s only branch' })
  @OptionalField()
  @IsUUID()
  branchId?: string;
}

export class UpdateMobileStopDto {
  @ApiPropertyOptional()
  @OptionalField()
  @IsString()
  @Length(1, 100)
  name?: string;

  @ApiPropertyOptional()
  @OptionalField()
  @IsString()
  @Length(1, 200)
  place?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @OptionalField()
  @IsUUID()
  regionId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'the stop’s branch; defaults to the librarian’s only branch' })
  @OptionalField()
  @IsUUID()
  branchId?: string;
}

/** Visits on some dates, each from `starts` to `ends` in the branch's own time zone. */
export class ScheduleVisitsDto {
  @ApiProperty({ type: [String], example: ['2026-12-09', '2026-12-16'], minItems: 1, maxItems: MAX_VISIT_DATES, description: 'days in the branch’s time zone' })
  @IsArray({ message: 'dates must be a list of dates' })
  @ArrayMinSize(1, { message: `dates must list 1 to ${MAX_VISIT_DATES} dates` })
  @ArrayMaxSize(MAX_VISIT_DATES, { message: `dates must list 1 to ${MAX_VISIT_DATES} dates` })
  @EachCalendarDate()
  dates: string[];

  @ApiProperty({ example: '09:30' })
  @Matches(HH_MM, { message: 'starts must be a time HH:mm' })
  starts: string;

  @ApiProperty({ example: '11:30' })
  @Matches(HH_MM, { message: 'ends must be a time HH:mm' })
  ends: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'the stop’s branch; defaults to the librarian’s only branch' })
  @OptionalField()
  @IsUUID()
  branchId?: string;
}

export class MobileStopQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'the stops of this mobile library (default: all)' })
  @OptionalField()
  @IsUUID()
  branchId?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 90, description: 'upcoming visits within this many days (default 28)' })
  @OptionalField()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(90)
  days?: number;
}

export interface MobileStopVisitView {
  id: string;
  startsAt: Date;
  endsAt: Date;
  /** The visit's day in the branch's zone, and its times there (what a notice at the stop says). */
  date: string;
  starts: string;
  ends: string;
}

export interface MobileStopView {
  id: string;
  branchId: string;
  branchName: string;
  regionId: string;
  regionName: string;
  name: string;
  place: string | null;
  /** Upcoming visits (not yet ended), soonest first. */
  visits: MobileStopVisitView[];
}
