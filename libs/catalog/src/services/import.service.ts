import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Readable } from 'node:stream';
import { DataSource, EntityManager } from 'typeorm';
import { Branch } from '@lib/network';
import { BibRecord } from '../entities/bib-record.entity';
import { Item, ItemType } from '../entities/item.entity';
import { BibRecordInput, ImportFormat, ItemInput, parserFor, ParseOutcome } from '../import';
import { CatalogService } from './catalog.service';

export interface ImportReport {
  format: ImportFormat;
  imported: number;
  updated: number;
  rejected: number;
  itemsCreated: number;
  itemsSkipped: number;
  /** The first 1,000 rejections, each with the record's position and the reason. */
  rejections: Array<{ index: number; controlNumber?: string | null; reason: string }>;
  /** The first 1,000 warnings (dropped ISBNs, unknown branch codes, barcodes already elsewhere). */
  warnings: Array<{ index: number; message: string }>;
}

const BATCH = 200;
const LISTED = 1000;

/** Koha and common export codes for the four item types the platform counts. */
function itemTypeOf(code: string | null): ItemType {
  const c = (code ?? '').toUpperCase();
  if (['CR', 'SER', 'PER', 'PERIODICAL', 'JOURNAL', 'MAG'].includes(c)) return 'periodical';
  if (['AV', 'DVD', 'CD', 'VM', 'VIDEO', 'AUDIO', 'AUDIOVISUAL', 'SR'].includes(c)) return 'audiovisual';
  if (['JUV', 'CHILD', 'CHILDREN', 'JF', 'JNF'].includes(c)) return 'children';
  return 'book';
}

/**
 * Streams a MARC, MARCXML or CSV file into the catalogue. Records are matched on control number,
 * else on any ISBN, and updated in place, so importing a file again changes nothing new. Each batch
 * is one transaction and each record a savepoint in it: a bad record is rejected alone, with its reason.
 */
@Injectable()
export class ImportService {
  private readonly logger = new Logger('CatalogImport');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly catalog: CatalogService,
  ) {}

  async import(input: Readable, format: ImportFormat, options: { defaultBranchId?: string } = {}): Promise<ImportReport> {
    const report: ImportReport = { format, imported: 0, updated: 0, rejected: 0, itemsCreated: 0, itemsSkipped: 0, rejections: [], warnings: [] };
    const branchByCode = new Map(
      (await this.dataSource.getRepository(Branch).find({ select: { id: true, code: true } }))
        .filter((b) => b.code)
        .map((b) => [b.code!.toUpperCase(), b.id]),
    );
    let batch: ParseOutcome[] = [];
    for await (const outcome of parserFor(format)(input)) {
      batch.push(outcome);
      if (batch.length >= BATCH) {
        await this.importBatch(batch, report, branchByCode, options.defaultBranchId);
        batch = [];
      }
    }
    if (batch.length) await this.importBatch(batch, report, branchByCode, options.defaultBranchId);
    this.logger.log(`import ${format}: ${report.imported} new, ${report.updated} updated, ${report.rejected} rejected, ${report.itemsCreated} items`);
    return report;
  }

  private async importBatch(
    batch: ParseOutcome[],
    report: ImportReport,
    branchByCode: Map<string, string>,
    defaultBranchId: string | undefined,
  ): Promise<void> {
    await this.dataSource.transaction(async (em) => {
      for (const outcome of batch) {
        if (!outcome.ok) {
          reject(report, outcome.index, outcome.reason, outcome.controlNumber);
          continue;
        }
        try {
          await em.transaction(async (savepoint) => {
            const { created, itemsCreated, itemsSkipped, warnings } = await this.upsert(savepoint, outcome.record, branchByCode, defaultBranchId);
            if (created) report.imported++;
            else report.updated++;
            report.itemsCreated += itemsCreated;
            report.itemsSkipped += itemsSkipped;
            for (const message of [...outcome.record.warnings, ...warnings]) {
              if (report.warnings.length < LISTED) report.warnings.push({ index: outcome.index, message });
            }
          });
        } catch (e) {
          reject(report, outcome.index, `could not be stored: ${(e as Error).message.split('\n')[0]}`, outcome.record.controlNumber);
        }
      }
    });
  }

  private async upsert(em: EntityManager, input: BibRecordInput, branchByCode: Map<string, string>, defaultBranchId?: string) {
    const existing = await this.findExisting(em, input);
    const record = await this.catalog.insertRecord(
      em,
      {
        title: input.title,
        titleVariants: input.titleVariants,
        responsibility: input.responsibility ?? undefined,
        authors: input.authors,
        isbns: input.isbns,
        publisher: input.publisher ?? undefined,
        year: input.year ?? undefined,
        language: input.language ?? undefined,
        subjects: input.subjects,
        callNumber: input.callNumber ?? undefined,
        controlNumber: input.controlNumber ?? existing?.controlNumber ?? undefined,
      },
      existing?.id,
    );
    const warnings: string[] = [];
    let itemsCreated = 0;
    let itemsSkipped = 0;
    for (const item of input.items) {
      const result = await this.addItem(em, record.id, item, branchByCode, defaultBranchId);
      if (result === 'created') itemsCreated++;
      else {
        itemsSkipped++;
        if (result !== 'exists') warnings.push(result);
      }
    }
    return { created: !existing, itemsCreated, itemsSkipped, warnings };
  }

  private async findExisting(em: EntityManager, input: BibRecordInput): Promise<BibRecord | null> {
    const repo = em.getRepository(BibRecord);
    if (input.controlNumber) {
      const byControl = await repo.findOneBy({ controlNumber: input.controlNumber });
      if (byControl) return byControl;
    }
    if (input.isbns.length) {
      return repo.createQueryBuilder('r').where('r.isbns && :isbns::varchar[]', { isbns: input.isbns }).orderBy('r.createdAt').getOne();
    }
    return null;
  }

  /** 'created', 'exists' (the same barcode already on this record), or a warning saying why not. */
  private async addItem(em: EntityManager, recordId: string, item: ItemInput, branchByCode: Map<string, string>, defaultBranchId?: string) {
    const found = await em.getRepository(Item).findOne({ select: { id: true, recordId: true }, where: { barcode: item.barcode } });
    if (found) return found.recordId === recordId ? 'exists' : `barcode ${item.barcode} already belongs to another record`;
    const branchId = (item.branchCode && branchByCode.get(item.branchCode.toUpperCase())) || defaultBranchId;
    if (!branchId) return `barcode ${item.barcode}: unknown branch code ${item.branchCode ?? '(none)'}`;
    if (!/^[A-Za-z0-9-]{3,32}$/.test(item.barcode)) return `barcode ${item.barcode} is not 3-32 letters, digits or "-"`;
    await this.catalog.insertItem(em, {
      recordId,
      barcode: item.barcode,
      branchId,
      itemType: itemTypeOf(item.itemType),
      shelvingLocation: item.location ?? undefined,
      callNumber: item.callNumber ?? undefined,
      price: item.price ?? undefined,
      acquiredOn: item.acquiredOn ?? undefined,
    });
    return 'created';
  }
}

function reject(report: ImportReport, index: number, reason: string, controlNumber?: string | null): void {
  report.rejected++;
  if (report.rejections.length < LISTED) report.rejections.push({ index, reason, ...(controlNumber ? { controlNumber } : {}) });
}
