import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { Answers, AnswersCreated } from '../http/answers';
import { BulkEditPreview, ImportReport, ItemView, RecordPage, RecordWithItems } from '../views/catalog.views';
import { ApiBody, ApiConsumes } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Public, Roles } from '@lib/auth';
import {
  CatalogError,
  CatalogService,
  CreateItemDto,
  CreateRecordDto,
  Editor,
  ImportFormat,
  ImportService,
  ItemBulkEditDto,
  ItemBulkEditService,
  SearchQuery,
} from '@lib/catalog';
import { withUploadedFile } from '../http/multipart-file';
import { isUUID } from 'class-validator';
import { CommonError } from '@lib/errors';
import { BranchesService } from '@lib/network';
import { ImportOptionsQuery } from '../http/import-query';
import { UuidParam } from '../http/params';
import { Idempotent } from '../http/idempotency.interceptor';

@ApiTags('catalogue')
@Controller('catalog')
export class CatalogController {
  constructor(
    private readonly catalog: CatalogService,
    private readonly importer: ImportService,
    private readonly branches: BranchesService,
    private readonly bulkEdit: ItemBulkEditService,
  ) {}

  /**
   * Import MARC (ISO 2709, MARC 21 or UNIMARC/CNMARC), MARCXML or CSV, streamed. `format` comes as a
   * query parameter or a form field before the file, else from the file name (.mrc, .xml, .csv).
   * Answers with what was imported, updated and rejected, and why.
   */
  @Roles('librarian', 'admin')
  @HttpCode(200)
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { format: { type: 'string', enum: ['marc', 'marcxml', 'csv'] }, file: { type: 'string', format: 'binary' } } } })
  @Post('import')
  @Answers(ImportReport)
  import(@Req() request: FastifyRequest, @Query() query: ImportOptionsQuery) {
    return withUploadedFile(
      request.raw,
      (file, fields, filename) => {
        const format = query.format ?? fields['format'] ?? formatFromName(filename);
        if (format !== 'marc' && format !== 'marcxml' && format !== 'csv') {
          return Promise.reject(CatalogError.IMPORT_FORMAT_INVALID({ field: 'format' }));
        }
        const branchId = query.branchId ?? fields['branchId'];
        if (branchId !== undefined && !isUUID(branchId)) {
          return Promise.reject(CommonError.VALIDATION_FAILED({ fields: 'branchId', errors: [{ field: 'branchId', messages: ['branchId must be a UUID'] }] }));
        }
        return this.branches
          .assertExist(branchId ? [branchId] : [], 'branchId')
          .then(() => this.importer.import(file, format as ImportFormat, { defaultBranchId: branchId }));
      },
      () => CatalogError.IMPORT_FILE_MISSING({ field: 'file' }),
    );
  }

  /** One box for title, author, ISBN, subject and call number; shows copies per branch. */
  @Public()
  @Get('search')
  @Answers(RecordPage)
  search(@Query() query: SearchQuery) {
    return this.catalog.search(query);
  }

  @Public()
  @Get('records/:id')
  @Answers(RecordWithItems)
  record(@UuidParam('id') id: string) {
    return this.catalog.getRecord(id);
  }

  @Roles('librarian', 'admin')
  @Post('records')
  @AnswersCreated(RecordWithItems, 'Created: the record with its copies (none yet)')
  createRecord(@Body() body: CreateRecordDto) {
    return this.catalog.createRecord(body);
  }

  @Roles('librarian', 'admin')
  @Post('items')
  @AnswersCreated(ItemView)
  createItem(@Body() body: CreateItemDto) {
    return this.catalog.createItem(body);
  }

  /** 批量修改, step one: what setting these fields on these copies would change, and which barcodes are unknown. Changes nothing. */
  @Roles('librarian', 'admin')
  @HttpCode(200)
  @Post('items/bulk-edit/preview')
  @Answers(BulkEditPreview)
  previewBulkEdit(@Body() body: ItemBulkEditDto, @CurrentPrincipal() principal: Principal) {
    return this.bulkEdit.preview(body, editorOf(principal));
  }

  /**
   * 批量修改, step two: the same body, applied in one transaction. Unknown barcodes (400) or copies of
   * another branch (403, for librarians) refuse the whole edit and are listed in the error's details.
   * Each changed copy gets an item_edit record: who, when, each field from and to.
   */
  @Roles('librarian', 'admin')
  @Idempotent()
  @HttpCode(200)
  @Post('items/bulk-edit')
  @Answers(BulkEditPreview)
  applyBulkEdit(@Body() body: ItemBulkEditDto, @CurrentPrincipal() principal: Principal) {
    return this.bulkEdit.apply(body, editorOf(principal));
  }

  @Roles('librarian', 'kiosk', 'admin')
  @Get('items/:barcode')
  @Answers(ItemView)
  item(@Param('barcode') barcode: string) {
    return this.catalog.itemByBarcode(barcode);
  }
}

/** Librarians edit the copies their branches own; admins any. */
function editorOf(principal: Principal): Editor {
  return { staffId: principal.id, scope: principal.role === 'admin' ? 'all' : { branchIds: principal.branchIds } };
}

function formatFromName(name: string): string | undefined {
  const lower = name.toLowerCase();
  if (lower.endsWith('.mrc') || lower.endsWith('.marc') || lower.endsWith('.iso')) return 'marc';
  if (lower.endsWith('.xml')) return 'marcxml';
  if (lower.endsWith('.csv')) return 'csv';
  return undefined;
}
