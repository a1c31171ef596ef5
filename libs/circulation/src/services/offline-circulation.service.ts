import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { maskCardNumber } from '@lib/accounts';
import { DomainError } from '@lib/errors';
import { isPgError, PgErrorCode } from '@lib/db';
import { Branch, NetworkError } from '@lib/network';
import { CheckinResult } from '../dto/circulation.dto';
import { CirculationError } from '../circulation.errors';
import { OfflineTransactionType } from '../entities/offline-transaction.entity';
import { inTimeOrder, OFFLINE_MAX_AGE_DAYS, offlineTiming } from '../rules/offline';
import { CirculationService } from './circulation.service';

export interface OfflineRecord {
  clientId: string;
  type: OfflineTransactionType;
  at: Date;
  cardNumber?: string;
  barcode: string;
  /** The mobile library's stop the van was at, as for a checkout or check-in online. */
  stopId?: string;
}

/** What became of one uploaded record. A duplicate says what its first upload came to. */
export type OfflineResult =
  | { clientId: string; result: 'applied'; type: 'checkout'; loanId: string; dueAt: Date }
  | { clientId: string; result: 'applied'; type: 'checkin'; checkin: CheckinResult }
  | { clientId: string; result: 'conflict'; conflictId: string; code: string; message: { zh: string; en: string } }
  | { clientId: string; result: 'duplicate'; firstOutcome: 'applied' | 'conflict'; code: string | null };

export interface OfflineConflictView {
  id: string;
  clientId: string;
  branchId: string;
  type: OfflineTransactionType;
  at: Date;
  barcode: string;
  title: string | null;
  /** Masked (1108****0017): enough to find the card, not to use it. */
  card: string | null;
  code: string;
  message: { zh: string; en: string };
  uploadedAt: Date;
  settledAt: Date | null;
  settleNote: string | null;
}

/** A record whose transaction lost a deadlock or serialisation race is tried again (it was rolled back). */
const ATTEMPTS = 3;

/**
 * Offline circulation, as Evergreen's offline client does it: a desk without network records checkouts
 * and check-ins with their own time and a client id, then uploads them at once. They are applied in
 * time order, each in a transaction of its own through CirculationService's rules (the loan starts at
 * the record's time, the due date counts from it). One the rules refuse is kept as a conflict, not a
 * failure of the upload, until a librarian settles it. The record's row is written first, under a
 * unique client id: a retried or parallel upload waits for it and answers `duplicate`, never applies twice.
 */
