import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { maskPersonName, PatronsService } from '@lib/accounts';
import { BibRecord, Item } from '@lib/catalog';
import { isPgError, PgErrorCode } from '@lib/db';
import { Branch } from '@lib/network';
import { recordUsage } from '@lib/stats';
import { Hold } from '../entities/hold.entity';
import { PlaceHoldDto } from '../dto/circulation.dto';
import { CirculationError } from '../circulation.errors';
import { branchDistance } from '../rules/routing';
import { ItemRouter, lockTitleQueue } from './item-router';
import { PoliciesService } from './policies.service';

export interface HoldView {
  id: string;
  recordId: string;
  itemId: string | null;
  title: string;
  pickupBranchId: string;
  /** A stop of the mobile library to pick up at, its name, and its next visit that has not ended (null: none scheduled). */
  pickupStopId: string | null;
  pickupStopName: string | null;
  pickupStopNextVisit: { startsAt: Date; endsAt: Date } | null;
  status: string;
  placedAt: Date;
  queuePosition: number | null;
  trappedItemId: string | null;
  readyAt: Date | null;
  expiresAt: Date | null;
}

export interface HoldShelfEntry {
  id: string;
  title: string;
  barcode: string;
  patronName: string;
  cardNumber: string | null;
  readyAt: Date;
  expiresAt: Date;
  /** The mobile library's stop it goes out to (null: picked up at the branch itself). */
  stopId: string | null;
  stopName: string | null;
}

/** A line of the pull list; the resident masked, as on every slip. */
export interface PullListEntry {
  holdId: string;
  placedAt: Date;
  title: string;
  callNumber: string | null;
  shelvingLocation: string | null;
  barcode: string;
  pickupBranchId: string;
  pickupBranchName: string;
  patronName: string;
  cardLast4: string | null;
}

