import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsISO8601, IsUUID, Matches, Max, Min } from 'class-validator';
import { OptionalField } from '@lib/errors';
import { USAGE_KINDS, UsageKind } from '../usage-log';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const WITH_OFFSET = /(Z|[+-]\d{2}:\d{2})$/;
const INSTANT = 'must be an ISO 8601 instant with an offset';

/** A door counter's count of people who came in during [from, to). */
export class VisitCountDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  branchId: string;

  @ApiProperty({ example: 137 })
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  count: number;

  @ApiProperty({ example: '2026-11-21T09:00:00+08:00' })
  @IsISO8601({ strict: true }, { message: `from ${INSTANT}` })
  @Matches(WITH_OFFSET, { message: `from ${INSTANT}` })
  from: string;

  @ApiProperty({ example: '2026-11-21T10:00:00+08:00' })
  @IsISO8601({ strict: true }, { message: `to ${INSTANT}` })
  @Matches(WITH_OFFSET, { message: `to ${INSTANT}` })
  to: string;
}

export class UsageQuery {
  @ApiProperty({ enum: USAGE_KINDS, description: 'the kind of usage event' })
  @IsIn(USAGE_KINDS)
  metric: UsageKind;

  @ApiProperty({ example: '2026-01-01' })
  @Matches(DATE, { message: 'from must be a date like 2026-01-01' })
  @IsISO8601({ strict: true }, { message: 'from must be a valid date' })
  from: string;

  @ApiProperty({ example: '2026-12-31' })
  @Matches(DATE, { message: 'to must be a date like 2026-12-31' })
  @IsISO8601({ strict: true }, { message: 'to must be a valid date' })
  to: string;

  @ApiPropertyOptional({ enum: ['day', 'month'], description: 'default day' })
  @OptionalField()
  @IsIn(['day', 'month'])
  groupBy?: 'day' | 'month';

  @ApiPropertyOptional({ format: 'uuid' })
  @OptionalField()
  @IsUUID()
  branchId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'this region and the regions under it' })
  @OptionalField()
  @IsUUID()
  regionId?: string;
}
