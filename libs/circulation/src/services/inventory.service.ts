import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Branch, NetworkError } from '@lib/network';
import { usageInsert } from '@lib/stats';
import { CirculationError } from '../circulation.errors';
import { compareCallNumbers } from '../rules/call-number';
import { belongsToShelf, ElsewhereReason, judgeScan, outOfOrder, ScanVerdict, ShelfCopy, ShelfRange } from '../rules/inventory';

export interface InventorySessionView {
  id: string;
  branchId: string;
  callNumberFrom: string | null;
  callNumberTo: string | null;
  shelvingLocation: string | null;
  startedAt: Date;
  scanCount: number;
  missingMarkedAt: Date | null;
}

/** A copy in a report line: no reader's data, only the copy's. */
export interface InventoryCopyLine {
  barcode: string;
  title: string;
  callNumber: string | null;
  status: string;
}

export interface InventoryReport {
  session: InventorySessionView;
  counts: { scans: number; barcodes: number; expected: number; onShelf: number; missing: number; checkedOut: number; elsewhere: number; outOfOrder: number; unknown: number; found: number };
  /** Expected on the shelf, not scanned: status available (not marked yet) or missing (marked). */
  missing: InventoryCopyLine[];
  checkedOut: Array<InventoryCopyLine & { dueAt: Date | null }>;
  elsewhere: Array<InventoryCopyLine & { reason: ElsewhereReason; circulatingBranchId: string }>;
  outOfOrder: Array<InventoryCopyLine & { seq: number; previousCallNumber: string | null }>;
  unknown: Array<{ barcode: string; seq: number }>;
  /** Missing copies this session's scans brought back. */
  found: Array<InventoryCopyLine & { seq: number }>;
}

export interface InventoryScanResult {
  seq: number;
  barcode: string;
  found: boolean;
  verdict: ScanVerdict;
}

interface CopyRow extends ShelfCopy {
  id: string;
  title: string;
  dueAt: Date | null;
}

const COPY_COLUMNS = `i.id, i.barcode, i.status, i.circulating_branch_id AS "circulatingBranchId", i.current_branch_id AS "currentBranchId",
  i.call_number AS "callNumber", i.shelving_location AS "shelvingLocation", r.title`;

/**
 * Stocktaking (盘点): a librarian walks a shelf range of a branch scanning barcodes into a session; the
 * report compares what was scanned with what the catalogue expects there; one action marks the copies not
 * found missing, and any later scan of a missing copy (an inventory, or check-in) finds it again.
 *
 * Lock order: the session row, then copies by id. Scanning and marking take the session row first, so
 * parallel scanners of one session queue briefly and every scan gets its own seq, and a mark sees every
 * scan committed before it.
 */
