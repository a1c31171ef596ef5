import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsString, IsUrl, IsUUID, Length, Max, Min } from 'class-validator';
import { IsCalendarDate, IsInstant, OptionalField } from '@lib/errors';
import { PageQuery } from '@lib/db';
import { ORDER_STATUSES, OrderStatus } from '../entities/service-order.entity';


export class CreateServiceOrderDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  itemId: string;

  @ApiProperty({ format: 'uuid', description: 'the community the service is for' })
  @IsUUID()
  regionId: string;

  @ApiProperty({ example: '2026-12-10' })
  @IsCalendarDate('preferredFrom')
  preferredFrom: string;

  @ApiProperty({ example: '2026-12-20' })
  @IsCalendarDate('preferredTo')
  preferredTo: string;

  @ApiProperty({ example: 80 })
  @IsInt()
  @Min(1)
  @Max(100_000)
  expectedAudience: number;

  @ApiPropertyOptional({ format: 'uuid', description: 'a venue, booked when the order is scheduled' })
  @OptionalField()
  @IsUUID()
  venueId?: string;

  @ApiPropertyOptional({ example: '中关村东路社区居委会二楼活动室' })
  @OptionalField()
  @IsString()
  @Length(1, 300)
  address?: string;

  @ApiPropertyOptional()
  @OptionalField()
  @IsString()
  @Length(1, 2000)
  notes?: string;
}

export class ServiceOrderQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ORDER_STATUSES })
  @OptionalField()
  @IsIn(ORDER_STATUSES)
  status?: OrderStatus;

  @ApiPropertyOptional({ format: 'uuid', description: 'orders for this region and the regions under it' })
  @OptionalField()
  @IsUUID()
  regionId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @OptionalField()
  @IsUUID()
  itemId?: string;
}

export class ReasonDto {
  @ApiProperty({ example: '演出团队当月已排满' })
  @IsString()
  @Length(1, 1000)
  reason: string;
}

export class OptionalNoteDto {
  @ApiPropertyOptional()
  @OptionalField()
  @IsString()
  @Length(1, 1000)
  note?: string;
}

export class ScheduleOrderDto {
  @ApiProperty({ example: '2026-12-12T14:00:00+08:00' })
  @IsInstant('startsAt')
  startsAt: string;

  @ApiProperty({ example: '2026-12-12T15:30:00+08:00' })
  @IsInstant('endsAt')
  endsAt: string;

  @ApiPropertyOptional({ format: 'uuid', description: "the venue to book (default: the order's venue)" })
  @OptionalField()
  @IsUUID()
  venueId?: string;

  @ApiPropertyOptional({ description: "where, when not a venue (default: the order's address)" })
  @OptionalField()
  @IsString()
  @Length(1, 300)
  address?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'the branch hosting the public activity when there is no venue' })
  @OptionalField()
  @IsUUID()
  branchId?: string;

  @ApiPropertyOptional({ example: 80, description: "seats residents can register for (default: the order's expected audience)" })
  @OptionalField()
  @IsInt()
  @Min(1)
  @Max(10_000)
  seats?: number;

  @ApiPropertyOptional({ example: '主讲老师临时生病，改到下周', description: 'why (on a reschedule residents who registered are told this)' })
  @OptionalField()
  @IsString()
  @Length(1, 1000)
  reason?: string;
}

export class DeliverOrderDto {
  @ApiProperty({ example: 76, description: 'people who actually came' })
  @IsInt()
  @Min(0)
  @Max(100_000)
  attendance: number;

  @ApiPropertyOptional()
  @OptionalField()
  @IsString()
  @Length(1, 5000)
  notes?: string;

  @ApiPropertyOptional({ type: [String], example: ['https://img.example.org/2026/12/12/1.jpg'] })
  @OptionalField()
  @IsArray()
  @ArrayMaxSize(30)
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true }, { each: true, message: 'photoUrls must be http(s) addresses' })
  photoUrls?: string[];

  @ApiPropertyOptional({
    type: [String],
    maxItems: 200,
    example: ['110800000427'],
    description:
      'card numbers of the residents served (home visits, book deliveries: no activity to check in at); each must be an active card; they may then rate the service once each. Repeats count once.',
  })
  @OptionalField()
  @IsArray()
  @ArrayMaxSize(200)
  @IsString({ each: true })
  @Length(1, 40, { each: true })
  servedCardNumbers?: string[];
}

export class RatingDto {
  @ApiProperty({ minimum: 1, maximum: 5, example: 5 })
  @IsInt()
  @Min(1)
  @Max(5)
  score: number;

  @ApiPropertyOptional({ example: '老师讲得很好，孩子们很喜欢' })
  @OptionalField()
  @IsString()
  @Length(1, 2000)
  comment?: string;
}

export const SATISFACTION_GROUPINGS = ['operator', 'item', 'region'] as const;
export type SatisfactionGrouping = (typeof SATISFACTION_GROUPINGS)[number];

export class SatisfactionQuery {
  @ApiProperty({ enum: SATISFACTION_GROUPINGS })
  @IsIn(SATISFACTION_GROUPINGS)
  by: SatisfactionGrouping;

  @ApiPropertyOptional({ example: '2026-01-01', description: 'ratings given on or after this day' })
  @OptionalField()
  @IsCalendarDate('from')
  from?: string;

  @ApiPropertyOptional({ example: '2026-12-31', description: 'ratings given on or before this day' })
  @OptionalField()
  @IsCalendarDate('to')
  to?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'only orders for this region and the regions under it' })
  @OptionalField()
  @IsUUID()
  regionId?: string;
}
