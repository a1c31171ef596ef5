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
  ValidateBy,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { IsInstant, OptionalField } from '@lib/errors';
import { ITEM_TYPES } from '@lib/catalog';
import { PATRON_CATEGORIES } from '@lib/accounts';
import { OVERDUE_DAY_COUNTS, OverdueDays } from '../entities/circulation-policy.entity';

export const BARCODE = /^[A-Za-z0-9-]{3,32}$/;

const STOP_HELP = 'the mobile library’s stop the desk is at (one of the acting branch’s stops): the loan or return counts for the stop’s community';

/** The most copies one check-in request takes: a full book cart, with room to spare. */
export const MAX_CHECKIN_BARCODES = 100;

/** The field may not come together with `other` (one or the other, never both). */
export const NotWith = (other: string) =>
  ValidateBy({
    name: 'notWith',
    constraints: [other],
    validator: {
      validate: (_value, args) => (args!.object as Record<string, unknown>)[other] === undefined,
      defaultMessage: (args) => `send either ${other} or ${args!.property}, not both`,
    },
  });

/** Every entry of the list is a barcode; the message names the entries that are not (barcodes.3, …). */
export const EachBarcode = () =>
  ValidateBy({
    name: 'eachBarcode',
    validator: {
      // Not a list at all is IsArray's to say.
      validate: (value) => !Array.isArray(value) || value.every((v) => typeof v === 'string' && BARCODE.test(v)),
      defaultMessage: (args) => {
        const list = args!.value as unknown[];
        const bad = list.flatMap((v, i) => (typeof v === 'string' && BARCODE.test(v) ? [] : [`${args!.property}.${i}`]));
        const named = bad.length > 5 ? `${bad.slice(0, 5).join(', ')} and ${bad.length - 5} more` : bad.join(', ');
        return `${named} must be 3-32 letters, digits or "-"`;
      },
    },
  });

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

  @ApiPropertyOptional({ format: 'uuid', description: STOP_HELP })
  @OptionalField()
  @IsUUID()
  stopId?: string;
}

/** One copy (`barcode`) or a cart of them (`barcodes`): exactly one of the two. */
export class CheckinDto {
  @ApiPropertyOptional({ example: 'HD0000001', description: 'one copy; answered with its CheckinResult (send this or barcodes)' })
  @ValidateIf((o: CheckinDto) => o.barcodes === undefined)
  @Matches(BARCODE, { message: 'barcode must be 3-32 letters, digits or "-"' })
  barcode?: string;

  @ApiPropertyOptional({
    type: [String],
    minItems: 1,
    maxItems: MAX_CHECKIN_BARCODES,
    example: ['HD0000001', 'HD0000002'],
    description:
      'a cart of copies (send this or barcode); answered `{items}` in the same order, each `{ok: true, ...CheckinResult}` or ' +
      '`{ok: false, barcode, error}` with the error in the usual `{statusCode, code, message, details}` shape. Each copy is its own ' +
      'transaction: one failing does not stop or undo the others. A barcode repeated in the list is checked in once, at its first ' +
      'entry; the repeats answer CHECKIN_REPEATED.',
  })
  @ValidateIf((o: CheckinDto) => o.barcodes !== undefined)
  @NotWith('barcode')
  @IsArray({ message: 'barcodes must be a list of barcodes' })
  @ArrayMinSize(1, { message: `barcodes must list 1 to ${MAX_CHECKIN_BARCODES} barcodes` })
  @ArrayMaxSize(MAX_CHECKIN_BARCODES, { message: `barcodes must list 1 to ${MAX_CHECKIN_BARCODES} barcodes` })
  @EachBarcode()
  barcodes?: string[];

  @ApiPropertyOptional({ format: 'uuid', description: 'defaults to the librarian’s only branch' })
  @OptionalField()
  @IsUUID()
  branchId?: string;
  @ApiPropertyOptional({ format: 'uuid', description: STOP_HELP })
  @OptionalField()
  @IsUUID()
  stopId?: string;
}

export class AtBranchDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'defaults to the librarian’s only branch' })
  @OptionalField()
  @IsUUID()
  branchId?: string;
}

export class HoldShelfQuery extends AtBranchDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'only the holds going out to this stop of the mobile library' })
  @OptionalField()
  @IsUUID()
  stopId?: string;
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

  @ApiPropertyOptional({ format: 'uuid', description: 'where to pick it up (send this, or pickupStopId, or both when they agree)' })
  @ValidateIf((o: PlaceHoldDto) => o.pickupStopId === undefined || o.pickupBranchId !== undefined)
  @IsUUID()
  pickupBranchId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'a stop of the mobile library to pick it up at; the pickup branch is then the mobile library' })
  @OptionalField()
  @IsUUID()
  pickupStopId?: string;
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

  @ApiPropertyOptional({ enum: OVERDUE_DAY_COUNTS, default: 'open', description: 'overdue days for fines: the checkout branch’s open days, or every calendar day' })
  @OptionalField()
  @IsIn(OVERDUE_DAY_COUNTS)
  overdueDays: OverdueDays = 'open';
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
  /** For the slip: the copy's title, where it goes (the pickup or destination branch's name; this branch's when it stays) and the day in this branch's zone. */
  title: string;
  destinationName: string;
  checkedInOn: string;
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
  /** The copy had been marked missing (an inventory did not find it) or lost: it is found again. */
  found?: boolean;
  /** What to do with the copy, for the desk screen. */
  message: { zh: string; en: string };
}

