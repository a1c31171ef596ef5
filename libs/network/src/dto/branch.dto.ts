import { OptionalField } from '@lib/errors';
import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { PageQuery } from '@lib/db';
import { IsStableCode } from './stable-code';
import { BRANCH_KINDS, BRANCH_LEVELS, BranchKind, BranchLevel } from '../entities/branch.entity';

const HH_MM = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;

export class OpeningIntervalDto {
  @ApiProperty({ example: '09:00' })
  @Matches(HH_MM, { message: 'opens must be a time HH:mm' })
  opens: string;

  @ApiProperty({ example: '17:00' })
  @Matches(HH_MM, { message: 'closes must be a time HH:mm (24:00 allowed)' })
  closes: string;
}

export class WeeklyHoursDto extends OpeningIntervalDto {
  @ApiProperty({ minimum: 1, maximum: 7, description: 'ISO weekday: 1 = Monday … 7 = Sunday' })
  @IsInt()
  @Min(1)
  @Max(7)
  weekday: number;
}

export class CreateBranchDto {
  @ApiProperty({ example: '海淀区图书馆' })
  @IsString()
  @Length(1, 100)
  name: string;

  @ApiProperty({ enum: BRANCH_KINDS })
  @IsIn(BRANCH_KINDS)
  kind: BranchKind;

  @ApiProperty({ enum: BRANCH_LEVELS })
  @IsIn(BRANCH_LEVELS)
  level: BranchLevel;

  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  regionId: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @OptionalField()
  @IsUUID()
  parentId?: string;

  @ApiPropertyOptional()
  @OptionalField()
  @IsStableCode()
  code?: string;

  @ApiPropertyOptional()
  @OptionalField()
  @IsString()
  @Length(1, 200)
  address?: string;

  @ApiPropertyOptional({ description: 'floor area in m²' })
  @OptionalField()
  @IsNumber({ maxDecimalPlaces: 2 })
  @Min(0)
  @Max(10_000_000)
  floorArea?: number;

  @ApiPropertyOptional({ type: [String], example: ['reading_room', 'e_reading_room', 'square'] })
  @OptionalField()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Length(1, 50, { each: true })
  facilities?: string[];

  @ApiPropertyOptional({ description: 'takes part in borrow-anywhere, return-anywhere' })
  @OptionalField()
  @IsBoolean()
  sharedCirculation?: boolean;

  @ApiPropertyOptional({ example: 'Asia/Shanghai' })
  @OptionalField()
  @IsString()
  @Length(1, 64)
  timeZone?: string;

  @ApiPropertyOptional({ type: [WeeklyHoursDto] })
  @OptionalField()
  @IsArray()
  @ArrayMaxSize(70)
  @ValidateNested({ each: true })
  @Type(() => WeeklyHoursDto)
  openingHours?: WeeklyHoursDto[];
}

/** Any field of a branch; `openingHours` replaces the whole weekly pattern; `parentId: null` detaches it. */
export class UpdateBranchDto extends PartialType(OmitType(CreateBranchDto, ['parentId'] as const), {
  skipNullProperties: false,
}) {
  @ApiPropertyOptional({ format: 'uuid', nullable: true })
  @IsOptional()
  @IsUUID()
  parentId?: string | null;
}

export class BranchQuery extends PageQuery {
  @ApiPropertyOptional({ enum: BRANCH_KINDS })
  @IsOptional()
  @IsIn(BRANCH_KINDS)
  kind?: BranchKind;

  @ApiPropertyOptional({ enum: BRANCH_LEVELS })
  @IsOptional()
  @IsIn(BRANCH_LEVELS)
  level?: BranchLevel;

  @ApiPropertyOptional({ format: 'uuid', description: 'branches in this region or any region under it' })
  @IsOptional()
  @IsUUID()
  regionId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  sharedCirculation?: boolean;
}

export class WeekQuery {
  @ApiPropertyOptional({ example: '2026-W48', description: 'ISO week; defaults to the current week' })
  @IsOptional()
  @Matches(/^\d{4}-W\d{2}$/, { message: 'week must look like 2026-W48' })
  week?: string;
}

export class OpenAtQuery {
  @ApiPropertyOptional({ example: '2026-11-22T10:00:00+08:00', description: 'defaults to now' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/, {
    message: 'at must be an ISO 8601 instant with a zone, e.g. 2026-11-22T10:00:00+08:00',
  })
  at?: string;
}

export class CalendarExceptionDto {
  @ApiProperty({ type: [OpeningIntervalDto], description: 'empty: closed all day; otherwise replaces the weekly hours' })
  @IsArray()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => OpeningIntervalDto)
  intervals: OpeningIntervalDto[];

  @ApiPropertyOptional({ example: '春节闭馆' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  reason?: string;
}

export class DateRangeQuery {
  @ApiPropertyOptional({ example: '2026-01-01' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'from must be a date YYYY-MM-DD' })
  from?: string;

  @ApiPropertyOptional({ example: '2026-12-31' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'to must be a date YYYY-MM-DD' })
  to?: string;
}

export interface BranchView {
  id: string;
  code: string | null;
  name: string;
  kind: BranchKind;
  level: BranchLevel;
  regionId: string;
  parentId: string | null;
  address: string | null;
  floorArea: number | null;
  facilities: string[];
  sharedCirculation: boolean;
  timeZone: string;
  openingHours: Array<{ weekday: number; opens: string; closes: string }>;
}
