import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { isPgError, Page, PgErrorCode, pageWindow } from '@lib/db';
import { BranchesService } from '@lib/network';
import { BibRecord } from '../entities/bib-record.entity';
import { Item } from '../entities/item.entity';
import { BranchAvailability, CreateItemDto, CreateRecordDto, ItemView, RecordView, SearchQuery } from '../dto/catalog.dto';
import { CatalogError } from '../catalog.errors';
import { isbnProblem, normalizeIsbn } from '../isbn';
import { foldText, hasCjk, queryGrams, searchTermsOf } from '../search-terms';

export type RecordFields = Omit<CreateRecordDto, 'isbns'> & { isbns: string[] };

@Injectable()
export class CatalogService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly branches: BranchesService,
  ) {}

  async createRecord(input: CreateRecordDto): Promise<RecordView & { items: ItemView[] }> {
    const isbns = normalizeIsbns(input.isbns ?? []);
    try {
      const record = await this.dataSource.transaction((em) => this.insertRecord(em, { ...input, isbns }));
      return this.getRecord(record.id);
    } catch (e) {
      if (isPgError(e, PgErrorCode.UniqueViolation, 'bib_record_control_number_key')) {
        throw CatalogError.CONTROL_NUMBER_TAKEN({ field: 'controlNumber', controlNumber: input.controlNumber });
      }
      throw e;
    }
  }

  /** Inserts or, given an existing id, replaces a record's fields; search terms are derived here, always. */
  async insertRecord(em: EntityManager, fields: RecordFields, existingId?: string): Promise<BibRecord> {
    const values = {
      controlNumber: fields.controlNumber ?? null,
      isbns: fields.isbns,
      title: fields.title.trim(),
      titleVariants: fields.titleVariants ?? [],
      responsibility: fields.responsibility ?? null,
      authors: fields.authors ?? [],
      publisher: fields.publisher ?? null,
      year: fields.year ?? null,
      language: fields.language ?? null,
      subjects: fields.subjects ?? [],
      callNumber: fields.callNumber ?? null,
    };
    const repo = em.getRepository(BibRecord);
    const terms = searchTermsOf(values);
    if (existingId) {
      await repo.update({ id: existingId }, { ...values, ...terms });
      return repo.findOneByOrFail({ id: existingId });
    }
    return repo.save(repo.create({ ...values, ...terms }));
  }

  async createItem(input: CreateItemDto): Promise<ItemView> {
    await this.branches.assertExist([input.branchId], 'branchId');
    try {
      return await this.dataSource.transaction(async (em) => {
        if (!(await em.getRepository(BibRecord).exists({ where: { id: input.recordId } }))) {
          throw CatalogError.RECORD_NOT_FOUND({ id: input.recordId, field: 'recordId' });
        }
        return toItemView(await this.insertItem(em, input));
      });
    } catch (e) {
      if (isPgError(e, PgErrorCode.UniqueViolation, 'item_barcode_key')) throw CatalogError.BARCODE_TAKEN({ field: 'barcode', barcode: input.barcode });
      throw e;
    }
  }

  async insertItem(em: EntityManager, input: CreateItemDto): Promise<Item> {
    const repo = em.getRepository(Item);
    return repo.save(
      repo.create({
        recordId: input.recordId,
        barcode: input.barcode,
        homeBranchId: input.branchId,
        circulatingBranchId: input.branchId,
        currentBranchId: input.branchId,
        itemType: input.itemType,
        status: 'available',
        shelvingLocation: input.shelvingLocation ?? null,
        callNumber: input.callNumber ?? null,
        price: input.price ?? null,
        acquiredOn: input.acquiredOn ?? null,
        floating: input.floating ?? false,
      }),
    );
  }

  async getRecord(id: string): Promise<RecordView & { items: ItemView[] }> {
    const record = await this.dataSource.getRepository(BibRecord).findOneBy({ id });
    if (!record) throw CatalogError.RECORD_NOT_FOUND({ id });
    const items = await this.dataSource.getRepository(Item).find({ where: { recordId: id }, order: { barcode: 'ASC' } });
    const availability = await this.availabilityOf([id]);
    return { ...toRecordView(record, availability.get(id) ?? []), items: items.map(toItemView) };
  }

  async itemByBarcode(barcode: string): Promise<ItemView> {
    const item = await this.dataSource.getRepository(Item).findOneBy({ barcode });
    if (!item) throw CatalogError.ITEM_NOT_FOUND({ barcode });
    return toItemView(item);
  }

  /**
   * Title, author, ISBN, subject and call number in one box. Chinese queries go through the CJK gram
   * index and are confirmed with LIKE; others through the trigram index; an ISBN matches exactly.
   */
  async search(query: SearchQuery): Promise<Page<RecordView>> {
    const { skip, take, page, pageSize } = pageWindow(query);
    const where: string[] = [];
    const params: unknown[] = [];
    const isbn = normalizeIsbn(query.q);
    if (isbn) {
      params.push([isbn]);
      where.push(`r.isbns @> $${params.length}::varchar[]`);
    } else {
      const folded = foldText(query.q);
      if (!folded) return { items: [], total: 0, page, pageSize };
      if (hasCjk(folded)) {
        params.push(queryGrams(folded));
        where.push(`r.search_grams @> $${params.length}::text[]`);
      }
      params.push(`%${folded.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      where.push(`r.search_text LIKE $${params.length}`);
    }
    if (query.branchId) {
      params.push(query.branchId);
      where.push(`EXISTS (SELECT 1 FROM item i WHERE i.record_id = r.id AND i.home_branch_id = $${params.length})`);
    }
    params.push(take, skip);
    const rows: Array<BibRecordRow & { total: string }> = await this.dataSource.query(
      `SELECT r.*, count(*) OVER () AS total FROM bib_record r WHERE ${where.join(' AND ')}
        ORDER BY r.title, r.id LIMIT $${params.length - 1} OFFSET $${params.length}`,
      params,
    );
    const availability = await this.availabilityOf(rows.map((r) => r.id));
    const total = rows.length ? Number(rows[0].total) : skip > 0 ? await this.countMatches(where, params.slice(0, -2)) : 0;
    return { items: rows.map((r) => toRecordView(fromRow(r), availability.get(r.id) ?? [])), total, page, pageSize };
  }

  private async countMatches(where: string[], params: unknown[]): Promise<number> {
    const [{ n }] = await this.dataSource.query(`SELECT count(*)::int AS n FROM bib_record r WHERE ${where.join(' AND ')}`, params);
    return n;
  }

  /** Copies per branch (where they belong now) and how many of them are on that shelf. */
  async availabilityOf(recordIds: string[]): Promise<Map<string, BranchAvailability[]>> {
    const map = new Map<string, BranchAvailability[]>();
    if (!recordIds.length) return map;
    const rows: Array<{ record_id: string; branch_id: string; total: number; available: number }> = await this.dataSource.query(
      `SELECT record_id, circulating_branch_id AS branch_id, count(*)::int AS total,
              count(*) FILTER (WHERE status = 'available' AND current_branch_id = circulating_branch_id)::int AS available
         FROM item WHERE record_id = ANY($1::uuid[]) AND status <> 'withdrawn'
        GROUP BY record_id, circulating_branch_id ORDER BY record_id, circulating_branch_id`,
      [recordIds],
    );
    for (const r of rows) {
      const list = map.get(r.record_id) ?? [];
      list.push({ branchId: r.branch_id, total: r.total, available: r.available });
      map.set(r.record_id, list);
    }
    return map;
  }
}

export function normalizeIsbns(values: string[]): string[] {
  const out: string[] = [];
  for (const value of values) {
    const isbn = normalizeIsbn(value);
    if (!isbn) throw CatalogError.ISBN_INVALID({ field: 'isbns', isbn: value, problem: isbnProblem(value) ?? 'format' });
    if (!out.includes(isbn)) out.push(isbn);
  }
  return out;
}

interface BibRecordRow {
  id: string;
  control_number: string | null;
  isbns: string[];
  title: string;
  title_variants: string[];
  responsibility: string | null;
  authors: string[];
  publisher: string | null;
  year: number | null;
  language: string | null;
  subjects: string[];
  call_number: string | null;
}

function fromRow(r: BibRecordRow): BibRecord {
  return Object.assign(new BibRecord(), {
    id: r.id,
    controlNumber: r.control_number,
    isbns: r.isbns,
    title: r.title,
    titleVariants: r.title_variants,
    responsibility: r.responsibility,
    authors: r.authors,
    publisher: r.publisher,
    year: r.year,
    language: r.language,
    subjects: r.subjects,
    callNumber: r.call_number,
  });
}

function toRecordView(r: BibRecord, availability: BranchAvailability[]): RecordView {
  return {
    id: r.id,
    controlNumber: r.controlNumber,
    title: r.title,
    titleVariants: r.titleVariants,
    responsibility: r.responsibility,
    authors: r.authors,
    isbns: r.isbns,
    publisher: r.publisher,
    year: r.year,
    language: r.language,
    subjects: r.subjects,
    callNumber: r.callNumber,
    itemCount: availability.reduce((n, a) => n + a.total, 0),
    availability,
  };
}

export function toItemView(i: Item): ItemView {
  return {
    id: i.id,
    recordId: i.recordId,
    barcode: i.barcode,
    homeBranchId: i.homeBranchId,
    circulatingBranchId: i.circulatingBranchId,
    currentBranchId: i.currentBranchId,
    itemType: i.itemType,
    status: i.status,
    shelvingLocation: i.shelvingLocation,
    callNumber: i.callNumber,
    price: i.price,
    acquiredOn: i.acquiredOn,
    floating: i.floating,
  };
}
