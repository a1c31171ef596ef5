import { IsInstant, OptionalField } from '@lib/errors';
import { PageQuery } from '@lib/db';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, IsUUID, Length } from 'class-validator';

/** `GET /api/admin/personal-data-access`: by resident, staff member and time window [from, to), newest first. */
export class PersonalDataAccessQueryDto extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'the resident whose data was read or changed' })
  @OptionalField()
  @IsUUID('all', { message: 'patronId must be a UUID' })
  patronId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'the staff account that read or changed it' })
  @OptionalField()
  @IsUUID('all', { message: 'staffId must be a UUID' })
  staffId?: string;

  @ApiPropertyOptional({ example: '2026-12-01T00:00:00+08:00', description: 'from this instant (inclusive)' })
  @OptionalField()
  @IsInstant('from')
  from?: string;

  @ApiPropertyOptional({ example: '2026-12-08T00:00:00+08:00', description: 'before this instant' })
  @OptionalField()
  @IsInstant('to')
  to?: string;
}

/** Closing one's own account asks for the password again. */
export class CloseAccountDto {
  @ApiProperty({ example: 'Reader2026' })
  @IsString()
  @Length(1, 200)
  password: string;
}
