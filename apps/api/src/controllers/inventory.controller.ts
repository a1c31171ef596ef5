import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { Type } from '@sinclair/typebox';
import { Answers, AnswersCreated } from '../http/answers';
import { InventoryMarked, InventoryReport, InventoryScans, InventorySession } from '../views/circulation.views';
import { ApiTags } from '@nestjs/swagger';
import { ActingBranch, ActsAtBranch, CurrentPrincipal, Principal, Roles } from '@lib/auth';
import { InventoryAtBranchDto, InventoryScanDto, InventoryService, StartInventoryDto } from '@lib/circulation';
import { UuidParam } from '../http/params';
import { Idempotent } from '../http/idempotency.interceptor';

/** Stocktaking (盘点) at a branch's desk: a session per shelf range, scans, the report, marking the unfound missing. */
@ApiTags('circulation')
@Controller('inventory')
export class InventoryController {
  constructor(private readonly inventory: InventoryService) {}

  /** Start a session for a shelf range of the branch: call numbers from/to (CLC order) and/or a shelving location. */
  @Roles('librarian', 'admin')
  @ActsAtBranch('body', 'branchId')
  @Post('sessions')
  @AnswersCreated(InventorySession)
  start(@Body() body: StartInventoryDto, @ActingBranch() branchId: string, @CurrentPrincipal() principal: Principal) {
    return this.inventory.start({ ...body, branchId, staffId: principal.kind === 'staff' ? principal.id : null });
  }

  /** The branch's sessions, newest first. */
  @Roles('librarian', 'admin')
  @ActsAtBranch('query', 'branchId')
  @Get('sessions')
  @Answers(Type.Array(InventorySession))
  list(@Query() _query: InventoryAtBranchDto, @ActingBranch() branchId: string) {
    return this.inventory.list(branchId);
  }

  /** The report: missing, checked out, belonging elsewhere, out of order, unknown, found; with counts. */
  @Roles('librarian', 'admin')
  @ActsAtBranch('query', 'branchId')
  @Get('sessions/:id')
  @Answers(InventoryReport)
  report(@UuidParam('id') id: string, @Query() _query: InventoryAtBranchDto, @ActingBranch() branchId: string) {
    return this.inventory.report(id, branchId);
  }

  /** One barcode as scanned, or a file's worth (`barcodes`), stored in the order given; each answered with what it means here. */
  @Roles('librarian', 'admin')
  @ActsAtBranch('body', 'branchId')
  @HttpCode(200)
  @Post('sessions/:id/scans')
  @Answers(InventoryScans)
  scan(@UuidParam('id') id: string, @Body() body: InventoryScanDto, @ActingBranch() branchId: string) {
    return this.inventory.scan(id, branchId, body.barcodes ?? [body.barcode!]);
  }

  /** Mark missing the copies expected on the shelf that no scan found; each copy once, however often it is sent. */
  @Roles('librarian', 'admin')
  @ActsAtBranch('body', 'branchId')
  @Idempotent()
  @HttpCode(200)
  @Post('sessions/:id/mark-missing')
  @Answers(InventoryMarked)
  markMissing(@UuidParam('id') id: string, @Body() _body: InventoryAtBranchDto, @ActingBranch() branchId: string) {
    return this.inventory.markMissing(id, branchId);
  }
}
