import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { Env } from '@lib/config';
import { notify } from '@lib/notifications';

export type LoanReminderKind = 'loan_due_soon' | 'loan_overdue';

/**
 * Tells residents a loan is due within DUE_SOON_DAYS, and that it is overdue: once per loan, kind and
 * due date (a renewal earns a fresh reminder). The notice itself is the record that it was sent; runs
 * take a transaction-scoped advisory lock first, so two workers at once send each notice once: the
 * second waits, then its query (a new snapshot under READ COMMITTED) sees the first one's notices.
 */
@Injectable()
export class LoanRemindersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly env: Env,
  ) {}

  async send(now: Date = new Date(), batch = 500): Promise<Record<LoanReminderKind, number>> {
    return this.dataSource.transaction(async (em) => {
      await em.query(`SELECT pg_advisory_xact_lock(hashtextextended('job:loan-reminders', 0))`);
      const rows: Array<{ id: string; patron_id: string; due_at: Date; title: string; barcode: string; kind: LoanReminderKind }> = await em.query(
        `SELECT l.id, l.patron_id, l.due_at, r.title, i.barcode, k.kind
           FROM loan l JOIN item i ON i.id = l.item_id JOIN bib_record r ON r.id = i.record_id
           CROSS JOIN LATERAL (SELECT CASE WHEN l.due_at <= $1 THEN 'loan_overdue' ELSE 'loan_due_soon' END AS kind) k
          WHERE l.closed_at IS NULL AND l.patron_id IS NOT NULL AND l.due_at <= $1::timestamptz + make_interval(days => $2)
            AND NOT EXISTS (SELECT 1 FROM notification n WHERE n.recipient_id = l.patron_id AND n.kind = k.kind
                              AND n.payload->>'loanId' = l.id::text AND (n.payload->>'dueAt')::timestamptz = date_trunc('milliseconds', l.due_at))
          ORDER BY l.due_at LIMIT $3`,
        [now, this.env.DUE_SOON_DAYS, batch],
      );
      const sent: Record<LoanReminderKind, number> = { loan_due_soon: 0, loan_overdue: 0 };
      for (const row of rows) {
        await notify(em, {
          recipientKind: 'patron',
          recipientId: row.patron_id,
          kind: row.kind,
          payload: {
            loanId: row.id,
            title: row.title,
            barcode: row.barcode,
            dueAt: row.due_at.toISOString(),
            dueDate: DateTime.fromJSDate(row.due_at, { zone: this.env.TIME_ZONE }).toISODate(),
          },
        });
        sent[row.kind]++;
      }
      return sent;
    });
  }
}
