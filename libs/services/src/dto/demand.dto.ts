import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, IsUUID, Length, ValidateIf } from 'class-validator';
import { OptionalField } from '@lib/errors';
import { PageQuery } from '@lib/db';
import { SERVICE_CATEGORIES, ServiceCategory } from '../entities/service-item.entity';
import { DEMAND_ANSWERS, DEMAND_STATUSES, DemandAnswer, DemandStatus } from '../entities/demand.entity';

export class CreateDemandDto {
  @ApiProperty({ enum: SERVICE_CATEGORIES })
  @IsIn(SERVICE_CATEGORIES)
  category: ServiceCategory;

  @ApiProperty({ example: '希望开设老年人智能手机课' })
  @IsString()
  @Length(1, 200)
  title: string;

  @ApiProperty({ example: '社区老人多，不会用手机挂号、扫码，希望每月有一次培训' })
  @IsString()
  @Length(1, 2000)
  description: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  regionId: string;
}

export class DemandQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'demands in this region and the regions under it' })
  @OptionalField()
  @IsUUID()
  regionId?: string;

  @ApiPropertyOptional({ enum: SERVICE_CATEGORIES })
  @OptionalField()
  @IsIn(SERVICE_CATEGORIES)
  category?: ServiceCategory;

  @ApiPropertyOptional({ enum: DEMAND_STATUSES })
  @OptionalField()
  @IsIn(DEMAND_STATUSES)
  status?: DemandStatus;

  @ApiPropertyOptional({ enum: ['votes', 'recent'], description: 'votes: most wanted first (default)' })
  @OptionalField()
  @IsIn(['votes', 'recent'])
  sort?: 'votes' | 'recent';
}

export class AnswerDemandDto {
  @ApiProperty({ enum: DEMAND_ANSWERS })
  @IsIn(DEMAND_ANSWERS)
  status: DemandAnswer;

  @ApiProperty({ example: '已列入明年一季度计划' })
  @IsString()
  @Length(1, 2000)
  answer: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'the menu item made from the demand (required for added_to_menu)' })
  @ValidateIf((o: AnswerDemandDto) => o.status === 'added_to_menu' || o.itemId !== undefined)
  @IsUUID()
  itemId?: string;
}
