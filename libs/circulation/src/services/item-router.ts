import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager, IsNull } from 'typeorm';
import { WriteBatch } from '@lib/db';
import { DateTime } from 'luxon';
import { Item } from '@lib/catalog';
import { Branch, BranchesService, nextOpenDay } from '@lib/network';
import { PatronsService } from '@lib/accounts';
import { recordUsage, usageInsert } from '@lib/stats';
import { notify } from '@lib/notifications';
import { publishAfterCommit, rooms } from '@lib/realtime';
import { Hold } from '../entities/hold.entity';
import { Transit } from '../entities/transit.entity';
import { Routing, routeReturn } from '../rules/routing';
import { PoliciesService } from './policies.service';

/**
 * Decides and carries out where a copy in hand at a branch goes next — the one place that does it,
 * for the desk, kiosks, transit receipt, cancelled, expired and fulfilled holds alike.
 *
 * Lock order, everywhere: the item, then its title (which serialises that title's hold queue, so no
 * waiting hold is ever skipped), then hold rows. The caller holds the item's row lock.
 */
@Injectable()
export class ItemRouter {
  constructor(
    private readonly policies: PoliciesService,
    private readonly branches: BranchesService,
    private readonly patrons: PatronsService,
  ) {}

  async routeAt(em: EntityManager, item: Item, branchId: string): Promise<Routing> {
    await lockTitleQueue(em, item.recordId);
    let hold = await this.holdTrapping(em, item.id);
    if (hold?.status === 'ready' && hold.pickupBranchId === branchId) {
      // Already on this hold shelf (staff scanning the shelf): nothing changes, unless it has lapsed.
      if (hold.expiresAt && hold.expiresAt > new Date()) return { action: 'hold-shelf', holdId: hold.id };
      await this.closeHold(em, hold, 'expired');
      hold = null;
    }
    hold ??= await this.firstFillableHold(em, item);
    const floats =
      item.floating || (branchId !== item.circulatingBranchId && (await this.policies.floats(em, branchId, item.circulatingBranchId)));
    const routing = routeReturn({
      checkinBranchId: branchId,
      circulatingBranchId: item.circulatingBranchId,
      floats,
      hold: hold ? { id: hold.id, pickupBranchId: hold.pickupBranchId } : undefined,
    });
    const items = em.getRepository(Item);
    // A copy in hand ends any transit it was on: received here, or re-routed from here.
    await em.query(
      `UPDATE transit SET received_at = CASE WHEN to_branch_id = $2 THEN now() END,
                          cancelled_at = CASE WHEN to_branch_id = $2 THEN NULL ELSE now() END
        WHERE item_id = $1 AND received_at IS NULL AND cancelled_at IS NULL`,
      [item.id, branchId],
    );
    switch (routing.action) {
      case 'hold-shelf':
        await items.update({ id: item.id }, { status: 'on_hold_shelf', currentBranchId: branchId });
        await this.makeReady(em, hold!, item);
        break;
      case 'transit':
        await items.update({ id: item.id }, { status: 'in_transit', currentBranchId: branchId });
        if (hold) await em.getRepository(Hold).update({ id: hold.id }, { status: 'in_transit', trappedItemId: item.id });
        const sent = await em.getRepository(Transit).insert({
          itemId: item.id,
          fromBranchId: branchId,
          toBranchId: routing.destinationBranchId!,
          reason: hold ? 'hold' : 'return_home',
          holdId: hold?.id ?? null,
        });
        // The receiving branch's staff see it coming.
        publishAfterCommit(em, {
          room: rooms.branch(routing.destinationBranchId!),
          event: 'transit.sent',
          data: { transitId: sent.identifiers[0]?.id ?? null, itemId: item.id, barcode: item.barcode, fromBranchId: branchId, toBranchId: routing.destinationBranchId!, reason: hold ? 'hold' : 'return_home', holdId: hold?.id ?? null },
        });
        await recordUsage(em, { kind: 'transit_sent', branchId, itemType: item.itemType, attributes: { to: routing.destinationBranchId } });
        break;
      case 'shelve':
        await items.update(
          { id: item.id },
          { status: 'available', currentBranchId: branchId, ...(floats ? { circulatingBranchId: branchId } : {}) },
        );
        break;
    }
    return routing;
  }

