import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AccountError, maskCardNumber, maskPersonName, PatronsService, PersonalDataAccessLog, type StaffAccess } from '@lib/accounts';
import { CirculationError } from '../circulation.errors';
import { PaymentMethod } from '../entities/fine-payment.entity';
import { PAYMENT_PROVIDER, PaymentProvider } from '../payments/payment-provider';

export interface FineView {
  id: string;
  reason: string;
  /** What the item was, when the loan is still known (the resident kept their history). */
  title: string | null;
  amount: number;
  paid: number;
  waived: number;
  owing: number;
  createdAt: Date;
  settledAt: Date | null;
}

export interface ReceiptLine {
  fineId: string;
  reason: string;
  title: string | null;
  amount: number;
}

export interface Receipt {
  receiptNumber: string;
  amount: number;
  method: PaymentMethod;
  paidAt: Date;
  branchName: string | null;
  /** Masked, as on every slip. */
  patronName: string;
  cardNumber: string | null;
  lines: ReceiptLine[];
}

export interface FinesAccount {
  patronId: string;
  patronName: string;
  cardNumber: string | null;
  owed: number;
  fines: FineView[];
  receipts: Receipt[];
}

/** Money in fen: every sum is done on integers, and only shown as yuan. */
const fen = (yuan: number | string) => Math.round(Number(yuan) * 100);
const yuan = (f: number) => f / 100;
const numeric = (f: number) => (f / 100).toFixed(2);

/** Who takes money or waives it, and where. */
export interface FineActor {
  actorId: string | null;
  branchId: string | null;
}

/**
 * Paying and waiving fines. A payment is applied to the oldest fines first and may be less than what is
 * owed, never more. The resident's open fines are locked (in one order) for the whole payment, so two desks
 * paying at once take turns, and the fine_settled_check would refuse an over-payment all the same.
 */
