import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Page, pageWindow } from '@lib/db';
import { PersonalDataAccess, PersonalDataOperation } from '../entities/personal-data-access.entity';
import { maskPersonName } from '../identity/masking';

/** Who is looking, as the API saw the request: the staff account, the client address (TRUST_PROXY honoured) and the user agent. */
export interface StaffAccess {
  staffId: string;
  ip: string | null;
  userAgent: string | null;
}

export interface PersonalDataAccessEntry {
  patronId: string;
  operation: PersonalDataOperation;
  action: string;
  fields: string[];
}

export interface PersonalDataAccessQuery {
  patronId?: string;
  staffId?: string;
  from?: Date;
  to?: Date;
  page?: number;
  pageSize?: number;
}

export interface PersonalDataAccessView {
  id: string;
  at: Date;
  staffId: string;
  staffUsername: string | null;
  patronId: string;
  /** Masked: 张*. */
  patronName: string | null;
  operation: PersonalDataOperation;
  action: string;
  fields: string[];
  ip: string | null;
  userAgent: string | null;
}

/** Retention can never be shorter than this; the database's append-only trigger refuses younger deletes too. */
export const MIN_PERSONAL_DATA_LOG_DAYS = 30;

/**
 * The PIPL access log: every staff read or change of a resident's personal data. Writes go into the caller's
 * transaction, so a change and its log line commit or roll back together.
 */
@Injectable()
export class PersonalDataAccessLog {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async record(em: EntityManager, access: StaffAccess, entry: PersonalDataAccessEntry): Promise<void> {
    await em.query(
      `INSERT INTO personal_data_access (staff_id, patron_id, operation, action, fields, ip, user_agent) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [access.staffId, entry.patronId, entry.operation, entry.action, entry.fields, access.ip?.slice(0, 64) ?? null, access.userAgent?.slice(0, 500) ?? null],
    );
  }

  /** Newest first; filtered by resident, staff member and time window [from, to). */
  async list(query: PersonalDataAccessQuery): Promise<Page<PersonalDataAccessView>> {
    const { skip, take, page, pageSize } = pageWindow(query);
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (query.patronId) add('a.patron_id = ?', query.patronId);
    if (query.staffId) add('a.staff_id = ?', query.staffId);
    if (query.from) add('a.at >= ?', query.from);
    if (query.to) add('a.at < ?', query.to);
    const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const [{ total }]: Array<{ total: number }> = await this.dataSource.query(`SELECT count(*)::int AS total FROM personal_data_access a ${filter}`, params);
    const rows: Array<{
      id: string; at: Date; staff_id: string; username: string | null; patron_id: string; name: string | null; closed_at: Date | null;
      operation: PersonalDataOperation; action: string; fields: string[]; ip: string | null; user_agent: string | null;
    }> = await this.dataSource.query(
      `SELECT a.id, a.at, a.staff_id, s.username, a.patron_id, p.name, p.closed_at, a.operation, a.action, a.fields, a.ip, a.user_agent
         FROM personal_data_access a
         LEFT JOIN staff s ON s.id = a.staff_id
         LEFT JOIN patron p ON p.id = a.patron_id
         ${filter}
        ORDER BY a.at DESC, a.id DESC
        LIMIT ${take} OFFSET ${skip}`,
      params,
    );
    return {
      items: rows.map((r) => ({
        id: r.id,
        at: r.at,
        staffId: r.staff_id,
        staffUsername: r.username,
        patronId: r.patron_id,
        patronName: r.name === null || r.closed_at ? null : maskPersonName(r.name),
        operation: r.operation,
        action: r.action,
        fields: r.fields,
        ip: r.ip,
        userAgent: r.user_agent,
      })),
      total,
      page,
      pageSize,
    };
  }

  /**
   * Retention: deletes lines older than `days` (at least MIN_PERSONAL_DATA_LOG_DAYS). The cutoff goes to the
   * append-only trigger in a transaction-local setting; it lets through only rows older than that cutoff.
   */
  async purgeOlderThan(days: number): Promise<number> {
    const keep = Math.max(days, MIN_PERSONAL_DATA_LOG_DAYS);
    return this.dataSource.transaction(async (em) => {
      const [{ cutoff }]: Array<{ cutoff: string }> = await em.query(`SELECT (now() - make_interval(days => $1))::text AS cutoff`, [keep]);
      await em.query(`SELECT set_config('culture.personal_data_purge_before', $1, true)`, [cutoff]);
      const [, deleted] = (await em.query(`DELETE FROM personal_data_access WHERE at < $1::timestamptz`, [cutoff])) as [unknown, number];
      return deleted ?? 0;
    });
  }
}
