import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { DateTime } from 'luxon';
import { Item } from '@lib/catalog';
import { Branch, BranchesService, nextOpenDay } from '@lib/network';
import { PatronsService } from '@lib/accounts';
import { recordUsage } from '@lib/stats';
import { notify } from '@lib/notifications';

import { Hold } from '../entities/hold.entity';
import { Transit } from '../entities/transit.entity';
import { Routing, routeReturn } from '../rules/routing';
import { PoliciesService } from './policies.service';

/**
 * Decides and carries out where a copy in hand at a branch goes next — the one place that does it,
 * for the desk, kiosks, transit receipt, cancelled and expired holds alike. The caller holds the
 * item's row lock and its transaction.
 */
@Injectable()
export class ItemRouter {
  constructor(
    private readonly policies: PoliciesService,
    private readonly branches: BranchesService,
    private readonly patrons: PatronsService,
  ) {}

  async routeAt(em: EntityManager, item: Item, branchId: string): Promise<Routing> {
    const hold = (await this.holdTrapping(em, item.id)) ?? (await this.firstFillableHold(em, item));
    const floats =
      item.floating || (branchId !== item.circulatingBranchId && (await this.policies.floats(em, branchId, item.circulatingBranchId)));
    const routing = routeReturn({
      checkinBranchId: branchId,
      circulatingBranchId: item.circulatingBranchId,
      floats,
      hold: hold ? { id: hold.id, pickupBranchId: hold.pickupBranchId } : undefined,
    });
    const items = em.getRepository(Item);
    switch (routing.action) {
      case 'hold-shelf':
        await items.update({ id: item.id }, { status: 'on_hold_shelf', currentBranchId: branchId });
        await this.makeReady(em, hold!, item);
        break;
      case 'transit':
        await items.update({ id: item.id }, { status: 'in_transit', currentBranchId: branchId });
        if (hold) await em.getRepository(Hold).update({ id: hold.id }, { status: 'in_transit', trappedItemId: item.id });
        await em.getRepository(Transit).insert({
          itemId: item.id,
          fromBranchId: branchId,
          toBranchId: routing.destinationBranchId!,
          reason: hold ? 'hold' : 'return_home',
          holdId: hold?.id ?? null,
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

  /** The hold is on the shelf at its pickup branch from now until the end of its Nth open day there. */
  async makeReady(em: EntityManager, hold: Hold, item: Item): Promise<void> {
    const borrower = await this.patrons.borrowerById(hold.patronId, em);
    const policy = await this.policies.resolve(
      { patronCategory: borrower.category, itemType: item.itemType, branchId: hold.pickupBranchId },
      em,
    );
    const calendar = await this.branches.openingCalendar(hold.pickupBranchId, undefined, em);
    let day = DateTime.now().setZone(calendar.timeZone).toISODate()!;
    for (let n = 0; n < policy.holdPickupDays; n++) {
      day = nextOpenDay(calendar, n === 0 ? day : DateTime.fromISO(day).plus({ days: 1 }).toISODate()!) ?? day;
    }
    const expiresAt = DateTime.fromISO(day, { zone: calendar.timeZone }).endOf('day').toJSDate();
    await em.getRepository(Hold).update({ id: hold.id }, { status: 'ready', trappedItemId: item.id, readyAt: new Date(), expiresAt });
    await recordUsage(em, { kind: 'hold_filled', branchId: hold.pickupBranchId, itemType: item.itemType, patronCategory: borrower.category });
    const [{ title }] = await em.query('SELECT title FROM bib_record WHERE id = $1', [item.recordId]);
    const pickup = await em.getRepository(Branch).findOneByOrFail({ id: hold.pickupBranchId });
    await notify(em, {
      recipientKind: 'patron',
      recipientId: hold.patronId,
      kind: 'hold_ready',
      payload: { holdId: hold.id, recordId: item.recordId, title, branchId: pickup.id, branchName: pickup.name, deadline: day, expiresAt: expiresAt.toISOString() },
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

  /** First come, first served: the oldest waiting hold on this title (or on this very copy). */
  private firstFillableHold(em: EntityManager, item: Item): Promise<Hold | null> {
    return em
      .getRepository(Hold)
      .createQueryBuilder('h')
      .setLock('pessimistic_write')
      .setOnLocked('skip_locked')
      .where('h.recordId = :recordId', { recordId: item.recordId })
      .andWhere(`h.status = 'waiting'`)
      .andWhere('(h.itemId IS NULL OR h.itemId = :itemId)', { itemId: item.id })
      .orderBy('h.placedAt', 'ASC')
      .addOrderBy('h.id', 'ASC')
      .limit(1)
      .getOne();
  }
}