@Injectable()
export class OfflineCirculationService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly circulation: CirculationService,
  ) {}

  /** Applies the records in time order; answers them in that order. */
  async upload(input: { branchId: string; staffId: string | null; records: readonly OfflineRecord[] }): Promise<OfflineResult[]> {
    if (!(await this.dataSource.getRepository(Branch).existsBy({ id: input.branchId }))) {
      throw NetworkError.BRANCH_NOT_FOUND({ id: input.branchId, field: 'branchId' });
    }
    const results: OfflineResult[] = [];
    for (const i of inTimeOrder(input.records)) results.push(await this.one(input.records[i], input.branchId, input.staffId));
    return results;
  }

  private async one(record: OfflineRecord, branchId: string, staffId: string | null): Promise<OfflineResult> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.dataSource.transaction((em) => this.apply(em, record, branchId, staffId));
      } catch (error) {
        const race = isPgError(error, PgErrorCode.DeadlockDetected) || isPgError(error, PgErrorCode.SerializationFailure);
        if (race && attempt < ATTEMPTS) continue;
        throw error;
      }
    }
  }

  private async apply(em: EntityManager, record: OfflineRecord, branchId: string, staffId: string | null): Promise<OfflineResult> {
    const { clientId } = record;
    const cardNumber = record.type === 'checkout' ? (record.cardNumber ?? null) : null;
    // Claims the client id first: a second upload of the same record waits here for this one's commit, then finds it.
    const [claimed]: Array<{ id: string }> = await em.query(
      `INSERT INTO offline_transaction (client_id, branch_id, type, at, card_number, barcode, outcome, uploaded_by)
       VALUES ($1, $2, $3, $4, $5, $6, 'applied', $7) ON CONFLICT (client_id) DO NOTHING RETURNING id`,
      [clientId, branchId, record.type, record.at, cardNumber, record.barcode, staffId],
    );
    if (!claimed) {
      const [first]: Array<{ outcome: 'applied' | 'conflict'; code: string | null }> = await em.query(
        `SELECT outcome, code FROM offline_transaction WHERE client_id = $1`,
        [clientId],
      );
      return { clientId, result: 'duplicate', firstOutcome: first.outcome, code: first.code };
    }
    const conflict = async (error: DomainError): Promise<OfflineResult> => {
      const message = { zh: messageOf(error, 'zh-CN'), en: messageOf(error, 'en') };
      await em.query(`UPDATE offline_transaction SET outcome = 'conflict', code = $2, message_zh = $3, message_en = $4 WHERE id = $1`, [
        claimed.id,
        error.code,
        message.zh,
        message.en,
      ]);
      return { clientId, result: 'conflict', conflictId: claimed.id, code: error.code, message };
    };
    const timing = offlineTiming(record.at, new Date());
    if (!timing.ok) return conflict(CirculationError[timing.code]({ at: record.at.toISOString(), days: OFFLINE_MAX_AGE_DAYS }));

    // The rules' refusal rolls back only what the circulation step wrote; the record stays, as a conflict.
    await em.query('SAVEPOINT offline_record');
    try {
      if (record.type === 'checkout') {
        const loan = await this.circulation.checkout({ cardNumber: cardNumber!, barcode: record.barcode, branchId, at: record.at, stopId: record.stopId }, em);
        await em.query(`UPDATE offline_transaction SET loan_id = $2 WHERE id = $1`, [claimed.id, loan.loanId]);
        return { clientId, result: 'applied', type: 'checkout', ...loan };
      }
      const checkin = await this.circulation.checkin({ barcode: record.barcode, branchId, at: record.at, stopId: record.stopId }, em);
      if (checkin.loanId) await em.query(`UPDATE offline_transaction SET loan_id = $2 WHERE id = $1`, [claimed.id, checkin.loanId]);
      return { clientId, result: 'applied', type: 'checkin', checkin };
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      await em.query('ROLLBACK TO SAVEPOINT offline_record');
      return conflict(error);
    }
  }

  /** A branch's conflicts, oldest record first: the open ones, or the last 200 settled. */
  async conflicts(branchId: string, state: 'open' | 'settled' = 'open'): Promise<OfflineConflictView[]> {
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `SELECT o.id, o.client_id, o.branch_id, o.type, o.at, o.barcode, r.title, o.card_number, o.code, o.message_zh, o.message_en,
              o.uploaded_at, o.settled_at, o.settle_note
         FROM offline_transaction o
         LEFT JOIN item i ON i.barcode = o.barcode LEFT JOIN bib_record r ON r.id = i.record_id
        WHERE o.branch_id = $1 AND o.outcome = 'conflict' AND (o.settled_at IS NULL) = $2
        ORDER BY ${state === 'open' ? 'o.at, o.uploaded_at' : 'o.settled_at DESC'} LIMIT ${state === 'open' ? 1000 : 200}`,
      [branchId, state === 'open'],
    );
    return rows.map((r) => ({
      id: r.id as string,
      clientId: r.client_id as string,
      branchId: r.branch_id as string,
      type: r.type as OfflineTransactionType,
      at: r.at as Date,
      barcode: r.barcode as string,
      title: (r.title as string | null) ?? null,
      card: r.card_number ? maskCardNumber(r.card_number as string) : null,
      code: r.code as string,
      message: { zh: r.message_zh as string, en: r.message_en as string },
      uploadedAt: r.uploaded_at as Date,
      settledAt: r.settled_at as Date | null,
      settleNote: r.settle_note as string | null,
    }));
  }

  /** A librarian says what was done about a conflict; one statement, so two settling it at once cannot both succeed. */
  async settle(input: { id: string; branchId: string; staffId: string | null; note: string }): Promise<{ id: string; settledAt: Date }> {
    const [rows]: [Array<{ id: string; settled_at: Date }>, number] = await this.dataSource.query(
      `UPDATE offline_transaction SET settled_at = now(), settled_by = $3, settle_note = $4
        WHERE id = $1 AND branch_id = $2 AND outcome = 'conflict' AND settled_at IS NULL RETURNING id, settled_at`,
      [input.id, input.branchId, input.staffId, input.note],
    );
    if (rows.length) return { id: rows[0].id, settledAt: rows[0].settled_at };
    const [known]: Array<{ settled: boolean }> = await this.dataSource.query(
      `SELECT settled_at IS NOT NULL AS settled FROM offline_transaction WHERE id = $1 AND branch_id = $2 AND outcome = 'conflict'`,
      [input.id, input.branchId],
    );
    if (known?.settled) throw CirculationError.OFFLINE_CONFLICT_SETTLED({ id: input.id });
    throw CirculationError.OFFLINE_CONFLICT_NOT_FOUND({ id: input.id });
  }
}

/** The refusal's message as stored for later reading: a card number in it is masked. */
function messageOf(error: DomainError, locale: 'zh-CN' | 'en'): string {
  const details = { ...error.details };
  for (const key of ['number', 'cardNumber']) if (typeof details[key] === 'string') details[key] = maskCardNumber(details[key] as string);
  return new DomainError(error.code, error.definition, details).messageIn(locale);
}
