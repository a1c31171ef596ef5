import { OptionalField } from '@lib/errors';
import { ApiProperty, ApiPropertyOptional, PartialType, PickType } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsString, IsUUID, Length, Matches } from 'class-validator';
import { STAFF_ROLES, StaffRole } from '../entities/staff.entity';
import { IsAcceptablePassword } from './validators';

export class CreateStaffDto {
  @ApiProperty({ example: 'lib-zgc', description: 'starts with a letter, so it never looks like a phone or card number' })
  @Matches(/^[a-z][a-z0-9._-]{2,31}$/, {
    message: 'username must be 3-32 characters: lower-case letters, digits, ".", "_" or "-", starting with a letter',
  })
  username: string;

  @ApiProperty()
  @IsAcceptablePassword()
  password: string;

  @ApiProperty({ example: '李馆员' })
  @IsString()
  @Length(1, 50)
  name: string;

  @ApiProperty({ enum: STAFF_ROLES })
  @IsIn(STAFF_ROLES)
  role: StaffRole;

  @ApiPropertyOptional({ type: [String], format: 'uuid' })
  @OptionalField()
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true })
  branchIds?: string[];

  @ApiPropertyOptional({ type: [String], format: 'uuid' })
  @OptionalField()
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true })
  regionIds?: string[];
}

/** Rename, reset the password, disable, or change where the account acts (role and username stay). */
export class UpdateStaffDto extends PartialType(PickType(CreateStaffDto, ['name', 'password', 'branchIds', 'regionIds'] as const), {
  skipNullProperties: false,
}) {
  @ApiPropertyOptional()
  @OptionalField()
  @IsBoolean()
  active?: boolean;
}

export interface StaffView {
  id: string;
  username: string;
  name: string;
  role: StaffRole;
  active: boolean;
  branchIds: string[];
  regionIds: string[];
  createdAt: Date;
}
