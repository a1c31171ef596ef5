import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { isPgError, PgErrorCode } from '@lib/db';
import { CommonError } from '@lib/errors';
import { recordUsage } from '../usage-log';
import { CountReportDto, DigitalAccessDto, UsageQuery } from '../dto/usage.dto';
import { REBUILD_DAYS_SQL, REBUILD_MONTH_SQL, REBUILD_MONTHLY_SQL, REBUILD_ROLLUPS_SQL, ROLLUP_MONTH_LOCK_SQL, ROLLUP_REBUILD_LOCK_SQL } from '../rollup-sql';
import { StatsError } from '../stats.errors';

interface CountReport {
  branchId: string;
  count: number;
  from: string;
  to: string;
}

const DAY_MS = 86_400_000;

/** Usage figures: door-counter visits in, daily series out, and the rollups rebuilt from the raw log. */
@Injectable()
export class StatsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** A door counter reports an interval; intervals of one branch never overlap (an exclusion constraint). Counted on the day it began. */
  async recordVisits(input: CountReportDto): Promise<CountReport> {
    try {
      return await this.recordCount('visit', input);
    } catch (e) {
      if (isPgError(e, PgErrorCode.ExclusionViolation, 'usage_event_visit_no_overlap')) throw StatsError.VISITS_ALREADY_COUNTED();
      throw e;
    }
  }

  /** A digital resource platform reports accesses (e-books, databases, online lectures) for a branch's readers. */
  async recordDigitalAccess(input: DigitalAccessDto): Promise<CountReport> {
    return this.recordCount('digital_access', input, { category: input.resource });
  }

  private async recordCount(kind: 'visit' | 'digital_access', input: CountReportDto, extra: Record<string, unknown> = {}): Promise<CountReport> {
    const from = new Date(input.from);
    const to = new Date(input.to);
    const invalid = (field: string, message: string) => CommonError.VALIDATION_FAILED({ fields: field, errors: [{ field, messages: [message] }] });
    if (!(from < to)) throw invalid('to', 'to must be after from');
    if (to.getTime() - from.getTime() > DAY_MS) throw invalid('to', 'an interval covers at most 24 hours (it is counted on the day it began)');
    if (to.getTime() > Date.now() + 5 * 60_000) throw invalid('to', 'to must not be in the future');
    await this.dataSource.transaction(async (em) => {
      // The log has no foreign key to branch (it outlives branches); an unknown branch would be an event no region counts.
      const [branch] = await em.query(`SELECT 1 FROM branch WHERE id = $1`, [input.branchId]);
      if (!branch) throw CommonError.REFERENCE_NOT_FOUND({ field: 'branchId' });
      await recordUsage(em, { kind, branchId: input.branchId, quantity: input.count, occurredAt: from, attributes: { from: from.toISOString(), to: to.toISOString(), ...extra } });
    });
    return { branchId: input.branchId, count: input.count, from: from.toISOString(), to: to.toISOString() };
  }

  /** A series of one usage kind per day or month, from the rollups. */
  async usage(query: UsageQuery): Promise<{ metric: string; groupBy: string; series: Array<{ period: string; events: number; quantity: number }>; total: { events: number; quantity: number } }> {
    if (query.to < query.from) throw CommonError.VALIDATION_FAILED({ fields: 'to', errors: [{ field: 'to', messages: ['to must not be before from'] }] });
    const groupBy = query.groupBy ?? 'day';
    const rows: Array<{ period: string; events: string; quantity: string }> = await this.dataSource.query(
      `WITH RECURSIVE within AS (SELECT id FROM region WHERE id = $5 UNION SELECT r.id FROM region r JOIN within w ON r.parent_id = w.id)
       SELECT to_char(date_trunc($6, day), $7) AS period, sum(events) AS events, sum(quantity) AS quantity
         FROM usage_daily
        WHERE kind = $1 AND day BETWEEN $2::date AND $3::date
          AND ($4::uuid IS NULL OR branch_id = $4)
          AND ($5::uuid IS NULL OR region_id IN (SELECT id FROM within))
        GROUP BY 1 ORDER BY 1`,
      [query.metric, query.from, query.to, query.branchId ?? null, query.regionId ?? null, groupBy, groupBy === 'day' ? 'YYYY-MM-DD' : 'YYYY-MM'],
    );
    const series = rows.map((r) => ({ period: r.period, events: Number(r.events), quantity: Number(r.quantity) }));
    return {
      metric: query.metric,
      groupBy,
      series,
      total: series.reduce((t, r) => ({ events: t.events + r.events, quantity: t.quantity + r.quantity }), { events: 0, quantity: 0 }),
    };
  }

  /**
   * Throws the rollups away and computes them again from the raw log. New events wait (the log is
   * locked against writes for the rebuild), so nothing is counted twice or lost.
   */
  async rebuildRollups(): Promise<{ rows: number; events: number }> {
    return this.dataSource.transaction(async (em) => {
      // Writes pause while the rollups are rebuilt (seconds per million events); give up rather than queue behind a long writer.
      await em.query(`SET LOCAL lock_timeout = '10s'`);
      await em.query(ROLLUP_REBUILD_LOCK_SQL);
      await em.query(`LOCK TABLE usage_event IN SHARE MODE`);
      await em.query(`DELETE FROM usage_daily`);
      await em.query(`DELETE FROM usage_monthly`);
      await em.query(REBUILD_ROLLUPS_SQL);
      await em.query(REBUILD_MONTHLY_SQL);
      const [{ rows, events }] = await em.query(`SELECT count(*)::int AS rows, coalesce(sum(events), 0)::bigint AS events FROM usage_daily`);
      return { rows, events: Number(events) };
    });
  }

  /**
   * Recomputes the rollups of the last `days` days (today included, in `timeZone`, the district's) from the
   * raw log: their daily rows, and the monthly rows of their months from the daily ones. Run nightly, it
   * repairs whatever the trigger's running totals got wrong recently without pausing writes to the log:
   * each month is done in its own transaction under that month's rollup lock (ROLLUP_MONTH_LOCK_SQL), which
   * only the events of that month wait for, and only for these few rows. Idempotent: a second run rewrites
   * the same numbers.
   */
  async rebuildRecentRollups(timeZone: string, days = 2): Promise<{ days: number; rows: number; events: number }> {
    const window: Array<{ day: string; month: string }> = await this.dataSource.query(
      `SELECT to_char(d, 'YYYY-MM-DD') AS day, to_char(date_trunc('month', d), 'YYYY-MM-DD') AS month
         FROM generate_series((now() AT TIME ZONE $1)::date - ($2::int - 1), (now() AT TIME ZONE $1)::date, interval '1 day') AS d
        ORDER BY d`,
      [timeZone, days],
    );
    const months = new Map<string, string[]>();
    for (const { day, month } of window) months.set(month, [...(months.get(month) ?? []), day]);
    let rows = 0;
    let events = 0;
    // One month per transaction: the rebuild never holds one month's lock while waiting for another's.
    for (const [month, monthDays] of months) {
      const done = await this.dataSource.transaction(async (em) => {
        await em.query(`SET LOCAL lock_timeout = '10s'`);
        await em.query(ROLLUP_REBUILD_LOCK_SQL);
        await this.takeMonthLock(em, month);
        const from = monthDays[0];
        const to = monthDays[monthDays.length - 1];
        await em.query(`DELETE FROM usage_daily WHERE day = ANY($1::date[])`, [monthDays]);
        await em.query(REBUILD_DAYS_SQL, [monthDays, `${shiftDays(from, -2)}T00:00:00Z`, `${shiftDays(to, 3)}T00:00:00Z`]);
        await em.query(`DELETE FROM usage_monthly WHERE month = $1::date`, [month]);
        await em.query(REBUILD_MONTH_SQL, [month]);
        const [r] = await em.query(`SELECT count(*)::int AS rows, coalesce(sum(events), 0)::bigint AS events FROM usage_daily WHERE day = ANY($1::date[])`, [monthDays]);
        return { rows: r.rows as number, events: Number(r.events) };
      });
      rows += done.rows;
      events += done.events;
    }
    return { days: window.length, rows, events };
  }

  private async takeMonthLock(em: EntityManager, month: string): Promise<void> {
    const giveUpAt = Date.now() + MONTH_LOCK_PATIENCE_MS;
    for (;;) {
      const [{ locked }] = await em.query(ROLLUP_MONTH_LOCK_SQL, [month]);
      if (locked) return;
      if (Date.now() > giveUpAt) throw new Error(`usage rollups of ${month.slice(0, 7)} stayed busy for ${MONTH_LOCK_PATIENCE_MS / 1000} s; the rebuild will be retried`);
      await new Promise((resolve) => setTimeout(resolve, MONTH_LOCK_RETRY_MS));
    }
  }
}

/**
 * Takes a rollup month's lock exclusively by trying, never by waiting in PostgreSQL's queue: a queued
 * exclusive request makes every later shared request (each new event of the month) wait behind it, so one
 * long writer would pause the whole district's usage writes. Between tries writers go on; after
 * `MONTH_LOCK_PATIENCE_MS` the job gives up and its retry comes back later.
 */
const MONTH_LOCK_PATIENCE_MS = 30_000;
const MONTH_LOCK_RETRY_MS = 50;

/** `YYYY-MM-DD` moved by whole days. */
function shiftDays(day: string, by: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + by * DAY_MS).toISOString().slice(0, 10);
}
