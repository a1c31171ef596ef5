import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsString, IsUUID, Length, Max, Min } from 'class-validator';
import { IsCalendarDate, IsInstant, OptionalField } from '@lib/errors';
import { USAGE_KINDS, UsageKind } from '../usage-log';


/** A count over [from, to) at a branch: people through the door, or digital resource accesses. */
export class CountReportDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  branchId: string;

  @ApiProperty({ example: 137 })
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  count: number;

  @ApiProperty({ example: '2026-11-21T09:00:00+08:00' })
  @IsInstant('from')
  from: string;

  @ApiProperty({ example: '2026-11-21T10:00:00+08:00' })
  @IsInstant('to')
  to: string;
}

export class DigitalAccessDto extends CountReportDto {
  @ApiProperty({ example: 'e-books', description: 'which resource (e-books, a database, online lectures …)' })
  @IsString()
  @Length(1, 32)
  resource: string;
}

/** The rollups count each event on the calendar day it happened at its branch, in that branch's time zone. */
const DAY_IN_BRANCH_ZONE = (which: 'first' | 'last') =>
  `the ${which} calendar day (YYYY-MM-DD, inclusive), read in each branch's own time zone (its timeZone, Asia/Shanghai ` +
  `by default), not in UTC nor the caller's: an event counts on the day it happened where it happened, so at 20:00 UTC ` +
  `a visit at a Shanghai branch is already on the next day`;

export class UsageQuery {
  @ApiProperty({ enum: USAGE_KINDS, description: 'the kind of usage event' })
  @IsIn(USAGE_KINDS)
  metric: UsageKind;

  @ApiProperty({ example: '2026-01-01', description: DAY_IN_BRANCH_ZONE('first') })
  @IsCalendarDate('from')
  from: string;

  @ApiProperty({ example: '2026-12-31', description: DAY_IN_BRANCH_ZONE('last') })
  @IsCalendarDate('to')
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