@Injectable()
export class InventoryService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async start(input: { branchId: string; callNumberFrom?: string; callNumberTo?: string; shelvingLocation?: string; staffId: string | null }): Promise<InventorySessionView> {
    const from = input.callNumberFrom?.trim() || null;
    const to = input.callNumberTo?.trim() || null;
    const location = input.shelvingLocation?.trim() || null;
    if (!from && !to && !location) throw CirculationError.INVENTORY_RANGE_EMPTY({ field: 'callNumberFrom' });
    if (from && to && compareCallNumbers(from, to) > 0) throw CirculationError.INVENTORY_RANGE_REVERSED({ from, to, field: 'callNumberTo' });
    return this.dataSource.transaction(async (em) => {
      if (!(await em.getRepository(Branch).existsBy({ id: input.branchId }))) throw NetworkError.BRANCH_NOT_FOUND({ id: input.branchId, field: 'branchId' });
      const [row] = await em.query(
        `INSERT INTO inventory_session (branch_id, call_number_from, call_number_to, shelving_location, started_by)
         VALUES ($1, $2, $3, $4, $5) RETURNING ${SESSION_COLUMNS}`,
        [input.branchId, from, to, location, input.staffId],
      );
      return row as InventorySessionView;
    });
  }

  /** The branch's sessions, newest first, so the desk can take one up again. */
  async list(branchId: string): Promise<InventorySessionView[]> {
    return this.dataSource.query(`SELECT ${SESSION_COLUMNS} FROM inventory_session WHERE branch_id = $1 ORDER BY started_at DESC, id LIMIT 50`, [branchId]);
  }

  /**
   * Stores the barcodes in the order given, numbered after the session's last scan, in one transaction.
   * A scanned copy that was missing is found: available again, here.
   */
  async scan(sessionId: string, branchId: string, barcodes: readonly string[]): Promise<{ scans: InventoryScanResult[] }> {
    return this.dataSource.transaction(async (em) => {
      const [[session]] = await em.query(
        `UPDATE inventory_session SET scan_count = scan_count + $3 WHERE id = $1 AND branch_id = $2 RETURNING ${SESSION_COLUMNS}`,
        [sessionId, branchId, barcodes.length],
      );
      if (!session) throw CirculationError.INVENTORY_NOT_FOUND({ id: sessionId });
      const first = (session as InventorySessionView).scanCount - barcodes.length + 1;
      const distinct = [...new Set(barcodes)];
      const found: Array<{ barcode: string; item_type: string }> = (
        await em.query(
          `WITH locked AS (SELECT id FROM item WHERE barcode = ANY($1::varchar[]) AND status = 'missing' ORDER BY id FOR UPDATE)
           UPDATE item i SET status = 'available', current_branch_id = $2, updated_at = now() FROM locked WHERE i.id = locked.id
           RETURNING i.barcode, i.item_type`,
          [distinct, branchId],
        )
      )[0];
      const foundBarcodes = new Set(found.map((f) => f.barcode));
      const seqs = barcodes.map((_, i) => first + i);
      const firstOf = new Map<string, number>();
      barcodes.forEach((b, i) => firstOf.has(b) || firstOf.set(b, i));
      const foundFlags = barcodes.map((b, i) => foundBarcodes.has(b) && firstOf.get(b) === i);
      await em.query(
        `INSERT INTO inventory_scan (session_id, seq, barcode, found) SELECT $1, s, b, f FROM unnest($2::int[], $3::varchar[], $4::bool[]) AS t(s, b, f)`,
        [sessionId, seqs, barcodes, foundFlags],
      );
      if (found.length) {
        await em.query(...usageInsert(found.map((f) => ({ kind: 'item_found' as const, branchId, itemType: f.item_type, attributes: { via: 'inventory' } }))));
      }
      const copies = await this.copiesByBarcode(em, distinct);
      const range = rangeOf(session);
      return {
        scans: barcodes.map((barcode, i) => ({ seq: seqs[i], barcode, found: foundFlags[i], verdict: judgeScan(copies.get(barcode) ?? null, range) })),
      };
    });
  }

  /** What the shelf scan shows, as of now. */
  async report(sessionId: string, branchId: string): Promise<InventoryReport> {
    const em = this.dataSource.manager;
    const session = await this.session(em, sessionId, branchId);
    return this.reportOf(em, session);
  }

  /**
   * Marks missing, in one transaction, the copies expected on the shelf (available here) that no scan of
   * this session found. Run again, or twice at once, it marks each copy once: the second waits for the
   * session row and finds them missing already. Returns the copies this run marked.
   */
  async markMissing(sessionId: string, branchId: string): Promise<{ marked: string[]; markedBySession: number }> {
    return this.dataSource.transaction(async (em) => {
      const session = await this.session(em, sessionId, branchId, true);
      const report = await this.reportOf(em, session);
      const candidates = report.missing.filter((c) => c.status === 'available').map((c) => c.barcode);
      const [marked]: [Array<{ id: string; barcode: string }>] = await em.query(
        `WITH locked AS (SELECT id FROM item WHERE barcode = ANY($1::varchar[]) ORDER BY id FOR UPDATE)
         UPDATE item i SET status = 'missing', updated_at = now() FROM locked
          WHERE i.id = locked.id AND i.status = 'available' AND i.current_branch_id = $2
         RETURNING i.id, i.barcode`,
        [candidates, branchId],
      );
      await em.query(
        `INSERT INTO inventory_missing (session_id, item_id) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING`,
        [sessionId, marked.map((m) => m.id)],
      );
      await em.query(`UPDATE inventory_session SET missing_marked_at = now() WHERE id = $1`, [sessionId]);
      const [{ n }]: Array<{ n: number }> = await em.query(`SELECT count(*)::int AS n FROM inventory_missing WHERE session_id = $1`, [sessionId]);
      return { marked: marked.map((m) => m.barcode).sort(), markedBySession: n };
    });
  }

  private async session(em: EntityManager, id: string, branchId: string, lock = false): Promise<InventorySessionView> {
    const [row] = await em.query(`SELECT ${SESSION_COLUMNS} FROM inventory_session WHERE id = $1 AND branch_id = $2 ${lock ? 'FOR UPDATE' : ''}`, [id, branchId]);
    if (!row) throw CirculationError.INVENTORY_NOT_FOUND({ id });
    return row as InventorySessionView;
  }

  private async copiesByBarcode(em: EntityManager, barcodes: string[]): Promise<Map<string, CopyRow>> {
    const rows: CopyRow[] = await em.query(
      `SELECT ${COPY_COLUMNS}, (SELECT l.due_at FROM loan l WHERE l.item_id = i.id AND l.closed_at IS NULL) AS "dueAt"
         FROM item i JOIN bib_record r ON r.id = i.record_id WHERE i.barcode = ANY($1::varchar[])`,
      [barcodes],
    );
    return new Map(rows.map((r) => [r.barcode, r]));
  }

  private async reportOf(em: EntityManager, session: InventorySessionView): Promise<InventoryReport> {
    const range = rangeOf(session);
    // Each barcode at its first scan, in scan order.
    const scans: Array<{ barcode: string; seq: number; found: boolean }> = await em.query(
      `SELECT barcode, seq, found FROM (
         SELECT DISTINCT ON (barcode) barcode, seq, bool_or(found) OVER (PARTITION BY barcode) AS found
           FROM inventory_scan WHERE session_id = $1 ORDER BY barcode, seq) s ORDER BY seq`,
      [session.id],
    );
    const copies = await this.copiesByBarcode(em, scans.map((s) => s.barcode));
    // On the shelf by the catalogue: the branch's copies available here, or marked missing, within the range.
    const shelf: CopyRow[] = (
      await em.query(
        `SELECT ${COPY_COLUMNS}, NULL AS "dueAt" FROM item i JOIN bib_record r ON r.id = i.record_id
          WHERE i.circulating_branch_id = $1 AND ($2::varchar IS NULL OR i.shelving_location = $2)
            AND ((i.status = 'available' AND i.current_branch_id = $1) OR i.status = 'missing')`,
        [session.branchId, session.shelvingLocation],
      )
    ).filter((c: CopyRow) => belongsToShelf(c, range));
    const line = (c: CopyRow): InventoryCopyLine => ({ barcode: c.barcode, title: c.title, callNumber: c.callNumber, status: c.status });
    const byCall = (a: { callNumber: string | null; barcode: string }, b: { callNumber: string | null; barcode: string }) =>
      compareCallNumbers(a.callNumber ?? '', b.callNumber ?? '') || (a.barcode < b.barcode ? -1 : 1);
    const scanned = new Set(scans.map((s) => s.barcode));
    const report: InventoryReport = {
      session,
      counts: { scans: session.scanCount, barcodes: scans.length, expected: shelf.length, onShelf: 0, missing: 0, checkedOut: 0, elsewhere: 0, outOfOrder: 0, unknown: 0, found: 0 },
      missing: shelf.filter((c) => !scanned.has(c.barcode)).map(line).sort(byCall),
      checkedOut: [],
      elsewhere: [],
      outOfOrder: [],
      unknown: [],
      found: [],
    };
    const onShelf: Array<{ barcode: string; callNumber: string | null; seq: number }> = [];
    for (const s of scans) {
      const copy = copies.get(s.barcode) ?? null;
      const verdict = judgeScan(copy, range);
      if (copy && s.found) report.found.push({ ...line(copy), seq: s.seq });
      if (verdict.kind === 'unknown') report.unknown.push({ barcode: s.barcode, seq: s.seq });
      else if (verdict.kind === 'checked_out') report.checkedOut.push({ ...line(copy!), dueAt: copy!.dueAt });
      else if (verdict.kind === 'elsewhere') report.elsewhere.push({ ...line(copy!), reason: verdict.reason, circulatingBranchId: copy!.circulatingBranchId });
      else onShelf.push({ barcode: s.barcode, callNumber: copy!.callNumber, seq: s.seq });
    }
    const wrong = new Set(outOfOrder(onShelf));
    let previous: string | null = null;
    for (const s of onShelf) {
      if (wrong.has(s.barcode)) report.outOfOrder.push({ ...line(copies.get(s.barcode)!), seq: s.seq, previousCallNumber: previous });
      if (s.callNumber !== null) previous = s.callNumber;
    }
    Object.assign(report.counts, {
      onShelf: onShelf.length,
      missing: report.missing.length,
      checkedOut: report.checkedOut.length,
      elsewhere: report.elsewhere.length,
      outOfOrder: report.outOfOrder.length,
      unknown: report.unknown.length,
      found: report.found.length,
    });
    return report;
  }
}

const SESSION_COLUMNS = `id, branch_id AS "branchId", call_number_from AS "callNumberFrom", call_number_to AS "callNumberTo",
  shelving_location AS "shelvingLocation", started_at AS "startedAt", scan_count AS "scanCount", missing_marked_at AS "missingMarkedAt"`;

function rangeOf(session: InventorySessionView): ShelfRange {
  return { branchId: session.branchId, callNumberFrom: session.callNumberFrom, callNumberTo: session.callNumberTo, shelvingLocation: session.shelvingLocation };
}