@Injectable()
export class HoldsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly patrons: PatronsService,
    private readonly policies: PoliciesService,
    private readonly router: ItemRouter,
  ) {}

  /**
   * Places a hold for pickup at a participating branch. When nobody is ahead in the queue and a copy
   * sits on a shelf, the copy nearest the pickup branch is trapped at once (hold shelf or transit).
   */
  async place(patronId: string, input: PlaceHoldDto): Promise<HoldView> {
    try {
      const id = await this.dataSource.transaction(async (em) => {
        const pickupStopId = input.pickupStopId ?? null;
        const pickup = await this.pickupBranch(em, input);
        const { recordId, itemId } = await this.target(em, input);
        const borrower = await this.patrons.borrowerById(patronId, em);
        if (borrower.cardStatus !== 'active') throw CirculationError.CARD_NOT_USABLE({ status: borrower.cardStatus });
        await em.query('SELECT 1 FROM patron WHERE id = $1 FOR UPDATE', [patronId]);
        await lockTitleQueue(em, recordId);

        const [{ item_type: itemType }] = await em.query(
          `SELECT coalesce((SELECT item_type FROM item WHERE id = $2), (SELECT mode() WITHIN GROUP (ORDER BY item_type) FROM item WHERE record_id = $1), 'book') AS item_type`,
          [recordId, itemId],
        );
        const policy = await this.policies.resolve({ patronCategory: borrower.category, itemType, branchId: pickup.id }, em);
        if (!policy.holdsAllowed) throw CirculationError.HOLDS_NOT_ALLOWED();
        const [counts]: Array<{ holds: number; on_loan: number; holdable: number }> = await em.query(
          `SELECT (SELECT count(*)::int FROM hold WHERE patron_id = $1 AND status IN ('waiting', 'in_transit', 'ready')) AS holds,
                  (SELECT count(*)::int FROM loan l JOIN item i ON i.id = l.item_id WHERE l.patron_id = $1 AND l.closed_at IS NULL AND i.record_id = $2) AS on_loan,
                  (SELECT count(*)::int FROM item i JOIN branch b ON b.id = i.circulating_branch_id
                    WHERE i.record_id = $2 AND ($3::uuid IS NULL OR i.id = $3) AND i.status NOT IN ('withdrawn', 'lost', 'missing')
                      AND (b.shared_circulation OR b.id = $4)) AS holdable`,
          [patronId, recordId, itemId, pickup.id],
        );
        if (counts.holdable === 0) throw CirculationError.NO_HOLDABLE_COPY();
        if (counts.on_loan > 0) throw CirculationError.HOLD_ALREADY_ON_LOAN();
        if (counts.holds >= policy.maxHolds) throw CirculationError.HOLD_LIMIT_REACHED({ max: policy.maxHolds });

        const hold = await em.getRepository(Hold).save(
          em.getRepository(Hold).create({ patronId, recordId, itemId, pickupBranchId: pickup.id, pickupStopId }),
        );
        await recordUsage(em, { kind: 'hold_placed', branchId: pickup.id, itemType, patronCategory: borrower.category });
        await this.trapAvailableCopy(em, hold);
        return hold.id;
      });
      return (await this.list({ holdId: id }))[0];
    } catch (e) {
      if (isPgError(e, PgErrorCode.UniqueViolation, 'hold_one_per_patron_and_title_key')) throw CirculationError.HOLD_EXISTS();
      throw e;
    }
  }

  /**
   * The branch to pick up at: the one named, or the mobile library of the stop named (a stop of another
   * branch than the one named is refused). The stop is read FOR SHARE so it cannot go while the hold is placed.
   */
  private async pickupBranch(em: EntityManager, input: PlaceHoldDto): Promise<Branch> {
    let branchId = input.pickupBranchId;
    if (input.pickupStopId) {
      const [stop]: Array<{ branch_id: string }> = await em.query(`SELECT branch_id FROM mobile_stop WHERE id = $1 FOR SHARE`, [input.pickupStopId]);
      if (!stop || (branchId && stop.branch_id !== branchId)) throw CirculationError.PICKUP_BRANCH_INVALID({ field: 'pickupStopId' });
      branchId = stop.branch_id;
    }
    const pickup = await em.getRepository(Branch).findOneBy({ id: branchId });
    if (!pickup?.sharedCirculation) throw CirculationError.PICKUP_BRANCH_INVALID({ field: input.pickupBranchId ? 'pickupBranchId' : 'pickupStopId' });
    return pickup;
  }

  /** Cancels a hold; a copy it had set aside goes on to the next in line, or home. */
  async cancel(holdId: string, actor: { patronId?: string }): Promise<HoldView> {
    await this.dataSource.transaction(async (em) => {
      const { hold, copy } = await this.lockHoldAndCopy(em, holdId);
      if (!hold || (actor.patronId && hold.patronId !== actor.patronId)) throw CirculationError.HOLD_NOT_FOUND({ id: holdId });
      if (!['waiting', 'in_transit', 'ready'].includes(hold.status)) throw CirculationError.HOLD_NOT_ACTIVE({ status: hold.status });
      await this.router.closeHold(em, hold, 'cancelled', copy ?? undefined);
    });
    return (await this.list({ holdId }))[0];
  }

  /** Ready holds past their pickup deadline expire and their copies move on. Safe to run twice, or on several instances at once. */
  async expireOverdue(now: Date = new Date()): Promise<{ expired: number }> {
    const due: Array<{ id: string }> = await this.dataSource.query(
      `SELECT id FROM hold WHERE status = 'ready' AND expires_at < $1 ORDER BY expires_at LIMIT 1000`,
      [now],
    );
    let expired = 0;
    for (const { id } of due) {
      await this.dataSource.transaction(async (em) => {
        const { hold, copy } = await this.lockHoldAndCopy(em, id);
        if (hold?.status !== 'ready' || !hold.expiresAt || hold.expiresAt >= now) return;
        await this.router.closeHold(em, hold, 'expired', copy ?? undefined);
        expired++;
      });
    }
    return { expired };
  }

  /** Locks in the platform's order — the copy, its title's queue, then the hold — and re-reads the hold. */
  private async lockHoldAndCopy(em: EntityManager, holdId: string): Promise<{ hold: Hold | null; copy: Item | null }> {
    const glance = await em.getRepository(Hold).findOneBy({ id: holdId });
    if (!glance) return { hold: null, copy: null };
    const copy = glance.trappedItemId
      ? await em.getRepository(Item).findOne({ where: { id: glance.trappedItemId }, lock: { mode: 'pessimistic_write' } })
      : null;
    await lockTitleQueue(em, glance.recordId);
    const hold = await em.getRepository(Hold).findOne({ where: { id: holdId }, lock: { mode: 'pessimistic_write' } });
    // If the hold moved on to another copy meanwhile, that copy is not locked: leave it where it is.
    return { hold, copy: copy && hold?.trappedItemId === copy.id ? copy : null };
  }

  /** Residents waiting for a title (the hold queue length a kiosk shows). */
  async queueLength(recordId: string): Promise<number> {
    const [{ n }] = await this.dataSource.query(`SELECT count(*)::int AS n FROM hold WHERE record_id = $1 AND status = 'waiting'`, [recordId]);
    return n;
  }

  /** The hold shelf at a branch: copies waiting for their readers, by the mobile library's stop (if any), the pickup deadline nearest first. */
  async shelf(branchId: string, stopId?: string): Promise<HoldShelfEntry[]> {
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `SELECT h.id, h.ready_at, h.expires_at, r.title, i.barcode, p.name AS patron_name, h.pickup_stop_id, st.name AS stop_name,
              (SELECT c.number FROM card c WHERE c.patron_id = h.patron_id AND c.status = 'active' LIMIT 1) AS card_number
         FROM hold h JOIN bib_record r ON r.id = h.record_id JOIN item i ON i.id = h.trapped_item_id JOIN patron p ON p.id = h.patron_id
         LEFT JOIN mobile_stop st ON st.id = h.pickup_stop_id
        WHERE h.status = 'ready' AND h.pickup_branch_id = $1 AND ($2::uuid IS NULL OR h.pickup_stop_id = $2)
        ORDER BY st.name NULLS FIRST, h.pickup_stop_id NULLS FIRST, h.expires_at, h.id`,
      [branchId, stopId ?? null],
    );
    return rows.map((r) => ({
      id: r.id as string,
      title: r.title as string,
      barcode: r.barcode as string,
      patronName: r.patron_name as string,
      cardNumber: r.card_number as string | null,
      readyAt: r.ready_at as Date,
      expiresAt: r.expires_at as Date,
      stopId: r.pickup_stop_id as string | null,
      stopName: r.stop_name as string | null,
    }));
  }

  /**
   * 取书单: copies standing on this branch's shelves that holds have set aside, oldest hold first. A copy
   * is listed at the one branch it stands at, for the one hold it serves; scanning it (check-in) takes it off.
   */
  async pullList(branchId: string): Promise<PullListEntry[]> {
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `SELECT h.id AS hold_id, h.placed_at, h.status AS hold_status, h.pickup_branch_id, pb.name AS pickup_branch_name,
              r.title, i.barcode, i.call_number, i.shelving_location, p.name AS patron_name,
              (SELECT right(c.number, 4) FROM card c WHERE c.patron_id = h.patron_id AND c.status IN ('active', 'suspended') LIMIT 1) AS card_last4
         FROM copy_to_pull ctp
         JOIN item i ON i.id = ctp.item_id
         JOIN hold h ON h.trapped_item_id = i.id AND h.status IN ('in_transit', 'ready')
         JOIN bib_record r ON r.id = i.record_id
         JOIN branch pb ON pb.id = h.pickup_branch_id
         JOIN patron p ON p.id = h.patron_id
        WHERE i.current_branch_id = $1 AND i.status IN ('on_hold_shelf', 'in_transit')
        ORDER BY h.placed_at, h.id`,
      [branchId],
    );
    return rows.map((r) => ({
      holdId: r.hold_id as string,
      placedAt: r.placed_at as Date,
      title: r.title as string,
      callNumber: r.call_number as string | null,
      shelvingLocation: r.shelving_location as string | null,
      barcode: r.barcode as string,
      pickupBranchId: r.pickup_branch_id as string,
      pickupBranchName: r.pickup_branch_name as string,
      patronName: maskPersonName(r.patron_name as string),
      cardLast4: r.card_last4 as string | null,
    }));
  }

  async list(filter: { patronId?: string; holdId?: string }): Promise<HoldView[]> {
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `SELECT h.*, r.title, st.name AS pickup_stop_name, nv.starts_at AS next_starts_at, nv.ends_at AS next_ends_at,
              CASE WHEN h.status = 'waiting' THEN (SELECT count(*)::int FROM hold q WHERE q.record_id = h.record_id AND q.status = 'waiting'
                                                     AND (q.placed_at, q.id) <= (h.placed_at, h.id)) END AS queue_position
         FROM hold h JOIN bib_record r ON r.id = h.record_id
         LEFT JOIN mobile_stop st ON st.id = h.pickup_stop_id
         LEFT JOIN LATERAL (SELECT starts_at, ends_at FROM mobile_stop_visit v WHERE v.stop_id = st.id AND v.ends_at > now() ORDER BY v.starts_at LIMIT 1) nv ON true
        WHERE ($1::uuid IS NULL OR h.patron_id = $1) AND ($2::uuid IS NULL OR h.id = $2)
          AND ($2::uuid IS NOT NULL OR h.status IN ('waiting', 'in_transit', 'ready'))
        ORDER BY h.placed_at`,
      [filter.patronId ?? null, filter.holdId ?? null],
    );
    return rows.map((r) => ({
      id: r.id as string,
      recordId: r.record_id as string,
      itemId: r.item_id as string | null,
      title: r.title as string,
      pickupBranchId: r.pickup_branch_id as string,
      pickupStopId: r.pickup_stop_id as string | null,
      pickupStopName: r.pickup_stop_name as string | null,
      pickupStopNextVisit: r.next_starts_at ? { startsAt: r.next_starts_at as Date, endsAt: r.next_ends_at as Date } : null,
      status: r.status as string,
      placedAt: r.placed_at as Date,
      queuePosition: r.queue_position as number | null,
      trappedItemId: r.trapped_item_id as string | null,
      readyAt: r.ready_at as Date | null,
      expiresAt: r.expires_at as Date | null,
    }));
  }

  /**
   * A copy already on a participating shelf serves the queue at once: the copy nearest the pickup
   * branch is routed from where it stands, and routing gives it to the oldest hold it can fill
   * (usually this one; an earlier hold if one is waiting).
   */
  private async trapAvailableCopy(em: EntityManager, hold: Hold): Promise<void> {
    const candidates: Array<{ id: string; current_branch_id: string }> = await em.query(
      `SELECT i.id, i.current_branch_id FROM item i JOIN branch b ON b.id = i.circulating_branch_id
        WHERE i.record_id = $1 AND ($2::uuid IS NULL OR i.id = $2) AND i.status = 'available'
          AND (b.shared_circulation OR b.id = $3)
        FOR UPDATE OF i SKIP LOCKED`,
      [hold.recordId, hold.itemId, hold.pickupBranchId],
    );
    if (!candidates.length) return;
    const parents: Array<{ id: string; parent_id: string | null }> = await em.query(`SELECT id, parent_id FROM branch`);
    const parentOf = new Map(parents.map((b) => [b.id, b.parent_id]));
    candidates.sort(
      (a, b) => branchDistance(a.current_branch_id, hold.pickupBranchId, parentOf) - branchDistance(b.current_branch_id, hold.pickupBranchId, parentOf),
    );
    const item = await em.getRepository(Item).findOneByOrFail({ id: candidates[0].id });
    const routing = await this.router.routeAt(em, item, item.currentBranchId!);
    // Set aside on paper only: the branch it stands at takes it off the shelf (its pull list).
    if (routing.action !== 'shelve') {
      await em.query(`INSERT INTO copy_to_pull (item_id) VALUES ($1) ON CONFLICT (item_id) DO UPDATE SET marked_at = now()`, [item.id]);
    }
  }

  private async target(em: EntityManager, input: PlaceHoldDto): Promise<{ recordId: string; itemId: string | null }> {
    if (input.itemId) {
      const item = await em.getRepository(Item).findOneBy({ id: input.itemId });
      if (!item) throw CirculationError.NO_HOLDABLE_COPY({ field: 'itemId' });
      return { recordId: item.recordId, itemId: item.id };
    }
    if (!(await em.getRepository(BibRecord).exists({ where: { id: input.recordId! } }))) {
      throw CirculationError.NO_HOLDABLE_COPY({ field: 'recordId' });
    }
    return { recordId: input.recordId!, itemId: null };
  }

  private lockHold(em: EntityManager, id: string): Promise<Hold | null> {
    return em.getRepository(Hold).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }
}
