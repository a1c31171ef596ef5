import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Item } from '@lib/catalog';
import { recordUsage } from '@lib/stats';
import { Transit } from '../entities/transit.entity';
import { CirculationError } from '../circulation.errors';
import { Routing } from '../rules/routing';
import { ItemRouter } from './item-router';

export interface TransitView {
  id: string;
  itemId: string;
  barcode: string;
  title: string;
  fromBranchId: string;
  toBranchId: string;
  reason: string;
  holdId: string | null;
  sentAt: Date;
}

@Injectable()
export class TransitsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly router: ItemRouter,
  ) {}

  /** Open transits into or out of a branch, oldest first (served by partial indexes on open transits). */
  async list(branchId: string, direction: 'incoming' | 'outgoing'): Promise<TransitView[]> {
    const column = direction === 'incoming' ? 't.to_branch_id' : 't.from_branch_id';
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `SELECT t.id, t.item_id, i.barcode, r.title, t.from_branch_id, t.to_branch_id, t.reason, t.hold_id, t.sent_at
         FROM transit t JOIN item i ON i.id = t.item_id JOIN bib_record r ON r.id = i.record_id
        WHERE ${column} = $1 AND t.received_at IS NULL AND t.cancelled_at IS NULL
        ORDER BY t.sent_at LIMIT 1000`,
      [branchId],
    );
    return rows.map((r) => ({
      id: r.id as string,
      itemId: r.item_id as string,
      barcode: r.barcode as string,
      title: r.title as string,
      fromBranchId: r.from_branch_id as string,
      toBranchId: r.to_branch_id as string,
      reason: r.reason as string,
      holdId: r.hold_id as string | null,
      sentAt: r.sent_at as Date,
    }));
  }

  /** The destination takes the copy in: a hold's copy goes on the hold shelf; anything else is routed from here. */
  async receive(transitId: string, branchId: string): Promise<{ transitId: string } & Routing> {
    return this.dataSource.transaction(async (em) => {
      const transit = await em.getRepository(Transit).findOneBy({ id: transitId });
      if (!transit) throw CirculationError.TRANSIT_NOT_FOUND({ id: transitId });
      const item = await em.getRepository(Item).findOne({ where: { id: transit.itemId }, lock: { mode: 'pessimistic_write' } });
      const open = await em.getRepository(Transit).findOne({ where: { id: transitId }, lock: { mode: 'pessimistic_write' } });
      if (!item || !open || open.receivedAt || open.cancelledAt) throw CirculationError.TRANSIT_NOT_OPEN();
      if (open.toBranchId !== branchId) throw CirculationError.TRANSIT_WRONG_BRANCH({ toBranchId: open.toBranchId });
      await em.getRepository(Transit).update({ id: transitId }, { receivedAt: () => 'now()' });
      await em.query(`DELETE FROM copy_to_pull WHERE item_id = $1`, [item.id]);
      await recordUsage(em, { kind: 'transit_received', branchId, itemType: item.itemType });
      return { transitId, ...(await this.router.routeAt(em, item, branchId)) };
    });
  }
}
