import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Borrower, maskPersonName, PatronsService } from '@lib/accounts';
import { CatalogError, Item } from '@lib/catalog';
import { isPgError, PgErrorCode } from '@lib/db';
import { Branch, BranchesService, NetworkError } from '@lib/network';
import { recordUsage } from '@lib/stats';
import { Fine, Loan } from '../entities/loan.entity';
import { Hold } from '../entities/hold.entity';
import { CheckinResult } from '../dto/circulation.dto';
import { CirculationError } from '../circulation.errors';
import { daysOverdue, dueDateAt, overdueFine } from '../rules/due-date';
import { Routing } from '../rules/routing';
import { ItemRouter } from './item-router';
import { PoliciesService } from './policies.service';

export interface LoanView {
  id: string;
  itemId: string;
  barcode: string;
  recordId: string;
  title: string;
  checkoutBranchId: string;
  checkedOutAt: Date;
  dueAt: Date;
  renewals: number;
  status: string;
  overdue: boolean;
  closedAt: Date | null;
}

/** Borrow anywhere, return anywhere: checkout, checkin, renewal and the loan's later life. */
@Injectable()
export class CirculationService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly patrons: PatronsService,
    private readonly branches: BranchesService,
    private readonly policies: PoliciesService,
    private readonly router: ItemRouter,
  ) {}

  async checkout(input: { cardNumber: string; barcode: string; branchId: string }): Promise<{ loanId: string; dueAt: Date }> {
    const branch = await this.branch(input.branchId);
    try {
      return await this.dataSource.transaction(async (em) => {
        const item = await this.lockItem(em, input.barcode);
        if (!branch.sharedCirculation && item.homeBranchId !== branch.id) throw CirculationError.BRANCH_NOT_PARTICIPATING();
        if (item.status === 'on_loan' || item.status === 'claims_returned') throw CirculationError.ITEM_ALREADY_ON_LOAN({ barcode: item.barcode });
        if (['lost', 'missing', 'withdrawn'].includes(item.status)) {
          throw CirculationError.ITEM_NOT_AVAILABLE({ barcode: item.barcode, status: item.status });
        }
        const borrower = await this.patrons.borrowerByCard(input.cardNumber, em);
        if (borrower.cardStatus !== 'active') throw CirculationError.CARD_NOT_USABLE({ status: borrower.cardStatus });
        // One resident's checkouts run one at a time, so the loan limit holds under parallel requests.
        await em.query('SELECT 1 FROM patron WHERE id = $1 FOR UPDATE', [borrower.patronId]);

        const ownHolds = await this.holdsAtCheckout(em, item, borrower.patronId);
        const policy = await this.policies.resolve({ patronCategory: borrower.category, itemType: item.itemType, branchId: branch.id }, em);
        await this.assertMayBorrow(em, borrower, policy);

        await this.cancelOpenTransit(em, item.id);
        await this.fulfilHolds(em, ownHolds, item.id);
        const now = new Date();
        const dueAt = dueDateAt(now, policy.loanDays, await this.calendarAround(em, branch, now, policy.loanDays));
        const loan = await em.getRepository(Loan).save(
          em.getRepository(Loan).create({
            itemId: item.id,
            patronId: borrower.patronId,
            patronCategory: borrower.category,
            itemType: item.itemType,
            checkoutBranchId: branch.id,
            checkedOutAt: now,
            dueAt,
          }),
        );
        await em.getRepository(Item).update({ id: item.id }, { status: 'on_loan', currentBranchId: null });
        await recordUsage(em, { kind: 'loan', branchId: branch.id, itemType: item.itemType, patronCategory: borrower.category });
        return { loanId: loan.id, dueAt };
      });
    } catch (e) {
      if (isPgError(e, PgErrorCode.UniqueViolation, 'loan_one_open_per_item_key')) throw CirculationError.ITEM_ALREADY_ON_LOAN({ barcode: input.barcode });
      throw e;
    }
  }

  /** Closes the loan (if any), then routes the copy; an item that was not on loan is routed all the same. */
  async checkin(input: { barcode: string; branchId: string }): Promise<CheckinResult> {
    const branch = await this.branch(input.branchId);
    return this.dataSource.transaction(async (em) => {
      const item = await this.lockItem(em, input.barcode);
      if (!branch.sharedCirculation && item.homeBranchId !== branch.id) throw CirculationError.BRANCH_NOT_PARTICIPATING();
      const loan = await em
        .getRepository(Loan)
        .createQueryBuilder('l')
        .setLock('pessimistic_write')
        .where('l.itemId = :itemId AND l.closedAt IS NULL', { itemId: item.id })
        .getOne();
      let fine = 0;
      if (loan) fine = await this.closeLoan(em, loan, branch, 'returned');
      if (item.status === 'lost') {
        await recordUsage(em, { kind: 'item_found', branchId: branch.id, itemType: item.itemType });
      }
      const routing = await this.router.routeAt(em, item, branch.id);
      if (loan) {
        await recordUsage(em, { kind: 'return', branchId: branch.id, itemType: item.itemType, patronCategory: loan.patronCategory });
      }
      return {
        barcode: item.barcode,
        wasOnLoan: !!loan,
        ...(loan ? { loanId: loan.id } : {}),
        ...(fine > 0 ? { fine } : {}),
        ...routing,
        ...(routing.holdId ? { holdFor: await this.holdFor(em, routing.holdId) } : {}),
        message: await this.routingMessage(em, routing, loan !== null),
      };
    });
  }

  /** The reader a trapped copy is for, in one query: masked name, card tail, pickup deadline (one card in use per reader: card_one_in_use_per_patron_key). */
  private async holdFor(em: EntityManager, holdId: string): Promise<NonNullable<CheckinResult['holdFor']>> {
    const [row]: Array<{ name: string; card_last4: string | null; expires_at: Date | null }> = await em.query(
      `SELECT p.name, h.expires_at,
              (SELECT right(c.number, 4) FROM card c WHERE c.patron_id = h.patron_id AND c.status IN ('active', 'suspended') LIMIT 1) AS card_last4
         FROM hold h JOIN patron p ON p.id = h.patron_id WHERE h.id = $1`,
      [holdId],
    );
    return { patronName: maskPersonName(row.name), cardLast4: row.card_last4, pickupBy: row.expires_at };
  }

  async renew(loanId: string, actor: { patronId?: string }): Promise<{ loanId: string; dueAt: Date; renewals: number }> {
    return this.dataSource.transaction(async (em) => {
      const loan = await em.getRepository(Loan).findOne({ where: { id: loanId }, lock: { mode: 'pessimistic_write' } });
      if (!loan || (actor.patronId && loan.patronId !== actor.patronId)) throw CirculationError.LOAN_NOT_FOUND({ id: loanId });
      if (loan.status !== 'open') throw CirculationError.LOAN_NOT_OPEN({ status: loan.status });
      const item = await em.getRepository(Item).findOneByOrFail({ id: loan.itemId });
      const borrower = await this.patrons.borrowerById(loan.patronId!, em);
      const policy = await this.policies.resolve(
        { patronCategory: borrower.category, itemType: loan.itemType, branchId: loan.checkoutBranchId },
        em,
      );
      if (loan.renewals >= policy.renewalsAllowed) throw CirculationError.RENEWAL_LIMIT_REACHED({ max: policy.renewalsAllowed });
      const waiting = await em
        .getRepository(Hold)
        .createQueryBuilder('h')
        .where(`h.status = 'waiting' AND h.recordId = :recordId AND (h.itemId IS NULL OR h.itemId = :itemId)`, {
          recordId: item.recordId,
          itemId: item.id,
        })
        .getExists();
      if (waiting) throw CirculationError.RENEWAL_BLOCKED_BY_HOLD();
      if (borrower.cardStatus !== 'active') throw CirculationError.CARD_NOT_USABLE({ status: borrower.cardStatus });
      const checkoutBranch = await this.branch(loan.checkoutBranchId, em);
      // An overdue loan is charged what it owes so far (renewal moves the due date), and blocks apply.
      const owed = overdueFine(daysOverdue(loan.dueAt, new Date(), checkoutBranch.timeZone), policy.finePerDay, policy.fineCap);
      if (owed > 0) await em.getRepository(Fine).insert({ patronId: borrower.patronId, loanId: loan.id, amount: owed, reason: 'overdue' });
      await this.assertMayBorrow(em, borrower, { ...policy, maxLoans: Number.MAX_SAFE_INTEGER }, loan.id);
      const renewed = dueDateAt(new Date(), policy.loanDays, await this.calendarAround(em, checkoutBranch, new Date(), policy.loanDays));
      const dueAt = renewed > loan.dueAt ? renewed : loan.dueAt;
      await em.getRepository(Loan).update({ id: loan.id }, { dueAt, renewals: loan.renewals + 1 });
      await recordUsage(em, { kind: 'renewal', branchId: loan.checkoutBranchId, itemType: loan.itemType, patronCategory: loan.patronCategory });
      return { loanId: loan.id, dueAt, renewals: loan.renewals + 1 };
    });
  }

  /** Staff declare a loan lost: the loan closes, the copy is marked lost (a later checkin finds it again). */
  async declareLost(loanId: string): Promise<{ loanId: string; status: string }> {
    return this.dataSource.transaction(async (em) => {
      const loan = await this.lockLoanWithItem(em, loanId);
      if (loan.closedAt) throw CirculationError.LOAN_NOT_OPEN({ status: loan.status });
      const branch = await this.branch(loan.checkoutBranchId, em);
      await this.closeLoan(em, loan, branch, 'lost');
      await em.getRepository(Item).update({ id: loan.itemId }, { status: 'lost' });
      await recordUsage(em, { kind: 'item_lost', branchId: loan.checkoutBranchId, itemType: loan.itemType });
      return { loanId, status: 'lost' };
    });
  }

  /** The resident says they returned it: the loan stays open but no longer counts towards blocks. */
  async claimsReturned(loanId: string): Promise<{ loanId: string; status: string }> {
    return this.dataSource.transaction(async (em) => {
      const loan = await this.lockLoanWithItem(em, loanId);
      if (loan.status !== 'open') throw CirculationError.LOAN_NOT_OPEN({ status: loan.status });
      await em.getRepository(Loan).update({ id: loanId }, { status: 'claims_returned' });
      await em.getRepository(Item).update({ id: loan.itemId }, { status: 'claims_returned' });
      await recordUsage(em, { kind: 'claims_returned', branchId: loan.checkoutBranchId, itemType: loan.itemType });
      return { loanId, status: 'claims_returned' };
    });
  }

  async loansOf(patronId: string, withHistory: boolean): Promise<LoanView[]> {
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `SELECT l.id, l.item_id, i.barcode, i.record_id, r.title, l.checkout_branch_id, l.checked_out_at, l.due_at, l.renewals,
              l.status, l.closed_at
         FROM loan l JOIN item i ON i.id = l.item_id JOIN bib_record r ON r.id = i.record_id
        WHERE l.patron_id = $1 AND ($2 OR l.closed_at IS NULL)
        ORDER BY l.closed_at IS NOT NULL, l.due_at, l.checked_out_at DESC LIMIT 500`,
      [patronId, withHistory],
    );
    const now = Date.now();
    return rows.map((r) => ({
      id: r.id as string,
      itemId: r.item_id as string,
      barcode: r.barcode as string,
      recordId: r.record_id as string,
      title: r.title as string,
      checkoutBranchId: r.checkout_branch_id as string,
      checkedOutAt: r.checked_out_at as Date,
      dueAt: r.due_at as Date,
      renewals: r.renewals as number,
      status: r.status as string,
      overdue: r.closed_at === null && (r.due_at as Date).getTime() < now,
      closedAt: r.closed_at as Date | null,
    }));
  }

  /** The platform's lock order: the copy before its loan. */
  private async lockLoanWithItem(em: EntityManager, loanId: string): Promise<Loan> {
    const glance = await em.getRepository(Loan).findOneBy({ id: loanId });
    if (!glance) throw CirculationError.LOAN_NOT_FOUND({ id: loanId });
    await em.query('SELECT 1 FROM item WHERE id = $1 FOR UPDATE', [glance.itemId]);
    return em.getRepository(Loan).findOneOrFail({ where: { id: loanId }, lock: { mode: 'pessimistic_write' } });
  }

  /** What a kiosk or the desk shows about a resident: loans (overdue marked), holds, fines owed, and the limits that apply. */
  async patronSummary(patronId: string, branchId: string) {
    const borrower = await this.patrons.borrowerById(patronId);
    const loans = await this.loansOf(patronId, false);
    const [{ owed }] = await this.dataSource.query(`SELECT coalesce(sum(amount), 0)::float AS owed FROM fine WHERE patron_id = $1 AND paid_at IS NULL`, [patronId]);
    const policy = await this.policies.resolve({ patronCategory: borrower.category, itemType: 'book', branchId });
    return { borrower, loans, finesOwed: owed as number, policy };
  }

  /** The open loan of a copy, if it is out. */
  async openLoanOf(barcode: string): Promise<{ loanId: string; patronId: string | null; dueAt: Date } | null> {
    const rows: Array<{ id: string; patron_id: string | null; due_at: Date }> = await this.dataSource.query(
      `SELECT l.id, l.patron_id, l.due_at FROM loan l JOIN item i ON i.id = l.item_id WHERE i.barcode = $1 AND l.closed_at IS NULL`,
      [barcode],
    );
    return rows.length ? { loanId: rows[0].id, patronId: rows[0].patron_id, dueAt: rows[0].due_at } : null;
  }

  /** Opting out forgets the returned loans now; the counts stay in the usage log. */
  async setLoanHistory(patronId: string, keep: boolean): Promise<{ keep: boolean }> {
    await this.dataSource.transaction(async (em) => {
      await this.patrons.setKeepLoanHistory(patronId, keep, em);
      if (!keep) {
        await em.query(`UPDATE fine SET loan_id = NULL WHERE patron_id = $1 AND loan_id IN (SELECT id FROM loan WHERE patron_id = $1 AND closed_at IS NOT NULL)`, [patronId]);
        await em.query(`UPDATE loan SET patron_id = NULL WHERE patron_id = $1 AND closed_at IS NOT NULL`, [patronId]);
      }
    });
    return { keep };
  }

  private async closeLoan(em: EntityManager, loan: Loan, branch: Branch, status: 'returned' | 'lost'): Promise<number> {
    // FOR SHARE: a concurrent change of the resident's history choice waits for this loan to close.
    if (loan.patronId) await em.query('SELECT 1 FROM patron WHERE id = $1 FOR SHARE', [loan.patronId]);
    const borrower = loan.patronId ? await this.patrons.borrowerById(loan.patronId, em) : null;
    const anonymise = !!borrower && !borrower.keepLoanHistory;
    let fine = 0;
    if (borrower && status === 'returned') {
      const policy = await this.policies.resolve(
        { patronCategory: loan.patronCategory, itemType: loan.itemType, branchId: loan.checkoutBranchId },
        em,
      );
      fine = overdueFine(daysOverdue(loan.dueAt, new Date(), branch.timeZone), policy.finePerDay, policy.fineCap);
      if (fine > 0) await em.getRepository(Fine).insert({ patronId: borrower.patronId, loanId: anonymise ? null : loan.id, amount: fine, reason: 'overdue' });
    }
    await em.getRepository(Loan).update(
      { id: loan.id },
      {
        status,
        closedAt: () => 'now()',
        checkinBranchId: status === 'returned' ? branch.id : null,
        // Without the resident's consent, a returned loan no longer says whose it was.
        ...(anonymise ? { patronId: null } : {}),
      },
    );
    if (anonymise) await em.query(`UPDATE fine SET loan_id = NULL WHERE loan_id = $1`, [loan.id]);
    return fine;
  }

  /** Fines over the limit, too many overdue items or a copy held for someone else stop a checkout. */
  private async assertMayBorrow(
    em: EntityManager,
    borrower: Borrower,
    policy: { maxLoans: number; blockFinesOver: number; blockOverdueItems: number },
    renewingLoanId: string | null = null,
  ): Promise<void> {
    const [state]: Array<{ open: number; overdue: number; owed: string }> = await em.query(
      `SELECT (SELECT count(*)::int FROM loan WHERE patron_id = $1 AND closed_at IS NULL) AS open,
              (SELECT count(*)::int FROM loan WHERE patron_id = $1 AND status = 'open' AND due_at < now() AND id IS DISTINCT FROM $2) AS overdue,
              (SELECT coalesce(sum(amount), 0) FROM fine WHERE patron_id = $1 AND paid_at IS NULL) AS owed`,
      [borrower.patronId, renewingLoanId],
    );
    if (policy.blockFinesOver > 0 && Number(state.owed) > policy.blockFinesOver) {
      throw CirculationError.PATRON_BLOCKED({ reason: `fines ${Number(state.owed).toFixed(2)} > ${policy.blockFinesOver}`, code: 'fines' });
    }
    if (state.overdue >= policy.blockOverdueItems) {
      throw CirculationError.PATRON_BLOCKED({ reason: `${state.overdue} overdue items`, code: 'overdue' });
    }
    if (state.open >= policy.maxLoans) throw CirculationError.LOAN_LIMIT_REACHED({ max: policy.maxLoans });
  }

  /**
   * Who may take this copy: if a hold has set it aside, only that hold's resident; otherwise anyone
   * but when another resident waits for this very copy. Returns the borrower's own holds on the
   * title, which this loan fulfils.
   */
  private async holdsAtCheckout(em: EntityManager, item: Item, patronId: string): Promise<Hold[]> {
    const holds = await em
      .getRepository(Hold)
      .createQueryBuilder('h')
      .setLock('pessimistic_write')
      .where(`h.trappedItemId = :itemId AND h.status IN ('in_transit', 'ready')`, { itemId: item.id })
      .orWhere(`h.itemId = :itemId AND h.status = 'waiting'`, { itemId: item.id })
      .orWhere(`h.patronId = :patronId AND h.recordId = :recordId AND h.status IN ('waiting', 'in_transit', 'ready')`, {
        patronId,
        recordId: item.recordId,
      })
      .getMany();
    const setAside = holds.find((h) => h.trappedItemId === item.id);
    const refused = setAside
      ? setAside.patronId !== patronId
      : holds.some((h) => h.itemId === item.id && h.status === 'waiting' && h.patronId !== patronId);
    if (refused) throw CirculationError.ITEM_ON_HOLD_FOR_OTHER({ barcode: item.barcode });
    return holds.filter((h) => h.patronId === patronId);
  }

  /** The borrower's holds on this title are fulfilled; a copy one of them had set aside moves on. */
  private async fulfilHolds(em: EntityManager, holds: Hold[], borrowedItemId: string): Promise<void> {
    for (const hold of holds) {
      const other = hold.trappedItemId && hold.trappedItemId !== borrowedItemId ? hold.trappedItemId : null;
      // Lock order is item before hold; this copy's hold row is already locked, and the other copy is
      // only waited for when set aside for this very resident, whom this transaction serialises.
      const copy = other ? await em.getRepository(Item).findOne({ where: { id: other }, lock: { mode: 'pessimistic_write' } }) : null;
      await this.router.closeHold(em, { ...hold, trappedItemId: other } as Hold, 'fulfilled', copy ?? undefined);
    }
  }

  private async cancelOpenTransit(em: EntityManager, itemId: string): Promise<void> {
    await em.query(`UPDATE transit SET cancelled_at = now() WHERE item_id = $1 AND received_at IS NULL AND cancelled_at IS NULL`, [itemId]);
  }

  /** The branch's calendar from `from` to a year past the loan period: all that a due date can roll over. */
  private calendarAround(em: EntityManager, branch: Branch, from: Date, days: number) {
    const start = from.toISOString().slice(0, 10);
    const end = new Date(from.getTime() + (days + 370) * 86_400_000).toISOString().slice(0, 10);
    return this.branches.calendarOf(branch, { from: start, to: end }, em);
  }

  private async lockItem(em: EntityManager, barcode: string): Promise<Item> {
    const item = await em.getRepository(Item).findOne({ where: { barcode }, lock: { mode: 'pessimistic_write' } });
    if (!item) throw CatalogError.ITEM_NOT_FOUND({ barcode, field: 'barcode' });
    return item;
  }

  private async branch(id: string, em: EntityManager = this.dataSource.manager): Promise<Branch> {
    const branch = await em.getRepository(Branch).findOneBy({ id });
    if (!branch) throw NetworkError.BRANCH_NOT_FOUND({ id, field: 'branchId' });
    return branch;
  }

  private async routingMessage(em: EntityManager, routing: Routing, wasOnLoan: boolean): Promise<{ zh: string; en: string }> {
    const prefix = wasOnLoan ? { zh: '', en: '' } : { zh: '（该册未在借）', en: '(was not on loan) ' };
    if (routing.action === 'shelve') return { zh: `${prefix.zh}上架：本馆`, en: `${prefix.en}Shelve here` };
    const name = routing.destinationBranchId
      ? ((await em.getRepository(Branch).findOneBy({ id: routing.destinationBranchId }))?.name ?? routing.destinationBranchId)
      : '';
    if (routing.action === 'hold-shelf') return { zh: `${prefix.zh}放入预约架`, en: `${prefix.en}Put on the hold shelf` };
    return routing.holdId
      ? { zh: `${prefix.zh}预约调拨：送往 ${name}`, en: `${prefix.en}Hold: send to ${name}` }
      : { zh: `${prefix.zh}归还调拨：送往 ${name}`, en: `${prefix.en}Send to ${name}` };
  }
}
