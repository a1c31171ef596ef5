import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { BranchesService } from '@lib/network';
import { BulkEditField, BulkEditLine, BulkEditPreview, ItemBulkEditDto } from '../dto/catalog.dto';
import { CatalogError } from '../catalog.errors';

/** Whose copies an editor may change: any (admin), or those owned by the branches a librarian staffs. */
export type EditorScope = { branchIds: readonly string[] } | 'all';

/** Who edits (recorded in item_edit) and whose copies they may change. */
export interface Editor {
  staffId: string;
  scope: EditorScope;
}

interface CopyRow {
  id: string;
  barcode: string;
  title: string;
  status: string;
  home_branch_id: string;
  home_name: string;
  item_type: string;
  shelving_location: string | null;
}

/**
 * 批量修改: one change (owning branch, item type, shelving location) for many copies. The preview says
 * what would change and which barcodes are unknown; applying does it in one transaction, all or nothing.
 */
@Injectable()
export class ItemBulkEditService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly branches: BranchesService,
  ) {}

  async preview(input: ItemBulkEditDto, editor: Editor): Promise<BulkEditPreview> {
    return (await this.plan(this.dataSource.manager, input, editor.scope, false)).preview;
  }

  /** Refuses (and changes nothing) while a barcode is unknown or a copy is not the editor's. Copies on loan change too. */
  async apply(input: ItemBulkEditDto, editor: Editor): Promise<BulkEditPreview> {
    return this.dataSource.transaction(async (em) => {
      const { preview: plan, idOf } = await this.plan(em, input, editor.scope, true);
      if (plan.unknown.length) throw CatalogError.BULK_EDIT_UNKNOWN_BARCODES({ field: 'barcodes', barcodes: plan.unknown.join(', '), unknown: plan.unknown });
      if (plan.notYours.length) throw CatalogError.BULK_EDIT_NOT_YOURS({ field: 'barcodes', barcodes: plan.notYours.join(', '), notYours: plan.notYours });
      const barcodes = plan.items.filter((i) => Object.keys(i.changes).length).map((i) => i.barcode);
      if (barcodes.length) {
        // A new owner takes the copy onto its shelves too: returned anywhere, it is routed there.
        await em.query(
          `UPDATE item SET home_branch_id = coalesce($2::uuid, home_branch_id),
                           circulating_branch_id = coalesce($2::uuid, circulating_branch_id),
                           item_type = coalesce($3, item_type),
                           shelving_location = CASE WHEN $4 THEN $5 ELSE shelving_location END,
                           updated_at = now()
            WHERE barcode = ANY($1)`,
          [barcodes, input.homeBranchId ?? null, input.itemType ?? null, input.shelvingLocation !== undefined, input.shelvingLocation ?? null],
        );
        const edits = plan.items
          .filter((i) => Object.keys(i.changes).length)
          .map((i) => ({ itemId: idOf.get(i.barcode)!, changes: Object.fromEntries(Object.entries(i.changes).map(([f, c]) => [f, { from: c!.from, to: c!.to }])) }));
        await em.query(
          `INSERT INTO item_edit (item_id, edited_by, changes) SELECT (e->>'itemId')::uuid, $1, e->'changes' FROM jsonb_array_elements($2::jsonb) e`,
          [editor.staffId, JSON.stringify(edits)],
        );
      }
      return plan;
    });
  }

  private async plan(
    em: EntityManager,
    input: ItemBulkEditDto,
    scope: EditorScope,
    lock: boolean,
  ): Promise<{ preview: BulkEditPreview; idOf: Map<string, string> }> {
    if (input.homeBranchId === undefined && input.itemType === undefined && input.shelvingLocation === undefined) {
      throw CatalogError.BULK_EDIT_NOTHING({ field: 'homeBranchId' });
    }
    if (input.homeBranchId) await this.branches.assertExist([input.homeBranchId], 'homeBranchId', em);
    const barcodes = [...new Set(input.barcodes)];
    // Locked in one order (by id), so two edits of overlapping lists wait for each other instead of deadlocking.
    const rows: CopyRow[] = await em.query(
      `SELECT i.id, i.barcode, r.title, i.status, i.home_branch_id, hb.name AS home_name, i.item_type, i.shelving_location
         FROM item i JOIN bib_record r ON r.id = i.record_id JOIN branch hb ON hb.id = i.home_branch_id
        WHERE i.barcode = ANY($1) ORDER BY i.id ${lock ? 'FOR UPDATE OF i' : ''}`,
      [barcodes],
    );
    const byBarcode = new Map(rows.map((r) => [r.barcode, r]));
    const [target] = input.homeBranchId ? await em.query(`SELECT name FROM branch WHERE id = $1`, [input.homeBranchId]) : [];
    const items: BulkEditLine[] = [];
    for (const barcode of barcodes) {
      const row = byBarcode.get(barcode);
      if (!row) continue;
      const changes: BulkEditLine['changes'] = {};
      const change = (field: BulkEditField, from: string | null, to: string | null | undefined, names?: { fromName: string | null; toName: string | null }) => {
        if (to !== undefined && to !== from) changes[field] = { from, to, ...names };
      };
      change('homeBranchId', row.home_branch_id, input.homeBranchId, { fromName: row.home_name, toName: target?.name ?? null });
      change('itemType', row.item_type, input.itemType);
      change('shelvingLocation', row.shelving_location, input.shelvingLocation);
      items.push({ barcode, title: row.title, status: row.status, changes });
    }
    const notYours = scope === 'all' ? [] : rows.filter((r) => !scope.branchIds.includes(r.home_branch_id)).map((r) => r.barcode);
    const preview = {
      unknown: barcodes.filter((b) => !byBarcode.has(b)),
      notYours: barcodes.filter((b) => notYours.includes(b)),
      items,
      changing: items.filter((i) => Object.keys(i.changes).length).length,
    };
    return { preview, idOf: new Map(rows.map((r) => [r.barcode, r.id])) };
  }
}
