import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { DateTime, IANAZone } from 'luxon';
import { isPgError, Page, PgErrorCode, pageWindow } from '@lib/db';
import { CommonError } from '@lib/errors';
import { Env } from '@lib/config';
import { Branch, BranchCalendarException, BranchWeeklyHours } from '../entities/branch.entity';
import { Region } from '../entities/region.entity';
import {
  BranchQuery,
  BranchView,
  CalendarExceptionDto,
  CreateBranchDto,
  UpdateBranchDto,
  WeeklyHoursDto,
} from '../dto/branch.dto';
import { NetworkError } from '../network.errors';
import { branchParentProblem } from '../region-rules';
import {
  CalendarException,
  InvalidCalendarInputError,
  isOpenAt,
  isoWeekOf,
  OpeningCalendar,
  openHoursInWeek,
  parseIsoWeek,
  validateOpeningIntervals,
  WeekHours,
  WeeklyHours,
} from '../calendar/opening-calendar';
import { RegionsService } from './regions.service';

@Injectable()
export class BranchesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly regions: RegionsService,
    private readonly env: Env,
  ) {}

  async create(input: CreateBranchDto): Promise<BranchView> {
    checkTimeZone(input.timeZone);
    checkWeeklyHours(input.openingHours);
    const id = await this.dataSource.transaction(async (em) => {
      await lockBranchTree(em);
      await this.requireRegion(em, input.regionId);
      const parent = input.parentId ? await this.requireBranch(em, input.parentId, 'parentId') : null;
      const problem = branchParentProblem(input.level, parent?.level ?? null);
      if (problem) throw NetworkError.BRANCH_PARENT_INVALID({ field: 'parentId', reason: problem });
      const repo = em.getRepository(Branch);
      const branch = await this.withCodeCheck(input.code, () =>
        repo.save(
          repo.create({
            name: input.name,
            kind: input.kind,
            level: input.level,
            regionId: input.regionId,
            parentId: parent?.id ?? null,
            code: input.code ?? null,
            address: input.address ?? null,
            floorArea: input.floorArea ?? null,
            facilities: input.facilities ?? [],
            sharedCirculation: input.sharedCirculation ?? false,
            timeZone: input.timeZone ?? this.env.TIME_ZONE,
          }),
        ),
      );
      if (input.openingHours) await this.replaceWeeklyHours(em, branch.id, input.openingHours);
      return branch.id;
    });
    return this.get(id);
  }

  async update(id: string, input: UpdateBranchDto): Promise<BranchView> {
    checkTimeZone(input.timeZone);
    checkWeeklyHours(input.openingHours);
    await this.dataSource.transaction(async (em) => {
      await lockBranchTree(em);
      const branch = await this.requireBranch(em, id, undefined, true);
      if (input.regionId !== undefined) await this.requireRegion(em, input.regionId);
      const level = input.level ?? branch.level;
      const parentId = input.parentId === undefined ? branch.parentId : input.parentId;
      if (parentId === id) throw NetworkError.BRANCH_PARENT_INVALID({ field: 'parentId', reason: 'a branch cannot be its own parent' });
      const parent = parentId ? await this.requireBranch(em, parentId, 'parentId') : null;
      const problem = branchParentProblem(level, parent?.level ?? null);
      if (problem) throw NetworkError.BRANCH_PARENT_INVALID({ field: 'parentId', reason: problem });
      if (parent && (await this.isUnder(em, parent.id, id))) {
        throw NetworkError.BRANCH_PARENT_INVALID({ field: 'parentId', reason: 'the parent is one of this branch’s own sub-branches' });
      }
      if (level !== branch.level) {
        const children = await em.getRepository(Branch).find({ select: { id: true, level: true }, where: { parentId: id } });
        for (const child of children) {
          const childProblem = branchParentProblem(child.level, level);
          if (childProblem) throw NetworkError.BRANCH_PARENT_INVALID({ field: 'level', reason: `its sub-branch ${child.id}: ${childProblem}` });
        }
      }
      const { openingHours, ...fields } = input;
      Object.assign(branch, fields, { parentId: parent?.id ?? null });
      await this.withCodeCheck(input.code, () => em.getRepository(Branch).save(branch));
      if (openingHours) await this.replaceWeeklyHours(em, id, openingHours);
    });
    return this.get(id);
  }

  async get(id: string): Promise<BranchView> {
    const branch = await this.dataSource.getRepository(Branch).findOneBy({ id });
    if (!branch) throw NetworkError.BRANCH_NOT_FOUND({ id });
    const hours = await this.weeklyHoursOf([id]);
    return toView(branch, hours.get(id) ?? []);
  }

  async list(query: BranchQuery): Promise<Page<BranchView>> {
    const { skip, take, page, pageSize } = pageWindow(query);
    const qb = this.dataSource
      .getRepository(Branch)
      .createQueryBuilder('b')
      .orderBy(`CASE b.level WHEN 'central' THEN 0 WHEN 'branch' THEN 1 ELSE 2 END`)
      .addOrderBy('b.code', 'ASC', 'NULLS LAST')
      .addOrderBy('b.name', 'ASC')
      .skip(skip)
      .take(take);
    if (query.kind) qb.andWhere('b.kind = :kind', { kind: query.kind });
    if (query.level) qb.andWhere('b.level = :level', { level: query.level });
    if (query.sharedCirculation !== undefined) qb.andWhere('b.sharedCirculation = :sc', { sc: query.sharedCirculation });
    if (query.regionId) {
      const regionIds = await this.regions.subtreeIds(query.regionId);
      if (!regionIds.length) throw NetworkError.REGION_NOT_FOUND({ id: query.regionId, field: 'regionId' });
      qb.andWhere('b.regionId IN (:...regionIds)', { regionIds });
    }
    const [branches, total] = await qb.getManyAndCount();
    const hours = await this.weeklyHoursOf(branches.map((b) => b.id));
    return { items: branches.map((b) => toView(b, hours.get(b.id) ?? [])), total, page, pageSize };
  }

  /** The branch's calendar: weekly pattern plus its exceptions (all of them, or those in a date range). */
  async openingCalendar(id: string, range?: { from: string; to: string }, em: EntityManager = this.dataSource.manager): Promise<OpeningCalendar> {
    return this.calendarOf(await this.findBranch(id, em), range, em);
  }

  async hoursInWeek(id: string, week?: string): Promise<WeekHours> {
    const branch = await this.findBranch(id);
    const isoWeek = week ?? isoWeekOf(new Date(), branch.timeZone);
    let monday: DateTime;
    try {
      const parsed = parseIsoWeek(isoWeek);
      if (parsed.year < YEARS.min || parsed.year > YEARS.max) throw new InvalidCalendarInputError(`week year out of range: ${isoWeek}`);
      monday = DateTime.fromObject({ weekYear: parsed.year, weekNumber: parsed.week, weekday: 1 }, { zone: branch.timeZone });
    } catch (e) {
      if (e instanceof InvalidCalendarInputError) throw NetworkError.WEEK_INVALID({ field: 'week', week: isoWeek });
      throw e;
    }
    const calendar = await this.calendarOf(branch, { from: monday.toISODate()!, to: monday.plus({ days: 6 }).toISODate()! });
    return openHoursInWeek(calendar, isoWeek);
  }

  /** Is the branch open at `at` (an ISO instant; default now)? */
  async isOpenAt(id: string, atText?: string): Promise<{ at: string; open: boolean }> {
    const at = atText === undefined ? new Date() : parseInstant('at', atText);
    return { at: at.toISOString(), open: await this.isOpenAtInstant(id, at) };
  }

  async isOpenAtInstant(id: string, at: Date): Promise<boolean> {
    const day = at.toISOString().slice(0, 10);
    const calendar = await this.calendarOf(await this.findBranch(id), { from: shiftDate(day, -1), to: shiftDate(day, 1) });
    return isOpenAt(calendar, at);
  }

  private async findBranch(id: string, em: EntityManager = this.dataSource.manager): Promise<Branch> {
    const branch = await em.getRepository(Branch).findOneBy({ id });
    if (!branch) throw NetworkError.BRANCH_NOT_FOUND({ id });
    return branch;
  }

  /** Weekly hours and the exceptions in range (all of them without one), with the caller's transaction, if any. */
  async calendarOf(branch: Branch, range?: { from: string; to: string }, em: EntityManager = this.dataSource.manager): Promise<OpeningCalendar> {
    return (await this.calendarsOf([branch], range, em)).get(branch.id)!;
  }

  /**
   * The calendars of several branches in two reads (weekly hours, then the exceptions in the range), for
   * pages that show many branches or venues at once, and for one branch through `calendarOf`.
   */
  async calendarsOf(branches: Branch[], range?: { from: string; to: string }, em: EntityManager = this.dataSource.manager): Promise<Map<string, OpeningCalendar>> {
    const calendars = new Map<string, OpeningCalendar>();
    if (!branches.length) return calendars;
    const ids = branches.map((b) => b.id);
    const qb = em.getRepository(BranchCalendarException).createQueryBuilder('e').where('e.branchId IN (:...ids)', { ids }).orderBy('e.date');
    if (range) qb.andWhere('e.date BETWEEN :from AND :to', range);
    // Sequential: the two reads may share one transaction's connection.
    const weekly = await this.weeklyHoursOf(ids, em);
    const exceptions = await qb.getMany();
    for (const branch of branches) {
      calendars.set(branch.id, {
        timeZone: branch.timeZone,
        weekly: (weekly.get(branch.id) ?? []) as WeeklyHours[],
        exceptions: exceptions
          .filter((e) => e.branchId === branch.id)
          .map((e) => ({ date: e.date, intervals: e.intervals, ...(e.reason ? { reason: e.reason } : {}) })),
      });
    }
    return calendars;
  }

  /**
   * The same calendar as `calendarOf`, as one SQL expression (a JSON object) for a hot path that reads it
   * in a statement with other things; `calendarFromJson` turns the value back into the calendar.
   * `branch`, `from` and `to` are SQL expressions (parameters, usually).
   */
  static calendarJsonSql(branch: string, from: string, to: string): string {
    return `json_build_object(
      'weekly', (SELECT coalesce(json_agg(json_build_object('weekday', w.weekday, 'opens', to_char(w.opens, 'HH24:MI'), 'closes', to_char(w.closes, 'HH24:MI')) ORDER BY w.weekday, w.opens), '[]')
                   FROM branch_weekly_hours w WHERE w.branch_id = ${branch}),
      'exceptions', (SELECT coalesce(json_agg(json_strip_nulls(json_build_object('date', e.date, 'intervals', e.intervals, 'reason', e.reason)) ORDER BY e.date), '[]')
                       FROM branch_calendar_exception e WHERE e.branch_id = ${branch} AND e.date BETWEEN ${from} AND ${to}))`;
  }

  static calendarFromJson(timeZone: string, value: Omit<OpeningCalendar, 'timeZone'>): OpeningCalendar {
    return { timeZone, weekly: value.weekly, exceptions: value.exceptions };
  }

  async listExceptions(id: string, from?: string, to?: string): Promise<CalendarException[]> {
    const range = { from: from ?? '1900-01-01', to: to ?? '2200-12-31' };
    for (const [field, value] of Object.entries(range)) checkDate(field, value);
    return (await this.openingCalendar(id, range)).exceptions;
  }

  async setException(id: string, date: string, input: CalendarExceptionDto): Promise<CalendarException> {
    checkDate('date', date);
    const problems = validateOpeningIntervals(input.intervals);
    if (problems.length) throw NetworkError.OPENING_HOURS_INVALID({ field: 'intervals', problems: problems.join('; ') });
    await this.dataSource.transaction(async (em) => {
      await this.requireBranch(em, id);
      await em
        .getRepository(BranchCalendarException)
        .upsert({ branchId: id, date, intervals: sortIntervals(input.intervals), reason: input.reason ?? null }, ['branchId', 'date']);
    });
    return { date, intervals: sortIntervals(input.intervals), ...(input.reason ? { reason: input.reason } : {}) };
  }

  async removeException(id: string, date: string): Promise<void> {
    checkDate('date', date);
    await this.dataSource.transaction(async (em) => {
      await this.requireBranch(em, id);
      await em.getRepository(BranchCalendarException).delete({ branchId: id, date });
    });
  }

  /** Every id exists; used by other domains before they reference branches. */
  async assertExist(ids: string[], field: string, em: EntityManager = this.dataSource.manager): Promise<void> {
    if (!ids.length) return;
    const found = await em.getRepository(Branch).find({ select: { id: true }, where: { id: In(ids) } });
    const missing = ids.filter((id) => !found.some((b) => b.id === id));
    if (missing.length) throw CommonError.REFERENCE_NOT_FOUND({ field, ids: missing });
  }

  private async weeklyHoursOf(
    ids: string[],
    em: EntityManager = this.dataSource.manager,
  ): Promise<Map<string, Array<{ weekday: number; opens: string; closes: string }>>> {
    const map = new Map<string, Array<{ weekday: number; opens: string; closes: string }>>();
    if (!ids.length) return map;
    const rows = await em
      .getRepository(BranchWeeklyHours)
      .find({ where: { branchId: In(ids) }, order: { weekday: 'ASC', opens: 'ASC' } });
    for (const r of rows) {
      const list = map.get(r.branchId) ?? [];
      list.push({ weekday: r.weekday, opens: r.opens, closes: r.closes });
      map.set(r.branchId, list);
    }
    return map;
  }

  private async replaceWeeklyHours(em: EntityManager, branchId: string, hours: WeeklyHoursDto[]): Promise<void> {
    const repo = em.getRepository(BranchWeeklyHours);
    await repo.delete({ branchId });
    if (hours.length) await repo.insert(hours.map((h) => ({ branchId, weekday: h.weekday, opens: h.opens, closes: h.closes })));
  }

  private async requireRegion(em: EntityManager, id: string): Promise<void> {
    if (!(await em.getRepository(Region).exists({ where: { id } }))) throw NetworkError.REGION_NOT_FOUND({ id, field: 'regionId' });
  }

  private async requireBranch(em: EntityManager, id: string, field?: string, lock = false): Promise<Branch> {
    const branch = await em
      .getRepository(Branch)
      .findOne({ where: { id }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
    if (!branch) throw NetworkError.BRANCH_NOT_FOUND({ id, ...(field ? { field } : {}) });
    return branch;
  }

  /** Is `candidate` somewhere below `ancestorId` in the branch tree? */
  private async isUnder(em: EntityManager, candidate: string, ancestorId: string): Promise<boolean> {
    const rows: unknown[] = await em.query(
      `WITH RECURSIVE up AS (SELECT id, parent_id FROM branch WHERE id = $1
         UNION SELECT b.id, b.parent_id FROM branch b JOIN up ON b.id = up.parent_id)
       SELECT 1 FROM up WHERE id = $2`,
      [candidate, ancestorId],
    );
    return rows.length > 0;
  }

  private async withCodeCheck<T>(code: string | undefined | null, save: () => Promise<T>): Promise<T> {
    try {
      return await save();
    } catch (e) {
      if (isPgError(e, PgErrorCode.UniqueViolation, 'branch_code_key')) throw NetworkError.BRANCH_CODE_TAKEN({ field: 'code', code });
      throw e;
    }
  }
}

// Changes to the branch tree take one transaction-scoped lock, so two concurrent re-parentings
// cannot each pass the cycle check against the other's old state.
const BRANCH_TREE_LOCK = 72_410_002;

async function lockBranchTree(em: EntityManager): Promise<void> {
  await em.query('SELECT pg_advisory_xact_lock($1)', [BRANCH_TREE_LOCK]);
}

function checkTimeZone(timeZone: string | undefined): void {
  if (timeZone !== undefined && !IANAZone.isValidZone(timeZone)) throw NetworkError.TIME_ZONE_INVALID({ field: 'timeZone', timeZone });
}

function checkWeeklyHours(hours: WeeklyHoursDto[] | undefined): void {
  if (!hours) return;
  const problems = validateOpeningIntervals(hours);
  if (problems.length) throw NetworkError.OPENING_HOURS_INVALID({ field: 'openingHours', problems: problems.join('; ') });
}

/** Calendar dates and instants the platform accepts: real ones, between 1900 and 2200. */
const YEARS = { min: 1900, max: 2200 };

function checkDate(field: string, value: string): void {
  const date = DateTime.fromISO(value);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || !date.isValid || date.year < YEARS.min || date.year > YEARS.max) {
    throw NetworkError.DATE_INVALID({ field, value });
  }
}