@Injectable()
export class FinesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly patrons: PatronsService,
    private readonly accessLog: PersonalDataAccessLog,
    @Inject(PAYMENT_PROVIDER) private readonly provider: PaymentProvider,
  ) {}

  async accountByCard(cardNumber: string, access?: StaffAccess): Promise<FinesAccount> {
    const borrower = await this.patrons.borrowerByCard(cardNumber);
    if (access) {
      await this.accessLog.record(this.dataSource.manager, access, { patronId: borrower.patronId, operation: 'read', action: 'fines.account', fields: ['name(masked)', 'fines', 'receipts'] });
    }
    return this.account(borrower.patronId);
  }

  /** A resident's fines (open ones first, oldest first), what they owe, and their receipts (newest first). */
  async account(patronId: string, em: EntityManager = this.dataSource.manager): Promise<FinesAccount> {
    const [who]: Array<{ name: string; number: string | null }> = await em.query(
      `SELECT p.name, (SELECT c.number FROM card c WHERE c.patron_id = p.id AND c.status IN ('active', 'suspended') LIMIT 1) AS number FROM patron p WHERE p.id = $1`,
      [patronId],
    );
    if (!who) throw AccountError.PATRON_NOT_FOUND({ id: patronId });
    const fines = await this.finesOf(em, patronId);
    const payments: Array<{ receipt_number: string }> = await em.query(
      `SELECT receipt_number FROM payment WHERE patron_id = $1 ORDER BY created_at DESC, receipt_number DESC LIMIT 100`,
      [patronId],
    );
    const receipts = await this.receipts(em, payments.map((p) => p.receipt_number));
    return {
      patronId,
      patronName: maskPersonName(who.name),
      cardNumber: who.number ? maskCardNumber(who.number) : null,
      owed: yuan(fines.reduce((sum, f) => sum + fen(f.owing), 0)),
      fines,
      receipts: receipts.map(({ patronId: _p, ...r }) => r),
    };
  }

  /**
   * Takes `amount` yuan towards the resident's fines, oldest first, and answers the receipt. Online, the
   * provider charges it first (inside the transaction, with the fines locked, so what it charged is what is
   * recorded); cash at the desk and a kiosk's payment are recorded the same way without a charge.
   */
  async pay(input: { patronId: string; amount: number; method: PaymentMethod } & FineActor): Promise<Receipt> {
    const amountFen = fen(input.amount);
    if (amountFen <= 0) throw CirculationError.PAYMENT_AMOUNT_INVALID({ field: 'amount' });
    return this.dataSource.transaction(async (em) => {
      const open: Array<{ id: string; owing: string }> = await em.query(
        `SELECT id, (amount - paid - waived)::text AS owing FROM fine WHERE patron_id = $1 AND paid_at IS NULL ORDER BY created_at, id FOR UPDATE`,
        [input.patronId],
      );
      const owedFen = open.reduce((sum, f) => sum + fen(f.owing), 0);
      if (amountFen > owedFen) throw CirculationError.PAYMENT_OVER_OWED({ field: 'amount', owed: numeric(owedFen) });

      let reference: string | null = null;
      if (input.method === 'online') {
        const outcome = await this.provider.charge({ patronId: input.patronId, amountFen, description: 'library fines' });
        if (!outcome.accepted) throw CirculationError.PAYMENT_DECLINED({ provider: this.provider.name });
        reference = outcome.reference;
      }

      const [payment]: Array<{ id: string; receipt_number: string }> = await em.query(
        `INSERT INTO payment (receipt_number, patron_id, amount, method, provider_reference, staff_id, branch_id)
         VALUES ('R' || to_char(now() AT TIME ZONE coalesce((SELECT time_zone FROM branch WHERE id = $6), 'Asia/Shanghai'), 'YYYY') || '-' ||
                 lpad(nextval('payment_receipt_seq')::text, 6, '0'), $1, $2, $3, $4, $5, $6)
         RETURNING id, receipt_number`,
        [input.patronId, numeric(amountFen), input.method, reference, input.actorId, input.branchId],
      );

      // Oldest first, each fine up to what it still owes.
      const ids: string[] = [];
      const parts: string[] = [];
      let left = amountFen;
      for (const f of open) {
        if (left === 0) break;
        const part = Math.min(left, fen(f.owing));
        ids.push(f.id);
        parts.push(numeric(part));
        left -= part;
      }
      await this.settle(em, 'paid', ids, parts, { ...input, paymentId: payment.id, reason: input.method });
      const { patronId: _p, ...receipt } = (await this.receipts(em, [payment.receipt_number]))[0];
      return receipt;
    });
  }

  /** Forgives `amount` yuan of one fine (all that is owed of it at most), for a reason that goes into the trail. */
  async waive(input: { fineId: string; amount: number; reason: string } & FineActor): Promise<FineView> {
    const amountFen = fen(input.amount);
    if (amountFen <= 0) throw CirculationError.PAYMENT_AMOUNT_INVALID({ field: 'amount' });
    return this.dataSource.transaction(async (em) => {
      const [fine]: Array<{ patron_id: string; owing: string; paid_at: Date | null }> = await em.query(
        `SELECT patron_id, (amount - paid - waived)::text AS owing, paid_at FROM fine WHERE id = $1 FOR UPDATE`,
        [input.fineId],
      );
      if (!fine) throw CirculationError.FINE_NOT_FOUND({ id: input.fineId });
      if (amountFen > fen(fine.owing)) throw CirculationError.WAIVE_OVER_OWED({ field: 'amount', owing: fine.owing });
      await this.settle(em, 'waived', [input.fineId], [numeric(amountFen)], { ...input, paymentId: null });
      return (await this.finesOf(em, fine.patron_id, input.fineId))[0];
    });
  }

  /** A receipt, for the desk to print (any) or the resident (their own only). */
  async receipt(receiptNumber: string, patronId?: string): Promise<Receipt> {
    const [receipt] = await this.receipts(this.dataSource.manager, [receiptNumber]);
    if (!receipt || (patronId && receipt.patronId !== patronId)) throw CirculationError.RECEIPT_NOT_FOUND({ number: receiptNumber });
    const { patronId: _p, ...shown } = receipt;
    return shown;
  }

  /** Applies the parts to the fines (a fine with nothing left owing is settled) and writes their events, in two statements. */
  private async settle(
    em: EntityManager,
    kind: 'paid' | 'waived',
    ids: string[],
    parts: string[],
    who: FineActor & { paymentId: string | null; reason: string },
  ): Promise<void> {
    await em.query(
      `UPDATE fine f SET ${kind} = f.${kind} + a.part,
              paid_at = CASE WHEN f.amount - f.paid - f.waived - a.part = 0 THEN now() ELSE NULL END
         FROM unnest($1::uuid[], $2::numeric[]) AS a(id, part) WHERE f.id = a.id`,
      [ids, parts],
    );
    await em.query(
      `INSERT INTO fine_event (fine_id, patron_id, kind, amount, reason, actor_id, branch_id, payment_id)
       SELECT f.id, f.patron_id, $3, a.part, $4, $5, $6, $7 FROM unnest($1::uuid[], $2::numeric[]) AS a(id, part) JOIN fine f ON f.id = a.id`,
      [ids, parts, kind, who.reason, who.actorId, who.branchId, who.paymentId],
    );
  }

  private async finesOf(em: EntityManager, patronId: string, fineId?: string): Promise<FineView[]> {
    const rows: Array<Record<string, unknown>> = await em.query(
      `SELECT f.id, f.reason, r.title, f.amount::text AS amount, f.paid::text AS paid, f.waived::text AS waived,
              (f.amount - f.paid - f.waived)::text AS owing, f.created_at, f.paid_at
         FROM fine f LEFT JOIN loan l ON l.id = f.loan_id LEFT JOIN item i ON i.id = l.item_id LEFT JOIN bib_record r ON r.id = i.record_id
        WHERE f.patron_id = $1 AND ($2::uuid IS NULL OR f.id = $2)
        ORDER BY f.paid_at IS NOT NULL, f.created_at, f.id LIMIT 500`,
      [patronId, fineId ?? null],
    );
    return rows.map((r) => ({
      id: r.id as string,
      reason: r.reason as string,
      title: (r.title as string | null) ?? null,
      amount: Number(r.amount),
      paid: Number(r.paid),
      waived: Number(r.waived),
      owing: Number(r.owing),
      createdAt: r.created_at as Date,
      settledAt: r.paid_at as Date | null,
    }));
  }

  private async receipts(em: EntityManager, numbers: string[]): Promise<Array<Receipt & { patronId: string }>> {
    if (!numbers.length) return [];
    const rows: Array<Record<string, unknown>> = await em.query(
      `SELECT p.receipt_number, p.patron_id, p.amount::text AS amount, p.method, p.created_at, b.name AS branch_name, pa.name AS patron_name,
              (SELECT c.number FROM card c WHERE c.patron_id = p.patron_id AND c.status IN ('active', 'suspended') LIMIT 1) AS card_number,
              (SELECT coalesce(json_agg(json_build_object('fineId', e.fine_id, 'reason', f.reason, 'title', r.title, 'amount', e.amount::text) ORDER BY e.id), '[]')
                 FROM fine_event e JOIN fine f ON f.id = e.fine_id LEFT JOIN loan l ON l.id = f.loan_id LEFT JOIN item i ON i.id = l.item_id
                 LEFT JOIN bib_record r ON r.id = i.record_id
                WHERE e.payment_id = p.id) AS lines
         FROM payment p JOIN patron pa ON pa.id = p.patron_id LEFT JOIN branch b ON b.id = p.branch_id
        WHERE p.receipt_number = ANY($1::text[])
        ORDER BY p.created_at DESC, p.receipt_number DESC`,
      [numbers],
    );
    return rows.map((r) => ({
      receiptNumber: r.receipt_number as string,
      patronId: r.patron_id as string,
      amount: Number(r.amount),
      method: r.method as PaymentMethod,
      paidAt: r.created_at as Date,
      branchName: (r.branch_name as string | null) ?? null,
      patronName: maskPersonName(r.patron_name as string),
      cardNumber: r.card_number ? maskCardNumber(r.card_number as string) : null,
      lines: (r.lines as Array<ReceiptLine & { amount: string }>).map((l) => ({ ...l, amount: Number(l.amount) })),
    }));
  }
}
