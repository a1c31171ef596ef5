import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { OptionalField } from '@lib/errors';
import { ITEM_TYPES } from '@lib/catalog';
import { PATRON_CATEGORIES } from '@lib/accounts';

const BARCODE = /^[A-Za-z0-9-]{3,32}$/;

export class CheckoutDto {
  @ApiPropertyOptional({ example: '110800000017', description: 'card number, or cardToken from the dynamic QR code' })
  @ValidateIf((o: CheckoutDto) => o.cardToken === undefined)
  @Matches(/^\d{12}$/, { message: 'cardNumber must be the 12-digit card number (or send cardToken)' })
  cardNumber?: string;

  @ApiPropertyOptional({ description: 'the token of the resident’s dynamic card QR code' })
  @ValidateIf((o: CheckoutDto) => o.cardNumber === undefined)
  @IsString()
  @Length(20, 2000)
  cardToken?: string;

  @ApiProperty({ example: 'HD0000001' })
  @Matches(BARCODE, { message: 'barcode must be 3-32 letters, digits or "-"' })
  barcode: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'defaults to the librarian’s only branch' })
  @OptionalField()
  @IsUUID()
  branchId?: string;
}

export class CheckinDto {
  @ApiProperty({ example: 'HD0000001' })
  @Matches(BARCODE, { message: 'barcode must be 3-32 letters, digits or "-"' })
  barcode: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'defaults to the librarian’s only branch' })
  @OptionalField()
  @IsUUID()
  branchId?: string;
}

export class AtBranchDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'defaults to the librarian’s only branch' })
  @OptionalField()
  @IsUUID()
  branchId?: string;
}

export class PlaceHoldDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'a hold on the title: any copy' })
  @ValidateIf((o: PlaceHoldDto) => o.itemId === undefined)
  @IsUUID()
  recordId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'a hold on one copy' })
  @ValidateIf((o: PlaceHoldDto) => o.recordId === undefined)
  @IsUUID()
  itemId?: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  pickupBranchId: string;
}

export class LoanHistoryDto {
  @ApiProperty({ description: 'keep my returned loans; turning it off forgets them now' })
  @IsBoolean()
  keep: boolean;
}

export class TransitQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'defaults to the librarian’s only branch' })
  @OptionalField()
  @IsUUID()
  branchId?: string;

  @ApiProperty({ enum: ['incoming', 'outgoing'] })
  @IsIn(['incoming', 'outgoing'])
  direction: 'incoming' | 'outgoing';
}

export class PolicyRuleDto {
  @ApiPropertyOptional({ enum: PATRON_CATEGORIES, nullable: true })
  @ValidateIf((_o, v) => v !== null && v !== undefined)
  @IsIn(PATRON_CATEGORIES)
  patronCategory: string | null = null;

  @ApiPropertyOptional({ enum: ITEM_TYPES, nullable: true })
  @ValidateIf((_o, v) => v !== null && v !== undefined)
  @IsIn(ITEM_TYPES)
  itemType: string | null = null;

  @ApiPropertyOptional({ format: 'uuid', nullable: true })
  @ValidateIf((_o, v) => v !== null && v !== undefined)
  @IsUUID()
  branchId: string | null = null;

  @ApiProperty({ example: 30 })
  @IsInt()
  @Min(1)
  @Max(365)
  loanDays: number;

  @ApiProperty({ example: 10 })
  @IsInt()
  @Min(0)
  @Max(500)
  maxLoans: number;

  @ApiProperty({ example: 1 })
  @IsInt()
  @Min(0)
  @Max(50)
  renewalsAllowed: number;

  @ApiProperty()
  @IsBoolean()
  holdsAllowed: boolean;

  @ApiProperty({ example: 5 })
  @IsInt()
  @Min(0)
  @Max(100)
  maxHolds: number;

  @ApiProperty({ example: 7, description: 'open days a ready hold waits on the shelf' })
  @IsInt()
  @Min(1)
  @Max(60)
  holdPickupDays: number;

  @ApiProperty({ example: 0 })
  @IsNumber({ maxDecimalPlaces: 2 })
  @Min(0)
  @Max(1000)
  finePerDay: number;

  @ApiProperty({ example: 0 })
  @IsNumber({ maxDecimalPlaces: 2 })
  @Min(0)
  @Max(100000)
  fineCap: number;

  @ApiProperty({ example: 0 })
  @IsNumber({ maxDecimalPlaces: 2 })
  @Min(0)
  @Max(100000)
  blockFinesOver: number;

  @ApiProperty({ example: 5 })
  @IsInt()
  @Min(1)
  @Max(500)
  blockOverdueItems: number;
}

/** Returns at either branch of the pair float: an item of one returned at the other stays there. */
export class FloatingPairDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  branchAId: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  branchBId: string;
}

export class PoliciesDto {
  @ApiProperty({ type: [PolicyRuleDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => PolicyRuleDto)
  rules: PolicyRuleDto[];

  @ApiPropertyOptional({ type: () => [FloatingPairDto] })
  @OptionalField()
  @IsArray()
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => FloatingPairDto)
  floatingPairs?: FloatingPairDto[];
}

export interface CheckinResult {
  barcode: string;
  wasOnLoan: boolean;
  loanId?: string;
  fine?: number;
  action: 'shelve' | 'hold-shelf' | 'transit';
  destinationBranchId?: string;
  holdId?: string;
  /**
   * Who the hold is for, so the desk can label the copy: the name masked and the card's last four digits
   * (never the phone), and the pickup deadline once it is on the hold shelf (null while in transit).
   */
  holdFor?: { patronName: string; cardLast4: string | null; pickupBy: Date | null };
  /** What to do with the copy, for the desk screen. */
  message: { zh: string; en: string };
}
