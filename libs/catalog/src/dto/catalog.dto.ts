import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
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
  MinLength,
  ValidateIf,
} from 'class-validator';
import { OptionalField } from '@lib/errors';
import { PageQuery } from '@lib/db';
import { ITEM_TYPES, ItemType } from '../entities/item.entity';

export class CreateRecordDto {
  @ApiProperty({ example: '三国演义' })
  @IsString()
  @Length(1, 500)
  title: string;

  @ApiPropertyOptional({ type: [String] })
  @OptionalField()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Length(1, 500, { each: true })
  titleVariants?: string[];

  @ApiPropertyOptional({ example: '罗贯中著' })
  @OptionalField()
  @IsString()
  @Length(1, 500)
  responsibility?: string;

  @ApiPropertyOptional({ type: [String], example: ['罗贯中'] })
  @OptionalField()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  authors?: string[];

  @ApiPropertyOptional({ type: [String], example: ['9787020008735'], description: 'ISBN-10 or ISBN-13; stored as ISBN-13' })
  @OptionalField()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  isbns?: string[];

  @ApiPropertyOptional({ example: '人民文学出版社' })
  @OptionalField()
  @IsString()
  @Length(1, 200)
  publisher?: string;

  @ApiPropertyOptional({ example: 1998 })
  @OptionalField()
  @IsInt()
  @Min(1000)
  @Max(2200)
  year?: number;

  @ApiPropertyOptional({ example: 'chi' })
  @OptionalField()
  @Matches(/^[a-z]{2,8}$/, { message: 'language must be a lower-case language code such as chi or eng' })
  language?: string;

  @ApiPropertyOptional({ type: [String] })
  @OptionalField()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  subjects?: string[];

  @ApiPropertyOptional({ example: 'I242.4', description: 'Chinese Library Classification call number' })
  @OptionalField()
  @IsString()
  @Length(1, 64)
  callNumber?: string;

  @ApiPropertyOptional()
  @OptionalField()
  @IsString()
  @Length(1, 64)
  controlNumber?: string;
}

export class CreateItemDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  recordId: string;

  @ApiProperty({ example: 'HD0000001' })
  @Matches(/^[A-Za-z0-9-]{3,32}$/, { message: 'barcode must be 3-32 letters, digits or "-"' })
  barcode: string;

  @ApiProperty({ format: 'uuid', description: 'the owning (home) branch' })
  @IsUUID()
  branchId: string;

  @ApiProperty({ enum: ITEM_TYPES })
  @IsIn(ITEM_TYPES)
  itemType: ItemType;

  @ApiPropertyOptional()
  @OptionalField()
  @IsString()
  @Length(1, 64)
  shelvingLocation?: string;

  @ApiPropertyOptional()
  @OptionalField()
  @IsString()
  @Length(1, 64)
  callNumber?: string;

  @ApiPropertyOptional()
  @OptionalField()
  @IsNumber({ maxDecimalPlaces: 2 })
  @Min(0)
  @Max(1_000_000)
  price?: number;

  @ApiPropertyOptional({ example: '2026-03-01' })
  @OptionalField()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'acquiredOn must be a date YYYY-MM-DD' })
  acquiredOn?: string;

  @ApiPropertyOptional()
  @OptionalField()
  @IsBoolean()
  floating?: boolean;
}

export class SearchQuery extends PageQuery {
  @ApiProperty({ example: '三国', description: 'title, author, ISBN, subject or call number; Chinese substrings work' })
  @IsString()
  @MinLength(1)
  @Length(1, 100)
  q: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'only records with a copy belonging to this branch' })
  @OptionalField()
  @IsUUID()
  branchId?: string;
}


export interface BranchAvailability {
  branchId: string;
  total: number;
  available: number;
}

export interface RecordView {
  id: string;
  controlNumber: string | null;
  title: string;
  titleVariants: string[];
  responsibility: string | null;
  authors: string[];
  isbns: string[];
  publisher: string | null;
  year: number | null;
  language: string | null;
  subjects: string[];
  callNumber: string | null;
  itemCount: number;
  availability: BranchAvailability[];
}

export interface ItemView {
  id: string;
  recordId: string;
  barcode: string;
  homeBranchId: string;
  circulatingBranchId: string;
  currentBranchId: string | null;
  itemType: ItemType;
  status: string;
  shelvingLocation: string | null;
  callNumber: string | null;
  price: number | null;
  acquiredOn: string | null;
  floating: boolean;
}


/** The most copies one bulk edit takes: a shelf range or a donation, with room to spare. */
export const MAX_BULK_EDIT_BARCODES = 500;

/**
 * 批量修改: the copies (by barcode) and what to set on all of them; a field left out is left as it is.
 * At least one of homeBranchId, itemType, shelvingLocation.
 */
export class ItemBulkEditDto {
  @ApiProperty({ type: [String], minItems: 1, maxItems: MAX_BULK_EDIT_BARCODES, example: ['HD0000001', 'HD0000002'] })
  @IsArray({ message: 'barcodes must be a list of barcodes' })
  @ArrayMinSize(1, { message: `barcodes must list 1 to ${MAX_BULK_EDIT_BARCODES} barcodes` })
  @ArrayMaxSize(MAX_BULK_EDIT_BARCODES, { message: `barcodes must list 1 to ${MAX_BULK_EDIT_BARCODES} barcodes` })
  @Matches(/^[A-Za-z0-9-]{3,32}$/, { each: true, message: 'each of barcodes must be 3-32 letters, digits or "-"' })
  barcodes: string[];

  @ApiPropertyOptional({ format: 'uuid', description: 'the new owning branch; the copy also belongs to its shelves from now on (circulating branch)' })
  @OptionalField()
  @IsUUID('all', { message: 'homeBranchId must be a branch id (UUID)' })
  homeBranchId?: string;

  @ApiPropertyOptional({ enum: ITEM_TYPES })
  @OptionalField()
  @IsIn(ITEM_TYPES, { message: `itemType must be one of ${ITEM_TYPES.join(', ')}` })
  itemType?: ItemType;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 64, description: 'the shelving location; null clears it' })
  @ValidateIf((_o, v) => v !== undefined && v !== null)
  @IsString()
  @Length(1, 64, { message: 'shelvingLocation must be 1-64 characters (or null to clear it)' })
  shelvingLocation?: string | null;
}

export type BulkEditField = 'homeBranchId' | 'itemType' | 'shelvingLocation';

/** What an edit would do to one copy: each field it changes, from and to (a branch's name beside its id). */
export interface BulkEditLine {
  barcode: string;
  title: string;
  status: string;
  changes: Partial<Record<BulkEditField, { from: string | null; to: string | null; fromName?: string | null; toName?: string | null }>>;
}

export interface BulkEditPreview {
  /** Barcodes no copy has: the edit cannot be applied until they are removed or corrected. */
  unknown: string[];
  /** Copies of branches the librarian does not staff: the edit cannot be applied to them. */
  notYours: string[];
  /** Every known copy in the order given (a repeated barcode once), changing or not. */
  items: BulkEditLine[];
  changing: number;
}
