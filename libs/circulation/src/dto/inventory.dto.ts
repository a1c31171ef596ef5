import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsString, IsUUID, Length, Matches, ValidateIf } from 'class-validator';
import { OptionalField } from '@lib/errors';
import { BARCODE, EachBarcode, NotWith } from './circulation.dto';

/** The most barcodes one scan request (a pasted or uploaded file) takes: a long shelf run, far below the body limit. */
export const MAX_INVENTORY_BARCODES = 5000;

export class StartInventoryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'defaults to the librarian’s only branch' })
  @OptionalField()
  @IsUUID()
  branchId?: string;

  @ApiPropertyOptional({ example: 'I242', description: 'first call number of the range (CLC order, included); a class alone covers all under it' })
  @OptionalField()
  @IsString()
  @Length(1, 64)
  callNumberFrom?: string;

  @ApiPropertyOptional({ example: 'I247', description: 'last call number of the range (included)' })
  @OptionalField()
  @IsString()
  @Length(1, 64)
  callNumberTo?: string;

  @ApiPropertyOptional({ example: '二楼文学区', description: 'only copies at this shelving location' })
  @OptionalField()
  @IsString()
  @Length(1, 64)
  shelvingLocation?: string;
}

export class InventoryScanDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'defaults to the librarian’s only branch; must be the session’s' })
  @OptionalField()
  @IsUUID()
  branchId?: string;

  @ApiPropertyOptional({ example: 'HD0000001', description: 'one barcode as the scanner typed it (send this or barcodes)' })
  @ValidateIf((o: InventoryScanDto) => o.barcodes === undefined)
  @Matches(BARCODE, { message: 'barcode must be 3-32 letters, digits or "-"' })
  barcode?: string;

  @ApiPropertyOptional({ type: [String], minItems: 1, maxItems: MAX_INVENTORY_BARCODES, description: 'a file of barcodes, in shelf order as scanned' })
  @ValidateIf((o: InventoryScanDto) => o.barcodes !== undefined)
  @NotWith('barcode')
  @IsArray({ message: 'barcodes must be a list of barcodes' })
  @ArrayMinSize(1, { message: `barcodes must list 1 to ${MAX_INVENTORY_BARCODES} barcodes` })
  @ArrayMaxSize(MAX_INVENTORY_BARCODES, { message: `barcodes must list 1 to ${MAX_INVENTORY_BARCODES} barcodes` })
  @EachBarcode()
  barcodes?: string[];
}

export class InventoryAtBranchDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'defaults to the librarian’s only branch; must be the session’s' })
  @OptionalField()
  @IsUUID()
  branchId?: string;
}