  /**
   * `routeAt` for the desk's check-in, at database speed: the title's queue locked, then one read for
   * everything the decision needs (the hold this copy serves, the first waiting one, floating, branch
   * names), and the writes added to the caller's batch, sent with the check-in's own. The rules and
   * locks are routeAt's; a copy going onto this branch's hold shelf is made ready at once (its deadline
   * reads the pickup calendar), as is a lapsed hold closed.
   */
  async routeInto(em: EntityManager, batch: WriteBatch, item: CopyInHand, branchId: string): Promise<Routing & { destinationName?: string }> {
    await lockTitleQueue(em, item.recordId);
    const [plan]: Array<{ trapping: PlannedHold | null; first: PlannedHold | null; floats: boolean; home_name: string | null }> = await em.query(
      `SELECT (SELECT row_to_json(t) FROM (${PLANNED_HOLD} WHERE h.trapped_item_id = $1 AND h.status IN ('in_transit', 'ready') FOR UPDATE OF h) t) AS trapping,
              (SELECT row_to_json(t) FROM (${PLANNED_HOLD}
                WHERE h.record_id = $2 AND h.status = 'waiting' AND (h.item_id IS NULL OR h.item_id = $1)
                  AND (coalesce((SELECT shared_circulation FROM branch WHERE id = $3), false) OR h.pickup_branch_id = $3)
                ORDER BY h.placed_at, h.id LIMIT 1 FOR UPDATE OF h) t) AS first,
              EXISTS (SELECT 1 FROM floating_pair WHERE (branch_a_id, branch_b_id) IN (($3::uuid, $4::uuid), ($4::uuid, $3::uuid))) AS floats,
              (SELECT name FROM branch WHERE id = $3) AS home_name`,
      [item.id, item.recordId, item.circulatingBranchId, branchId],
    );
    let hold = plan.trapping;
    if (hold?.status === 'ready' && hold.pickupBranchId === branchId) {
      if (hold.expiresAt && new Date(hold.expiresAt) > new Date()) return { action: 'hold-shelf', holdId: hold.id };
      await this.closeHold(em, hold as unknown as Hold, 'expired');
      hold = null;
    }
    hold ??= plan.first;
    const floats = item.floating || (branchId !== item.circulatingBranchId && plan.floats);
    const routing = routeReturn({
      checkinBranchId: branchId,
      circulatingBranchId: item.circulatingBranchId,
      floats,
      hold: hold ? { id: hold.id, pickupBranchId: hold.pickupBranchId } : undefined,
    });
    // A copy in hand ends any transit it was on: received here, or re-routed from here (before a new one starts).
    batch.add(
      `UPDATE transit SET received_at = CASE WHEN to_branch_id = $2 THEN now() END,
                          cancelled_at = CASE WHEN to_branch_id = $2 THEN NULL ELSE now() END
        WHERE item_id = $1 AND received_at IS NULL AND cancelled_at IS NULL RETURNING 1`,
      [item.id, branchId],
      'transit_ended',
    );
    const moveItem = (status: string, circulating: string | null = null) =>
      batch.add(
        `UPDATE item SET status = $2, current_branch_id = $3, circulating_branch_id = coalesce($4::uuid, circulating_branch_id), updated_at = now() WHERE id = $1`,
        [item.id, status, branchId, circulating],
      );
    switch (routing.action) {
      case 'hold-shelf':
        moveItem('on_hold_shelf');
        await this.makeReady(em, hold as unknown as Hold, item);
        return routing;
      case 'transit': {
        moveItem('in_transit');
        if (hold) batch.add(`UPDATE hold SET status = 'in_transit', trapped_item_id = $2 WHERE id = $1`, [hold.id, item.id]);
        const transitId = randomUUID();
        const reason = hold ? 'hold' : 'return_home';
        batch.add(
          `INSERT INTO transit (id, item_id, from_branch_id, to_branch_id, reason, hold_id)
           SELECT $1, $2, $3, $4, $5, $6 WHERE (SELECT count(*) FROM transit_ended) >= 0`,
          [transitId, item.id, branchId, routing.destinationBranchId, reason, hold?.id ?? null],
        );
        batch.add(...usageInsert([{ kind: 'transit_sent', branchId, itemType: item.itemType, attributes: { to: routing.destinationBranchId } }]));
        // The receiving branch's staff see it coming.
        publishAfterCommit(em, {
          room: rooms.branch(routing.destinationBranchId!),
          event: 'transit.sent',
          data: { transitId, itemId: item.id, barcode: item.barcode, fromBranchId: branchId, toBranchId: routing.destinationBranchId!, reason, holdId: hold?.id ?? null },
        });
        return { ...routing, destinationName: (hold ? hold.pickupBranchName : plan.home_name) ?? undefined };
      }
      case 'shelve':
        moveItem('available', floats ? branchId : null);
        return routing;
    }
  }

