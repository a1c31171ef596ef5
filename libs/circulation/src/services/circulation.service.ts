import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { DataSource, EntityManager } from 'typeorm';
import { maskPersonName, PatronsService } from '@lib/accounts';
import { CatalogError, Item } from '@lib/catalog';
import { isPgError, PgErrorCode, WriteBatch } from '@lib/db';
import { Branch, BranchesService, NetworkError, OpeningCalendar } from '@lib/network';
import { recordUsage, usageInsert, UsageRecord } from '@lib/stats';
import { Fine, Loan } from '../entities/loan.entity';
import { Hold } from '../entities/hold.entity';
import { CheckinResult } from '../dto/circulation.dto';
import { CirculationError } from '../circulation.errors';
import { daysOverdue, dueDateAt, overdueFine } from '../rules/due-date';
import { Routing } from '../rules/routing';
import { CopyInHand, ItemRouter } from './item-router';
import { pickPolicy, POLICY_RULES_JSON_SQL, PoliciesService, PolicyRule } from './policies.service';

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

  /**
   * Lends a copy. Hot path, six round trips: the copy locked with the branch read; the card's resident
   * locked; one read of holds (locked), loan counts, fines, policy rules and the calendar; then the
   * writes as one statement, and the commit. Lock order: copy, resident, holds. At a mobile library's
   * stop (`stopId`, read with the copy) the loan counts for the stop's community.
   *
   * `at`: an offline checkout's own time; the loan starts then and its due date counts from it.
   * `within`: the caller's transaction (offline upload, under a savepoint it rolls back on refusal).
   */
  async checkout(input: { cardNumber: string; barcode: string; branchId: string; at?: Date; stopId?: string }, within?: EntityManager): Promise<{ loanId: string; dueAt: Date }> {
    const run = async (em: EntityManager) => {
        const { branch, item, stop } = await this.copyAt(em, input.barcode, input.branchId, input.stopId);
        if (!branch.sharedCirculation && item.homeBranchId !== branch.id) throw CirculationError.BRANCH_NOT_PARTICIPATING();
        if (item.status === 'on_loan' || item.status === 'claims_returned') throw CirculationError.ITEM_ALREADY_ON_LOAN({ barcode: item.barcode });
        if (['lost', 'missing', 'withdrawn'].includes(item.status)) {
          throw CirculationError.ITEM_NOT_AVAILABLE({ barcode: item.barcode, status: item.status });
        }
        // One resident's checkouts run one at a time, so the loan limit holds under parallel requests.
        const borrower = await this.patrons.borrowerByCard(input.cardNumber, em, true);
        if (borrower.cardStatus !== 'active') throw CirculationError.CARD_NOT_USABLE({ status: borrower.cardStatus });

        const now = input.at ?? new Date();
        // After the resident's lock, so the counts include their checkouts that committed while this one waited.
        const [context]: Array<{ holds: Hold[]; policies: PolicyRule[]; calendar: Omit<OpeningCalendar, 'timeZone'> } & BorrowState> = await em.query(
          `SELECT (SELECT coalesce(json_agg(t), '[]') FROM (
                     SELECT h.id, h.patron_id AS "patronId", h.record_id AS "recordId", h.item_id AS "itemId", h.status,
                            h.trapped_item_id AS "trappedItemId", h.pickup_branch_id AS "pickupBranchId"
                       FROM hold h
                      WHERE (h.trapped_item_id = $1 AND h.status IN ('in_transit', 'ready')) OR (h.item_id = $1 AND h.status = 'waiting')
                         OR (h.patron_id = $2 AND h.record_id = $3 AND h.status IN ('waiting', 'in_transit', 'ready'))
                        FOR UPDATE OF h) t) AS holds,
                  ${borrowStateSql('$2', 'NULL::uuid')},
                  ${POLICY_RULES_JSON_SQL} AS policies,
                  ${BranchesService.calendarJsonSql('$4', '$5::date', `$5::date + (SELECT max(loan_days) FROM circulation_policy) + 370`)} AS calendar`,
          [item.id, borrower.patronId, item.recordId, branch.id, now.toISOString().slice(0, 10)],
        );
        const ownHolds = this.holdsAtCheckout(context.holds, item, borrower.patronId);
        const policy = pickPolicy(context.policies, { patronCategory: borrower.category, itemType: item.itemType, branchId: branch.id });
        assertMayBorrow(context, policy);

        await this.fulfilHolds(em, ownHolds, item.id);
        const dueAt = dueDateAt(now, policy.loanDays, BranchesService.calendarFromJson(branch.timeZone, context.calendar));
        const loanId = randomUUID();
        await new WriteBatch()
          .add(`UPDATE transit SET cancelled_at = now() WHERE item_id = $1 AND received_at IS NULL AND cancelled_at IS NULL`, [item.id])
          .add(
            `INSERT INTO loan (id, item_id, patron_id, patron_category, item_type, checkout_branch_id, checked_out_at, due_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
            [loanId, item.id, borrower.patronId, borrower.category, item.itemType, branch.id, now, dueAt],
          )
          .add(`UPDATE item SET status = 'on_loan', current_branch_id = NULL, updated_at = now() WHERE id = $1`, [item.id])
          .add(`DELETE FROM copy_to_pull WHERE item_id = $1`, [item.id])
          .add(...usageInsert([{ kind: 'loan', branchId: branch.id, itemType: item.itemType, patronCategory: borrower.category, ...atStop(stop) }]))
          .run(em);
        return { loanId, dueAt };
    };
    try {
      return await (within ? run(within) : this.dataSource.transaction(run));
    } catch (e) {
      if (isPgError(e, PgErrorCode.UniqueViolation, 'loan_one_open_per_item_key')) throw CirculationError.ITEM_ALREADY_ON_LOAN({ barcode: input.barcode });
      throw e;
    }
  }

  /**
   * Closes the loan (if any), then routes the copy; an item that was not on loan is routed all the same.
   * Hot path: the copy locked with the branch read, and its open loan locked after it with the
   * resident's history choice and the policy rules; the title's hold queue locked; one read for the routing; the writes as
   * one statement; the commit. At a mobile library's stop (`stopId`) the return counts for its community.
   */
  async checkin(input: { barcode: string; branchId: string; at?: Date; stopId?: string }, within?: EntityManager): Promise<CheckinResult> {
    const run = async (em: EntityManager) => {
      const { branch, item, loan, slip, stop } = await this.copyAt(em, input.barcode, input.branchId, input.stopId, true);
      if (!branch.sharedCirculation && item.homeBranchId !== branch.id) throw CirculationError.BRANCH_NOT_PARTICIPATING();
      // An offline return from before the copy's current loan began cannot be this loan's return.
      if (input.at && loan?.checkedOutAt && input.at < loan.checkedOutAt) throw CirculationError.OFFLINE_RETURN_BEFORE_LOAN({ barcode: item.barcode, checkedOutAt: loan.checkedOutAt.toISOString() });
      // A copy in hand has been taken off the shelf: it leaves the pull list (captured for its hold by the routing below).
      const batch = new WriteBatch().add(`DELETE FROM copy_to_pull WHERE item_id = $1`, [item.id]);
      const usage: UsageRecord[] = [];
      const fine = loan ? this.closeLoanInto(batch, loan, branch, 'returned', input.at) : 0;
      // A copy lost on loan, or marked missing by an inventory, is found by being in hand.
      const found = item.status === 'lost' || item.status === 'missing';
      if (found) usage.push({ kind: 'item_found', branchId: branch.id, itemType: item.itemType });
      const { destinationName, ...routing } = await this.router.routeInto(em, batch, item, branch.id);
      if (loan) usage.push({ kind: 'return', branchId: branch.id, itemType: item.itemType, patronCategory: loan.patronCategory, ...atStop(stop) });
      if (usage.length) batch.add(...usageInsert(usage));
      await batch.run(em);
      return {
        barcode: item.barcode,
        title: slip.title,
        destinationName: routing.action === 'transit' ? (destinationName ?? routing.destinationBranchId!) : slip.branchName,
        checkedInOn: DateTime.now().setZone(branch.timeZone).toISODate()!,
        wasOnLoan: !!loan,
        ...(loan ? { loanId: loan.id } : {}),
        ...(fine > 0 ? { fine } : {}),
        ...(found ? { found: true } : {}),
        ...routing,
        ...(routing.holdId ? { holdFor: await this.holdFor(em, routing.holdId) } : {}),
        message: routingMessage(routing, destinationName ?? routing.destinationBranchId ?? '', loan !== null),
      };
    };
    return within ? run(within) : this.dataSource.transaction(run);
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
      const openDays =
        policy.overdueDays === 'calendar' || loan.dueAt > new Date()
          ? undefined
          : await this.branches.calendarOf(checkoutBranch, { from: isoDay(loan.dueAt, -1), to: isoDay(new Date(), 1) }, em);
      const owed = overdueFine(daysOverdue(loan.dueAt, new Date(), checkoutBranch.timeZone, openDays), policy.finePerDay, policy.fineCap);
      if (owed > 0) await em.getRepository(Fine).insert({ patronId: borrower.patronId, loanId: loan.id, amount: owed, reason: 'overdue', branchId: checkoutBranch.id });
      const [state]: BorrowState[] = await em.query(`SELECT ${borrowStateSql('$1', '$2::uuid')}`, [borrower.patronId, loan.id]);
      assertMayBorrow(state, { ...policy, maxLoans: Number.MAX_SAFE_INTEGER });
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

  /**
   * What still ties a resident to the library (closing an account waits for it): loans out (claims-returned
   * ones included), what they owe in fines, and holds still in play. Read inside the caller's transaction,
   * after it locked the patron row, so a checkout that commits first is counted.
   */
  async openObligationsOf(em: EntityManager, patronId: string): Promise<{ openLoans: number; owed: number; activeHolds: number }> {
    const [row]: Array<{ open_loans: number; owed: string; active_holds: number }> = await em.query(
      `SELECT (SELECT count(*)::int FROM loan WHERE patron_id = $1 AND closed_at IS NULL) AS open_loans,
              (SELECT coalesce(sum(amount - paid - waived), 0)::text FROM fine WHERE patron_id = $1) AS owed,
              (SELECT count(*)::int FROM hold WHERE patron_id = $1 AND status IN ('waiting', 'in_transit', 'ready')) AS active_holds`,
      [patronId],
    );
    return { openLoans: row.open_loans, owed: Number(row.owed), activeHolds: row.active_holds };
  }

  /** Closing an account: returned loans lose their resident (as when history is off) and fines lose the loan they came from. */
  async forgetLoanHistoryOf(em: EntityManager, patronId: string): Promise<void> {
    await em.query(`UPDATE fine SET loan_id = NULL WHERE patron_id = $1 AND loan_id IN (SELECT id FROM loan WHERE patron_id = $1 AND closed_at IS NOT NULL)`, [patronId]);
    await em.query(`UPDATE loan SET patron_id = NULL WHERE patron_id = $1 AND closed_at IS NOT NULL`, [patronId]);
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
    const [{ owed }] = await this.dataSource.query(`SELECT coalesce(sum(amount - paid - waived), 0)::float8 AS owed FROM fine WHERE patron_id = $1 AND paid_at IS NULL`, [patronId]);
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

  /** Closes a loan outside the desk's hot path (declared lost): its resident's choice and the rules read, then closeLoanInto. */
  private async closeLoan(em: EntityManager, loan: Loan, branch: Branch, status: 'returned' | 'lost'): Promise<number> {
    const [row]: Array<{ keep_loan_history: boolean | null; policies: PolicyRule[] }> = await em.query(
      `SELECT (SELECT keep_loan_history FROM patron WHERE id = $1 FOR SHARE) AS keep_loan_history, ${POLICY_RULES_JSON_SQL} AS policies`,
      [loan.patronId],
    );
    const batch = new WriteBatch();
    const fine = this.closeLoanInto(batch, { ...loan, keepLoanHistory: row.keep_loan_history, policies: row.policies }, branch, status);
    await batch.run(em);
    return fine;
  }

  /**
   * The loan an item is out on, as a lateral join of the copy's locking read (`copyAt`): locked after the
   * copy, with what closing it needs — the resident's history choice (their row held FOR SHARE) and the rules.
   */
  private static readonly OPEN_LOAN_JOIN = `LEFT JOIN LATERAL (
      SELECT l.id, l.patron_id, l.patron_category, l.item_type, l.checkout_branch_id, l.checked_out_at, l.due_at, p.keep_loan_history, ${POLICY_RULES_JSON_SQL} AS policies,
             ${BranchesService.calendarJsonSql('l.checkout_branch_id', '(l.due_at::date - 1)', '(current_date + 1)')} AS calendar
        FROM loan l LEFT JOIN LATERAL (SELECT keep_loan_history FROM patron WHERE id = l.patron_id FOR SHARE) p ON true
       WHERE l.item_id = i.id AND l.closed_at IS NULL FOR UPDATE OF l) ln ON true`;

  /**
   * The writes that close a loan, into the caller's batch; returns the overdue fine charged. FOR SHARE
   * on the resident (taken by the read): a concurrent change of their history choice waits for this
   * loan to close. Without their consent, a returned loan no longer says whose it was.
   */
  private closeLoanInto(batch: WriteBatch, loan: ClosingLoan, branch: Pick<Branch, 'id' | 'timeZone'>, status: 'returned' | 'lost', returnedAt?: Date): number {
    const hasBorrower = !!loan.patronId && loan.keepLoanHistory !== null;
    const anonymise = hasBorrower && !loan.keepLoanHistory;
    let fine = 0;
    if (hasBorrower && status === 'returned') {
      const policy = pickPolicy(loan.policies, { patronCategory: loan.patronCategory, itemType: loan.itemType, branchId: loan.checkoutBranchId });
      const openDays = policy.overdueDays !== 'calendar' && loan.calendar ? BranchesService.calendarFromJson(branch.timeZone, loan.calendar) : undefined;
      fine = overdueFine(daysOverdue(loan.dueAt, returnedAt ?? new Date(), branch.timeZone, openDays), policy.finePerDay, policy.fineCap);
      if (fine > 0) {
        batch.add(`INSERT INTO fine (patron_id, loan_id, amount, reason, branch_id) VALUES ($1, $2, $3, 'overdue', $4)`, [loan.patronId, anonymise ? null : loan.id, fine, branch.id]);
      }
    }
    batch.add(
      `UPDATE loan SET status = $2, closed_at = coalesce($5::timestamptz, now()), checkin_branch_id = $3, patron_id = CASE WHEN $4 THEN NULL ELSE patron_id END WHERE id = $1`,
      [loan.id, status, status === 'returned' ? branch.id : null, anonymise, returnedAt ?? null],
    );
    if (anonymise) batch.add(`UPDATE fine SET loan_id = NULL WHERE loan_id = $1`, [loan.id]);
    return fine;
  }

  /**
   * Who may take this copy: if a hold has set it aside, only that hold's resident; otherwise anyone
   * but when another resident waits for this very copy. Returns the borrower's own holds on the
   * title, which this loan fulfils.
   */
  private holdsAtCheckout(holds: Hold[], item: CopyInHand, patronId: string): Hold[] {
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

  /** The branch's calendar from `from` to a year past the loan period: all that a due date can roll over. */
  private calendarAround(em: EntityManager, branch: Branch, from: Date, days: number) {
    const start = from.toISOString().slice(0, 10);
    const end = new Date(from.getTime() + (days + 370) * 86_400_000).toISOString().slice(0, 10);
    return this.branches.calendarOf(branch, { from: start, to: end }, em);
  }

  /**
   * The acting branch, and the copy with its row locked, in one read; with `openLoan`, the loan it is out on too (locked after it).
   * With `stopId`, the mobile library's stop the desk is at, which must be one of the acting branch's.
   */
  private async copyAt(em: EntityManager, barcode: string, branchId: string, stopId: string | undefined): Promise<{ branch: DeskBranch; item: CopyInHand; stop: DeskStop | null }>;
  private async copyAt(
    em: EntityManager,
    barcode: string,
    branchId: string,
    stopId: string | undefined,
    openLoan: true,
  ): Promise<{ branch: DeskBranch; item: CopyInHand; stop: DeskStop | null; loan: ClosingLoan | null; slip: { title: string; branchName: string } }>;
  private async copyAt(
    em: EntityManager,
    barcode: string,
    branchId: string,
    stopId: string | undefined,
    openLoan = false,
  ): Promise<{ branch: DeskBranch; item: CopyInHand; stop: DeskStop | null; loan?: ClosingLoan | null; slip?: { title: string; branchName: string } }> {
    const [row]: Array<Record<string, unknown>> = await em.query(
      `SELECT b.shared_circulation, b.time_zone, i.id, i.record_id, i.barcode, i.home_branch_id, i.circulating_branch_id, i.item_type, i.status, i.floating,
              st.id AS stop_id, st.region_id AS stop_region_id
              ${openLoan ? ', b.name AS branch_name, (SELECT title FROM bib_record WHERE id = i.record_id) AS title, ln.id AS loan_id, ln.patron_id, ln.patron_category, ln.item_type AS loan_item_type, ln.checkout_branch_id, ln.checked_out_at, ln.due_at, ln.keep_loan_history, ln.policies, ln.calendar' : ''}
         FROM branch b LEFT JOIN LATERAL (SELECT * FROM item WHERE barcode = $1 FOR UPDATE) i ON true
         LEFT JOIN mobile_stop st ON st.id = $3::uuid AND st.branch_id = b.id
         ${openLoan ? CirculationService.OPEN_LOAN_JOIN : ''}
        WHERE b.id = $2`,
      [barcode, branchId, stopId ?? null],
    );
    if (!row) throw NetworkError.BRANCH_NOT_FOUND({ id: branchId, field: 'branchId' });
    if (stopId && !row.stop_id) throw NetworkError.MOBILE_STOP_NOT_AT_BRANCH({ stopId, field: 'stopId' });
    if (!row.id) throw CatalogError.ITEM_NOT_FOUND({ barcode, field: 'barcode' });
    const item: CopyInHand = {
      id: row.id as string,
      recordId: row.record_id as string,
      barcode: row.barcode as string,
      homeBranchId: row.home_branch_id as string,
      circulatingBranchId: row.circulating_branch_id as string,
      itemType: row.item_type as CopyInHand['itemType'],
      status: row.status as CopyInHand['status'],
      floating: row.floating as boolean,
    };
    const branch = { id: branchId, sharedCirculation: row.shared_circulation as boolean, timeZone: row.time_zone as string };
    const stop = row.stop_id ? { id: row.stop_id as string, regionId: row.stop_region_id as string } : null;
    if (!openLoan) return { branch, item, stop };
    const loan: ClosingLoan | null = row.loan_id
      ? {
          id: row.loan_id as string,
          itemId: item.id,
          patronId: row.patron_id as string | null,
          patronCategory: row.patron_category as string,
          itemType: row.loan_item_type as string,
          checkoutBranchId: row.checkout_branch_id as string,
          checkedOutAt: row.checked_out_at as Date,
          dueAt: row.due_at as Date,
          keepLoanHistory: row.keep_loan_history as boolean | null,
          policies: row.policies as PolicyRule[],
          calendar: row.calendar as Omit<OpeningCalendar, 'timeZone'>,
        }
      : null;
    return { branch, item, stop, loan, slip: { title: row.title as string, branchName: row.branch_name as string } };
  }

  private async branch(id: string, em: EntityManager = this.dataSource.manager): Promise<Branch> {
    const branch = await em.getRepository(Branch).findOneBy({ id });
    if (!branch) throw NetworkError.BRANCH_NOT_FOUND({ id, field: 'branchId' });
    return branch;
  }
}

/** The UTC date of an instant moved by whole days: a range built from two of these covers the local days in between in any zone. */
const isoDay = (at: Date, days: number) => new Date(at.getTime() + days * 86_400_000).toISOString().slice(0, 10);

/** A branch as the desk's hot path reads it. */
type DeskBranch = Pick<Branch, 'id' | 'sharedCirculation' | 'timeZone'>;

/** The mobile library's stop a desk works at. */
interface DeskStop {
  id: string;
  regionId: string;
}

/** A loan or return at a stop counts for the stop's community (the rollups' region), and says which stop. */
function atStop(stop: DeskStop | null): Pick<UsageRecord, 'regionId' | 'attributes'> {
  return stop ? { regionId: stop.regionId, attributes: { stopId: stop.id } } : {};
}

/** An open loan as check-in closes it: the loan, its resident's history choice (null: no resident) and the policy rules. */
interface ClosingLoan extends Pick<Loan, 'id' | 'itemId' | 'patronId' | 'patronCategory' | 'itemType' | 'checkoutBranchId' | 'dueAt'> {
  /** Only check-in reads it (an offline return must not predate the loan); declared lost does not. */
  checkedOutAt?: Date;
  keepLoanHistory: boolean | null;
  policies: PolicyRule[];
  /** The checkout branch's opening calendar from the due date to today, for counting open days late (read with the loan). */
  calendar?: Omit<OpeningCalendar, 'timeZone'>;
}

interface BorrowState {
  open: number;
  overdue: number;
  owed: number;
}

/** What blocks a resident, as SQL select-list items: open loans, overdue ones (but the one being renewed) and fines owed. */
function borrowStateSql(patron: string, renewingLoan: string): string {
  return `(SELECT count(*)::int FROM loan WHERE patron_id = ${patron} AND closed_at IS NULL) AS open,
          (SELECT count(*)::int FROM loan WHERE patron_id = ${patron} AND status = 'open' AND due_at < now() AND id IS DISTINCT FROM ${renewingLoan}) AS overdue,
          (SELECT coalesce(sum(amount - paid - waived), 0)::float8 FROM fine WHERE patron_id = ${patron} AND paid_at IS NULL) AS owed`;
}

/** Fines over the limit, too many overdue items or too many loans stop a checkout. */
function assertMayBorrow(state: BorrowState, policy: { maxLoans: number; blockFinesOver: number; blockOverdueItems: number }): void {
  if (policy.blockFinesOver > 0 && state.owed > policy.blockFinesOver) {
    throw CirculationError.PATRON_BLOCKED({ reason: `fines ${state.owed.toFixed(2)} > ${policy.blockFinesOver}`, code: 'fines' });
  }
  if (state.overdue >= policy.blockOverdueItems) {
    throw CirculationError.PATRON_BLOCKED({ reason: `${state.overdue} overdue items`, code: 'overdue' });
  }
  if (state.open >= policy.maxLoans) throw CirculationError.LOAN_LIMIT_REACHED({ max: policy.maxLoans });
}

/** What the desk screen says about a routed copy, in both languages. */
function routingMessage(routing: Routing, destinationName: string, wasOnLoan: boolean): { zh: string; en: string } {
  const prefix = wasOnLoan ? { zh: '', en: '' } : { zh: '（该册未在借）', en: '(was not on loan) ' };
  if (routing.action === 'shelve') return { zh: `${prefix.zh}上架：本馆`, en: `${prefix.en}Shelve here` };
  if (routing.action === 'hold-shelf') return { zh: `${prefix.zh}放入预约架`, en: `${prefix.en}Put on the hold shelf` };
  return routing.holdId
    ? { zh: `${prefix.zh}预约调拨：送往 ${destinationName}`, en: `${prefix.en}Hold: send to ${destinationName}` }
    : { zh: `${prefix.zh}归还调拨：送往 ${destinationName}`, en: `${prefix.en}Send to ${destinationName}` };
}
