import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsNumber, IsString, IsUUID, Length, Matches, Max, Min, ValidateNested } from 'class-validator';
import { OptionalField } from '@lib/errors';

export class IndicatorReportQuery {
  @ApiProperty({ example: 'haidian-2015-2017', description: 'plan code or id' })
  @IsString()
  @Length(1, 64)
  plan: string;

  @ApiProperty({ example: 2026 })
  @Type(() => Number)
  @IsInt()
  @Min(1949)
  @Max(2200)
  year: number;

  @ApiProperty({ format: 'uuid', description: 'the region (with every region under it)' })
  @IsUUID()
  regionId: string;
}

export class IndicatorDetailQuery extends IndicatorReportQuery {
  @ApiPropertyOptional({ enum: ['branch', 'region', 'month'] })
  @OptionalField()
  @IsIn(['branch', 'region', 'month'])
  by?: 'branch' | 'region' | 'month';
}

export class IndicatorExportQuery extends IndicatorReportQuery {
  @ApiProperty({ enum: ['csv', 'xlsx'] })
  @IsIn(['csv', 'xlsx'])
  format: 'csv' | 'xlsx';
}

export class ManualValueDto {
  @ApiProperty({ example: 2026 })
  @IsInt()
  @Min(1949)
  @Max(2200)
  year: number;

  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  regionId: string;

  @ApiProperty({ example: 24.5 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-1e9)
  @Max(1e9)
  value: number;

  @ApiProperty({ example: '区文旅局 2026 年统计年报' })
  @IsString()
  @Length(1, 1000)
  source: string;
}

export class TargetDto {
  @ApiProperty({ example: 'books_per_head' })
  @IsString()
  @Length(1, 64)
  indicator: string;

  @ApiProperty({ example: 1 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-1e9)
  @Max(1e9)
  target: number;

  @ApiPropertyOptional({ example: 6, description: 'upper bound, for range indicators' })
  @OptionalField()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-1e9)
  @Max(1e9)
  targetMax?: number;

  @ApiPropertyOptional({ example: 0.8 })
  @OptionalField()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-1e9)
  @Max(1e9)
  baseline?: number;

  @ApiPropertyOptional({ example: 2027, description: 'only this year (default: every year of the plan)' })
  @OptionalField()
  @IsInt()
  @Min(1949)
  @Max(2200)
  year?: number;

  @ApiPropertyOptional({ format: 'uuid', description: 'only this region (default: any region)' })
  @OptionalField()
  @IsUUID()
  regionId?: string;
}

export class CreatePlanDto {
  @ApiProperty({ example: 'haidian-2026-2028' })
  @Matches(/^[a-z0-9][a-z0-9-]{1,63}$/, { message: 'code must be lowercase letters, digits and dashes' })
  code: string;

  @ApiProperty({ example: '海淀区公共文化服务高质量发展（2026-2028）' })
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiPropertyOptional()
  @OptionalField()
  @IsString()
  @Length(1, 2000)
  description?: string;

  @ApiProperty({ example: 2026 })
  @IsInt()
  @Min(1949)
  @Max(2200)
  fromYear: number;

  @ApiProperty({ example: 2028 })
  @IsInt()
  @Min(1949)
  @Max(2200)
  toYear: number;

  @ApiProperty({ type: [TargetDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => TargetDto)
  targets: TargetDto[];
}