  /**
   * Ends a hold (cancelled, expired or fulfilled with another copy). A copy it had set aside moves on:
   * from the hold shelf it serves the next in line or goes home; on the road it keeps going and is
   * routed again on arrival. The caller holds the lock of that copy, if any.
   */
  async closeHold(em: EntityManager, hold: Hold, status: 'cancelled' | 'expired' | 'fulfilled', copy?: Item): Promise<void> {
    const wasReady = hold.status === 'ready';
    await em.getRepository(Hold).update({ id: hold.id }, { status, trappedItemId: null, closedAt: () => 'now()' });
    if (status !== 'fulfilled') {
      await recordUsage(em, { kind: status === 'cancelled' ? 'hold_cancelled' : 'hold_expired', branchId: hold.pickupBranchId });
    }
    if (!hold.trappedItemId || !copy) return;
    if (wasReady) {
      await this.routeAt(em, copy, hold.pickupBranchId);
    } else {
      await em.getRepository(Transit).update({ holdId: hold.id, receivedAt: IsNull(), cancelledAt: IsNull() }, { holdId: null });
    }
  }

  /** On the hold shelf from now until the end of the Nth open day after today at the pickup branch. */
  private async makeReady(em: EntityManager, hold: Hold, item: CopyInHand): Promise<void> {
    const borrower = await this.patrons.borrowerById(hold.patronId, em);
    const policy = await this.policies.resolve({ patronCategory: borrower.category, itemType: item.itemType, branchId: hold.pickupBranchId }, em);
    const pickup = await em.getRepository(Branch).findOneByOrFail({ id: hold.pickupBranchId });
    const today = DateTime.now().setZone(pickup.timeZone);
    const calendar = await this.branches.calendarOf(
      pickup,
      { from: today.toISODate()!, to: today.plus({ days: policy.holdPickupDays * 7 + 370 }).toISODate()! },
      em,
    );
    let day = today.toISODate()!;
    for (let n = 0; n < policy.holdPickupDays; n++) {
      day = nextOpenDay(calendar, DateTime.fromISO(day).plus({ days: 1 }).toISODate()!) ?? day;
    }
    const expiresAt = DateTime.fromISO(day, { zone: pickup.timeZone }).endOf('day').toJSDate();
    await em.getRepository(Hold).update({ id: hold.id }, { status: 'ready', trappedItemId: item.id, readyAt: new Date(), expiresAt });
    await recordUsage(em, { kind: 'hold_filled', branchId: hold.pickupBranchId, itemType: item.itemType, patronCategory: borrower.category });
    // With the title, the mobile library's stop it is picked up at (if any) and the stop's next visit.
    const [{ title, stop_id: stopId, stop_name: stopName, next_visit: nextVisit }]: Array<{ title: string; stop_id: string | null; stop_name: string | null; next_visit: Date | null }> = await em.query(
      `SELECT r.title, st.id AS stop_id, st.name AS stop_name,
              (SELECT min(v.starts_at) FROM mobile_stop_visit v WHERE v.stop_id = st.id AND v.ends_at > now()) AS next_visit
         FROM bib_record r LEFT JOIN hold h ON h.id = $2 LEFT JOIN mobile_stop st ON st.id = h.pickup_stop_id
        WHERE r.id = $1`,
      [item.recordId, hold.id],
    );
    const atStop = stopId
      ? { stopId, stopName, ...(nextVisit ? { nextVisit: DateTime.fromJSDate(nextVisit, { zone: pickup.timeZone }).toFormat('yyyy-MM-dd HH:mm') } : {}) }
      : {};
    // The pickup branch's staff put it on their hold shelf.
    publishAfterCommit(em, {
      room: rooms.branch(pickup.id),
      event: 'hold.trapped',
      data: { holdId: hold.id, itemId: item.id, barcode: item.barcode, title, branchId: pickup.id, expiresAt: expiresAt.toISOString() },
    });
    await notify(em, {
      recipientKind: 'patron',
      recipientId: hold.patronId,
      kind: 'hold_ready',
      payload: { holdId: hold.id, recordId: item.recordId, title, branchId: pickup.id, branchName: pickup.name, deadline: day, expiresAt: expiresAt.toISOString(), ...atStop },
    });
  }

