import { ApiProperty, ApiPropertyOptional, PartialType, PickType } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsInt, IsString, IsUUID, Length, Matches, Max, Min } from 'class-validator';
import { Transform } from 'class-transformer';
import { OptionalField } from '@lib/errors';
import { PageQuery } from '@lib/db';
import { SERVICE_CATEGORIES, SERVICE_ITEM_STATUSES, ServiceCategory, ServiceItemStatus } from '../entities/service-item.entity';

export class CreateServiceItemDto {
  @ApiProperty({ example: '非遗剪纸进社区' })
  @IsString()
  @Length(1, 200)
  title: string;

  @ApiProperty({ enum: SERVICE_CATEGORIES })
  @IsIn(SERVICE_CATEGORIES)
  category: ServiceCategory;

  @ApiPropertyOptional({ example: '剪纸艺人现场教学，材料由文化馆提供' })
  @OptionalField()
  @IsString()
  @Length(1, 5000)
  description?: string;

  @ApiProperty({ example: '海淀区文化馆', description: 'who delivers: the cultural centre, the library or a contracted social organisation' })
  @IsString()
  @Length(1, 200)
  provider: string;

  @ApiPropertyOptional({ format: 'uuid', description: "the provider's branch, when it is one of the network's" })
  @OptionalField()
  @IsUUID()
  providerBranchId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'admins only: the operator account that owns the item (default: yourself)' })
  @OptionalField()
  @IsUUID()
  operatorId?: string;

  @ApiProperty({ example: 90 })
  @IsInt()
  @Min(1)
  @Max(24 * 60)
  durationMinutes: number;

  @ApiProperty({ example: 20 })
  @IsInt()
  @Min(0)
  @Max(100_000)
  audienceMin: number;

  @ApiProperty({ example: 200 })
  @IsInt()
  @Min(1)
  @Max(100_000)
  audienceMax: number;

  @ApiPropertyOptional({ example: 14, description: 'days between ordering and the earliest delivery' })
  @OptionalField()
  @IsInt()
  @Min(0)
  @Max(365)
  leadTimeDays?: number;

  @ApiProperty({ type: [String], format: 'uuid', description: 'regions served (with every region under them)' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @IsUUID('all', { each: true })
  regionIds: string[];

  @ApiProperty({ example: 8, description: 'deliveries the provider can make in one month' })
  @IsInt()
  @Min(0)
  @Max(10_000)
  monthlyCapacity: number;

  @ApiPropertyOptional({ example: true })
  @OptionalField()
  @IsBoolean()
  free?: boolean;

  @ApiPropertyOptional({ example: '材料费每人 10 元' })
  @OptionalField()
  @IsString()
  @Length(1, 200)
  feeNote?: string;
}

/** Omitted fields stay as they are; null is validated (and refused) rather than let through to a NOT NULL column. */
export class UpdateServiceItemDto extends PartialType(CreateServiceItemDto, { skipNullProperties: false }) {}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

export class ServiceItemQuery extends PageQuery {
  @ApiPropertyOptional({ enum: SERVICE_CATEGORIES })
  @OptionalField()
  @IsIn(SERVICE_CATEGORIES)
  category?: ServiceCategory;

  @ApiPropertyOptional({ format: 'uuid', description: 'items serving this region (or a region above or below it)' })
  @OptionalField()
  @IsUUID()
  regionId?: string;

  @ApiPropertyOptional({ example: '2026-12', description: 'remaining capacity is given for this month (default: this month)' })
  @OptionalField()
  @Matches(MONTH, { message: 'month must look like 2026-12' })
  month?: string;

  @ApiPropertyOptional({ enum: SERVICE_ITEM_STATUSES, description: 'operators and admins: other states than published' })
  @OptionalField()
  @IsIn(SERVICE_ITEM_STATUSES)
  status?: ServiceItemStatus;

  @ApiPropertyOptional({ description: "operators: only their own items ('true')" })
  @OptionalField()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  mine?: boolean;
}

/** GET /service-items/:id: the month whose remaining capacity is given (a class, so it is validated). */
export class ServiceItemMonthQuery extends PickType(ServiceItemQuery, ['month'] as const) {}
