import { OptionalField } from '@lib/errors';
import { ApiProperty, ApiPropertyOptional, PartialType, PickType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsString, IsUUID, Length, Max, Min } from 'class-validator';
import { PageQuery } from '@lib/db';
import { IsStableCode } from './stable-code';
import { REGION_KINDS, RegionKind } from '../entities/region.entity';

export class CreateRegionDto {
  @ApiProperty({ example: '中关村街道' })
  @IsString()
  @Length(1, 100)
  name: string;

  @ApiProperty({ enum: REGION_KINDS })
  @IsIn(REGION_KINDS)
  kind: RegionKind;

  @ApiPropertyOptional({ format: 'uuid' })
  @OptionalField()
  @IsUUID()
  parentId?: string;

  @ApiPropertyOptional({ example: '110108010', description: 'administrative division code or any stable code' })
  @OptionalField()
  @IsStableCode()
  code?: string;

  @ApiPropertyOptional({ example: 120000, description: 'resident population in populationYear' })
  @OptionalField()
  @IsInt()
  @Min(0)
  @Max(100_000_000)
  population?: number;

  @ApiPropertyOptional({ example: 2026, description: 'year of the population figure; defaults to the current year' })
  @OptionalField()
  @IsInt()
  @Min(1949)
  @Max(2200)
  populationYear?: number;
}

/** Rename, recode, or record the population of a year (kind and parent stay as created). */
export class UpdateRegionDto extends PartialType(PickType(CreateRegionDto, ['name', 'code', 'population', 'populationYear'] as const), {
  skipNullProperties: false,
}) {}

export class RegionQuery extends PageQuery {
  @ApiPropertyOptional({ enum: REGION_KINDS })
  @OptionalField()
  @IsIn(REGION_KINDS)
  kind?: RegionKind;

  @ApiPropertyOptional({ format: 'uuid' })
  @OptionalField()
  @IsUUID()
  parentId?: string;

  @ApiPropertyOptional({ description: 'year of the population figures shown; defaults to the latest known' })
  @OptionalField()
  @Type(() => Number)
  @IsInt()
  @Min(1949)
  @Max(2200)
  year?: number;
}

export interface RegionView {
  id: string;
  code: string | null;
  name: string;
  kind: RegionKind;
  parentId: string | null;
  /** Population of `populationYear` (the latest known year unless asked for another). */
  population: number | null;
  populationYear: number | null;
  populations: Array<{ year: number; population: number }>;
}