  /** A hold this copy already serves (in transit to, or waiting at, its pickup branch). */
  private holdTrapping(em: EntityManager, itemId: string): Promise<Hold | null> {
    return em
      .getRepository(Hold)
      .createQueryBuilder('h')
      .setLock('pessimistic_write')
      .where('h.trappedItemId = :itemId', { itemId })
      .andWhere(`h.status IN ('in_transit', 'ready')`)
      .getOne();
  }

  /**
   * First come, first served: the oldest waiting hold on this title (or on this very copy). A copy of
   * a branch outside shared circulation only serves holds picked up at that branch.
   */
  private async firstFillableHold(em: EntityManager, item: Item): Promise<Hold | null> {
    const [home] = await em.query(`SELECT shared_circulation FROM branch WHERE id = $1`, [item.circulatingBranchId]);
    const qb = em
      .getRepository(Hold)
      .createQueryBuilder('h')
      .setLock('pessimistic_write')
      .where('h.recordId = :recordId', { recordId: item.recordId })
      .andWhere(`h.status = 'waiting'`)
      .andWhere('(h.itemId IS NULL OR h.itemId = :itemId)', { itemId: item.id });
    if (!home?.shared_circulation) qb.andWhere('h.pickupBranchId = :home', { home: item.circulatingBranchId });
    return qb.orderBy('h.placedAt', 'ASC').addOrderBy('h.id', 'ASC').limit(1).getOne();
  }
}

/** The columns of a copy that circulation decides by (what the desk's locking read returns). */
export type CopyInHand = Pick<Item, 'id' | 'recordId' | 'barcode' | 'homeBranchId' | 'circulatingBranchId' | 'itemType' | 'status' | 'floating'>;

/** A hold as the routing read returns it (row_to_json: timestamps are ISO strings). */
interface PlannedHold {
  id: string;
  patronId: string;
  status: Hold['status'];
  pickupBranchId: string;
  pickupBranchName: string | null;
  trappedItemId: string | null;
  expiresAt: string | null;
}

const PLANNED_HOLD = `SELECT h.id, h.patron_id AS "patronId", h.status, h.pickup_branch_id AS "pickupBranchId", pb.name AS "pickupBranchName",
       h.trapped_item_id AS "trappedItemId", h.expires_at AS "expiresAt"
  FROM hold h LEFT JOIN branch pb ON pb.id = h.pickup_branch_id`;

/** One title's hold queue is changed by one transaction at a time; the others wait (never skip). */
export async function lockTitleQueue(em: EntityManager, recordId: string): Promise<void> {
  await em.query('SELECT 1 FROM bib_record WHERE id = $1 FOR UPDATE', [recordId]);
}