/** An ISO 8601 instant with its offset, e.g. 2026-11-22T10:00:00+08:00; impossible dates are refused, not rolled over. */
export function parseInstant(field: string, value: string): Date {
  const instant = DateTime.fromISO(value, { setZone: true });
  if (!instant.isValid || instant.year < YEARS.min || instant.year > YEARS.max) throw NetworkError.DATE_INVALID({ field, value });
  return instant.toJSDate();
}

function shiftDate(date: string, days: number): string {
  return DateTime.fromISO(date, { zone: 'UTC' }).plus({ days }).toISODate()!;
}

function sortIntervals<T extends { opens: string; closes: string }>(list: T[]): Array<{ opens: string; closes: string }> {
  return [...list].sort((a, b) => a.opens.localeCompare(b.opens)).map(({ opens, closes }) => ({ opens, closes }));
}

function toView(branch: Branch, openingHours: Array<{ weekday: number; opens: string; closes: string }>): BranchView {
  return {
    id: branch.id,
    code: branch.code,
    name: branch.name,
    kind: branch.kind,
    level: branch.level,
    regionId: branch.regionId,
    parentId: branch.parentId,
    address: branch.address,
    floorArea: branch.floorArea,
    facilities: branch.facilities,
    sharedCirculation: branch.sharedCirculation,
    timeZone: branch.timeZone,
    openingHours,
  };
}
