import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DateTime } from 'luxon';
import { isPgError, PgErrorCode } from '@lib/db';
import { CreateMobileStopDto, MobileStopQuery, MobileStopView, MobileStopVisitView, ScheduleVisitsDto, UpdateMobileStopDto } from '../dto/mobile-stop.dto';
import { NetworkError } from '../network.errors';

const DEFAULT_DAYS = 28;

/** 流动图书车: the mobile library's stops, each in the community it serves, and the visits of its route. */
@Injectable()
export class MobileStopsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async create(input: CreateMobileStopDto, branchId: string): Promise<MobileStopView> {
    const id = await this.dataSource.transaction(async (em) => {
      await this.mobileBranch(em, branchId);
      await this.servedRegion(em, input.regionId);
      const [row]: Array<{ id: string }> = await em.query(
        `INSERT INTO mobile_stop (branch_id, region_id, name, place) VALUES ($1, $2, $3, $4) RETURNING id`,
        [branchId, input.regionId, input.name, input.place ?? null],
      );
      return row.id;
    });
    return this.get(id);
  }

  async update(id: string, input: UpdateMobileStopDto, branchId: string): Promise<MobileStopView> {
    await this.dataSource.transaction(async (em) => {
      await this.lockStop(em, id, branchId);
      if (input.regionId !== undefined) await this.servedRegion(em, input.regionId);
      await em.query(
        `UPDATE mobile_stop SET name = coalesce($2, name), place = coalesce($3, place), region_id = coalesce($4, region_id), updated_at = now() WHERE id = $1`,
        [id, input.name ?? null, input.place ?? null, input.regionId ?? null],
      );
    });
    return this.get(id);
  }

  /** A stop no hold names can go, with its visits; one that holds name stays (the holds' history says where). */
  async remove(id: string, branchId: string): Promise<{ id: string; deleted: true }> {
    try {
      await this.dataSource.transaction(async (em) => {
        await this.lockStop(em, id, branchId);
        await em.query(`DELETE FROM mobile_stop WHERE id = $1`, [id]);
      });
    } catch (e) {
      if (isPgError(e, PgErrorCode.ForeignKeyViolation)) throw NetworkError.MOBILE_STOP_IN_USE({ id });
      throw e;
    }
    return { id, deleted: true };
  }

  /**
   * Schedules visits on some dates at the same times, in the branch's zone. All or none: a date on which the
   * van is already elsewhere (the exclusion constraint, also between parallel requests) refuses the lot.
   */
  async schedule(stopId: string, input: ScheduleVisitsDto, branchId: string): Promise<MobileStopView> {
    if (input.ends <= input.starts) throw NetworkError.MOBILE_STOP_VISIT_ORDER({ field: 'ends' });
    try {
      await this.dataSource.transaction(async (em) => {
        const { timeZone } = await this.lockStop(em, stopId, branchId, 'share');
        const dates = [...new Set(input.dates)].sort();
        const at = (date: string, time: string) => DateTime.fromISO(`${date}T${time}`, { zone: timeZone }).toJSDate();
        await em.query(
          `INSERT INTO mobile_stop_visit (stop_id, branch_id, starts_at, ends_at)
           SELECT $1, $2, s, e FROM unnest($3::timestamptz[], $4::timestamptz[]) AS v(s, e)`,
          [stopId, branchId, dates.map((d) => at(d, input.starts)), dates.map((d) => at(d, input.ends))],
        );
      });
    } catch (e) {
      if (isPgError(e, PgErrorCode.ExclusionViolation, 'mobile_stop_visit_no_overlap')) {
        throw NetworkError.MOBILE_STOP_VISIT_OVERLAP({ field: 'dates', dates: input.dates.join(', ') });
      }
      throw e;
    }
    return this.get(stopId);
  }

  async cancelVisit(stopId: string, visitId: string, branchId: string): Promise<MobileStopView> {
    await this.dataSource.transaction(async (em) => {
      await this.lockStop(em, stopId, branchId, 'share');
      const deleted: [unknown[], number] = await em.query(`DELETE FROM mobile_stop_visit WHERE id = $1 AND stop_id = $2`, [visitId, stopId]);
      if (!deleted[1]) throw NetworkError.MOBILE_STOP_VISIT_NOT_FOUND({ id: visitId });
    });
    return this.get(stopId);
  }

  async get(id: string): Promise<MobileStopView> {
    const [stop] = await this.list({}, id);
    if (!stop) throw NetworkError.MOBILE_STOP_NOT_FOUND({ id });
    return stop;
  }

  /** Stops with their visits that have not ended yet, within `days` days; what residents read, so no personal data. */
  async list(query: MobileStopQuery, onlyId?: string): Promise<MobileStopView[]> {
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `SELECT s.id, s.branch_id, b.name AS branch_name, b.time_zone, s.region_id, r.name AS region_name, s.name, s.place,
              (SELECT coalesce(json_agg(json_build_object('id', v.id, 'startsAt', v.starts_at, 'endsAt', v.ends_at) ORDER BY v.starts_at), '[]')
                 FROM mobile_stop_visit v
                WHERE v.stop_id = s.id AND v.ends_at > now() AND v.starts_at < now() + make_interval(days => $3)) AS visits
         FROM mobile_stop s JOIN branch b ON b.id = s.branch_id JOIN region r ON r.id = s.region_id
        WHERE ($1::uuid IS NULL OR s.branch_id = $1) AND ($2::uuid IS NULL OR s.id = $2)
        ORDER BY s.name, s.id`,
      [query.branchId ?? null, onlyId ?? null, query.days ?? DEFAULT_DAYS],
    );
    return rows.map((r) => ({
      id: r.id as string,
      branchId: r.branch_id as string,
      branchName: r.branch_name as string,
      regionId: r.region_id as string,
      regionName: r.region_name as string,
      name: r.name as string,
      place: r.place as string | null,
      visits: (r.visits as Array<{ id: string; startsAt: string; endsAt: string }>).map((v) => visitView(v, r.time_zone as string)),
    }));
  }

  /** Only a mobile library has stops. */
  private async mobileBranch(em: EntityManager, branchId: string): Promise<void> {
    const [branch]: Array<{ kind: string }> = await em.query(`SELECT kind FROM branch WHERE id = $1 FOR SHARE`, [branchId]);
    if (!branch) throw NetworkError.BRANCH_NOT_FOUND({ id: branchId, field: 'branchId' });
    if (branch.kind !== 'mobile') throw NetworkError.MOBILE_STOP_BRANCH_INVALID({ field: 'branchId' });
  }

  /** A stop serves a community or a village (FOR SHARE: it cannot change kind or go while the stop is written). */
  private async servedRegion(em: EntityManager, regionId: string): Promise<void> {
    const [region]: Array<{ kind: string }> = await em.query(`SELECT kind FROM region WHERE id = $1 FOR SHARE`, [regionId]);
    if (!region) throw NetworkError.REGION_NOT_FOUND({ id: regionId, field: 'regionId' });
    if (region.kind !== 'community' && region.kind !== 'village') throw NetworkError.MOBILE_STOP_REGION_INVALID({ field: 'regionId' });
  }

  /** The stop, locked, if it is one of the acting branch's; another branch's stop is not found (its staff's to manage). */
  private async lockStop(em: EntityManager, id: string, branchId: string, mode: 'update' | 'share' = 'update'): Promise<{ timeZone: string }> {
    const [stop]: Array<{ time_zone: string }> = await em.query(
      `SELECT b.time_zone FROM mobile_stop s JOIN branch b ON b.id = s.branch_id WHERE s.id = $1 AND s.branch_id = $2 FOR ${mode === 'update' ? 'UPDATE' : 'SHARE'} OF s`,
      [id, branchId],
    );
    if (!stop) throw NetworkError.MOBILE_STOP_NOT_FOUND({ id });
    return { timeZone: stop.time_zone };
  }
}

function visitView(v: { id: string; startsAt: string; endsAt: string }, timeZone: string): MobileStopVisitView {
  const starts = DateTime.fromISO(v.startsAt, { zone: timeZone });
  const ends = DateTime.fromISO(v.endsAt, { zone: timeZone });
  return { id: v.id, startsAt: starts.toJSDate(), endsAt: ends.toJSDate(), date: starts.toISODate()!, starts: starts.toFormat('HH:mm'), ends: ends.toFormat('HH:mm') };
}
