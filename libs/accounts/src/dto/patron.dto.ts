import { OptionalField } from '@lib/errors';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, Length, Matches } from 'class-validator';
import { PATRON_CATEGORIES, PatronCategory } from '../entities/patron.entity';
import { CardStatus } from '../entities/card.entity';
import { IsAcceptablePassword, IsMainlandMobile, IsResidentIdNumber } from './validators';

export class RegisterPatronDto {
  @ApiProperty({ example: '张三' })
  @IsString()
  @Length(1, 50)
  @Matches(/\S/, { message: 'name must not be blank' })
  name: string;

  @ApiProperty({ example: '13800138000' })
  @IsMainlandMobile()
  phone: string;

  @ApiProperty({ example: 'Reader2026' })
  @IsAcceptablePassword()
  password: string;

  @ApiPropertyOptional({ example: '11010519491231002X', description: 'stored encrypted, only ever shown masked' })
  @OptionalField()
  @IsResidentIdNumber()
  idNumber?: string;

  @ApiPropertyOptional({ enum: PATRON_CATEGORIES, default: 'adult' })
  @OptionalField()
  @IsIn(PATRON_CATEGORIES)
  category?: PatronCategory;
}

export class CardStatusDto {
  @ApiProperty({ enum: ['active', 'suspended'] })
  @IsIn(['active', 'suspended'])
  status: 'active' | 'suspended';

  @ApiPropertyOptional({ example: '逾期未还' })
  @OptionalField()
  @IsString()
  @Length(1, 200)
  reason?: string;
}

export interface CardView {
  number: string;
  status: CardStatus;
  issuedAt: Date;
  endedAt: Date | null;
  statusReason: string | null;
}

export interface PatronView {
  id: string;
  name: string;
  /** Masked: 138****8000; null once the account is closed. */
  phone: string | null;
  /** Masked: 110***********002X, or null when not given. */
  idNumber: string | null;
  category: PatronCategory;
  card: CardView | null;
  createdAt: Date;
}

/** The resident's own data, unmasked, for the PIPL export (never shown to staff). */
export interface OwnProfile {
  id: string;
  name: string;
  phone: string | null;
  idNumber: string | null;
  category: PatronCategory;
  keepLoanHistory: boolean;
  createdAt: Date;
  cards: CardView[];
}