/** The most transactions one offline upload takes: a long day at a small desk. */
export const MAX_OFFLINE_TRANSACTIONS = 500;

/** One checkout or check-in as a desk recorded it offline. */
export class OfflineTransactionDto {
  @ApiProperty({ format: 'uuid', description: 'generated by the desk when it recorded the transaction; an upload retried with the same id applies it once' })
  @IsUUID(undefined, { message: 'clientId must be a UUID' })
  clientId: string;

  @ApiProperty({ enum: ['checkout', 'checkin'] })
  @IsIn(['checkout', 'checkin'], { message: 'type must be checkout or checkin' })
  type: 'checkout' | 'checkin';

  @ApiProperty({ example: '2026-12-04T09:30:00+08:00', description: 'when the desk recorded it (its own clock), with an offset' })
  @IsInstant('at')
  at: string;

  @ApiPropertyOptional({ example: '110800000017', description: 'the 12-digit card number; checkouts only, a check-in ignores it (a card QR code expires too soon for offline use)' })
  @ValidateIf((o: OfflineTransactionDto) => o.type === 'checkout' || o.cardNumber !== undefined)
  @Matches(/^\d{12}$/, { message: 'cardNumber must be the 12-digit card number (checkouts only)' })
  cardNumber?: string;

  @ApiProperty({ example: 'HD0000001' })
  @Matches(BARCODE, { message: 'barcode must be 3-32 letters, digits or "-"' })
  barcode: string;

  @ApiPropertyOptional({ format: 'uuid', description: STOP_HELP })
  @OptionalField()
  @IsUUID()
  stopId?: string;
}

export class OfflineUploadDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'defaults to the librarian’s only branch' })
  @OptionalField()
  @IsUUID()
  branchId?: string;

  @ApiProperty({ type: [OfflineTransactionDto], minItems: 1, maxItems: MAX_OFFLINE_TRANSACTIONS })
  @IsArray({ message: 'transactions must be a list' })
  @ArrayMinSize(1, { message: `transactions must list 1 to ${MAX_OFFLINE_TRANSACTIONS} transactions` })
  @ArrayMaxSize(MAX_OFFLINE_TRANSACTIONS, { message: `transactions must list 1 to ${MAX_OFFLINE_TRANSACTIONS} transactions` })
  @ValidateNested({ each: true })
  @Type(() => OfflineTransactionDto)
  transactions: OfflineTransactionDto[];
}

export class OfflineConflictQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'defaults to the librarian’s only branch' })
  @OptionalField()
  @IsUUID()
  branchId?: string;

  @ApiPropertyOptional({ enum: ['open', 'settled'], description: 'open (default): still to settle; settled: the last 200 settled' })
  @OptionalField()
  @IsIn(['open', 'settled'])
  state?: 'open' | 'settled';
}

export class SettleOfflineConflictDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'defaults to the librarian’s only branch' })
  @OptionalField()
  @IsUUID()
  branchId?: string;

  @ApiProperty({ example: '读者确认已借走，已在柜台补办借出', description: 'what the librarian did about it' })
  @IsString({ message: 'note must be text' })
  @Length(1, 500, { message: 'note must be 1-500 characters' })
  note: string;
}

const CARD_NUMBER = /^\d{12}$/;

export class FinesQuery {
  @ApiProperty({ example: '110800000017', description: 'the card number, as scanned' })
  @Matches(CARD_NUMBER, { message: 'cardNumber must be the 12-digit card number' })
  cardNumber: string;
}

/** Yuan, more than 0 and with at most two decimals (stored exactly, as numeric). */
const Yuan = () => (target: object, key: string) => {
  IsNumber({ maxDecimalPlaces: 2, allowNaN: false, allowInfinity: false }, { message: `${key} must be an amount in yuan with at most 2 decimals` })(target, key);
  Min(0.01, { message: `${key} must be at least 0.01 yuan` })(target, key);
  Max(100000, { message: `${key} must be at most 100000 yuan` })(target, key);
};

export class PayFinesDto {
  @ApiProperty({ example: '110800000017' })
  @Matches(CARD_NUMBER, { message: 'cardNumber must be the 12-digit card number' })
  cardNumber: string;

  @ApiProperty({ example: 2.5, description: 'yuan taken in cash; applied to the oldest fines first, never more than is owed' })
  @Yuan()
  amount: number;

  @ApiPropertyOptional({ format: 'uuid', description: 'defaults to the librarian’s only branch' })
  @OptionalField()
  @IsUUID()
  branchId?: string;
}

export class PayOwnFinesDto {
  @ApiProperty({ example: 2.5, description: 'yuan charged online; applied to the oldest fines first, never more than is owed' })
  @Yuan()
  amount: number;
}

export class WaiveFineDto {
  @ApiProperty({ example: 1, description: 'yuan forgiven of this fine, at most what it still owes' })
  @Yuan()
  amount: number;

  @ApiProperty({ example: '系统故障导致逾期', description: 'why, for the audit trail' })
  @IsString({ message: 'reason must be text' })
  @Matches(/\S/, { message: 'reason must say why the fine is waived' })
  @Length(1, 200, { message: 'reason must be 1-200 characters' })
  reason: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'defaults to the librarian’s only branch' })
  @OptionalField()
  @IsUUID()
  branchId?: string;
}
