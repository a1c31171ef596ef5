import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { isPgError, PgErrorCode } from '@lib/db';
import { CommonError, Locale } from '@lib/errors';
import { INDICATOR_BY_CODE, IndicatorDefinition } from '../rules/catalogue';
import { computeIndicator, Facts, Figure } from '../rules/formulas';
import { assess, complianceRate, Status } from '../rules/assessment';
import { STANDARD_PLANS } from '../rules/standard-plans';
import { IndicatorManualEntry, IndicatorPlan, IndicatorTarget } from '../entities/indicator-plan.entity';
import { CreatePlanDto, IndicatorDetailQuery, IndicatorReportQuery, ManualValueDto } from '../dto/indicator.dto';
import { IndicatorError } from '../indicators.errors';
import { IndicatorFactsService, Scope } from './indicator-facts.service';

const TREND_YEARS = 4;

export interface IndicatorRow {
  code: string;
  name: string;
  unit: string;
  method: 'auto' | 'manual';
  direction: IndicatorDefinition['direction'];
  formula: string;
  value: number | null;
  target: number | null;
  targetMax: number | null;
  baseline: number | null;
  status: Status;
  gap: number | null;
  source: string;
  numerator: number | null;
  denominator: number | null;
  trend: Array<{ year: number; value: number | null }>;
}

export interface IndicatorReport {
  plan: { id: string; code: string; name: string; fromYear: number; toYear: number };
  year: number;
  region: { id: string; name: string };
  complianceRate: number | null;
  meeting: number;
  total: number;
  indicators: IndicatorRow[];
}

type ManualLatest = Map<string, { value: number; source: string; enteredAt: Date }>;

/**
 * The demonstration-zone report: for a plan, a year and a region, each indicator's value (computed from
 * the platform's data, or the latest figure entered by hand), its target, status, gap and trend, and
 * the plan's compliance rate.
 */
@Injectable()
export class IndicatorsService implements OnApplicationBootstrap {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly facts: IndicatorFactsService,
  ) {}

  /** The plans in the seeds exist in every deployment (added once; never overwritten). */
  async onApplicationBootstrap(): Promise<void> {
    for (const plan of STANDARD_PLANS) {
      await this.dataSource.transaction(async (em) => {
        const [inserted] = await em.query(
          `INSERT INTO indicator_plan (code, name, description, from_year, to_year) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (code) DO NOTHING RETURNING id`,
          [plan.code, plan.name, plan.description, plan.fromYear, plan.toYear],
        );
        if (!inserted) return;
        await em.getRepository(IndicatorTarget).insert(
          plan.targets.map(([code, baseline, target, targetMax]) => ({ planId: inserted.id, indicatorCode: code, baseline, target, targetMax: targetMax ?? null, year: null, regionId: null })),
        );
      });
    }
  }

  async report(query: IndicatorReportQuery, locale: Locale): Promise<IndicatorReport> {
    const plan = await this.plan(query.plan);
    const region = await this.region(query.regionId);
    const years = Array.from({ length: TREND_YEARS }, (_, i) => query.year - TREND_YEARS + 1 + i);
    const [targets, factsByYear, manual] = await Promise.all([
      this.targetsFor(plan.id, query.year, region.chain),
      this.facts.factsForYears({ regionId: region.id }, years),
      this.latestManual(region.id, years),
    ]);
    const indicators = [...targets.entries()].map(([code, target]) => this.row(code, target, query.year, years, factsByYear, manual, locale));
    const compliance = complianceRate(indicators.map((i) => i.status));
    return {
      plan: { id: plan.id, code: plan.code, name: plan.name, fromYear: plan.fromYear, toYear: plan.toYear },
      year: query.year,
      region: { id: region.id, name: region.name },
      complianceRate: compliance.rate,
      meeting: compliance.meeting,
      total: compliance.total,
      indicators,
    };
  }

  /** One indicator with a breakdown by branch, by the region's sub-regions, or by month. */
  async detail(code: string, query: IndicatorDetailQuery, locale: Locale) {
    const definition = INDICATOR_BY_CODE.get(code);
    if (!definition) throw IndicatorError.INDICATOR_NOT_FOUND({ code });
    const report = await this.report(query, locale);
    const row = report.indicators.find((i) => i.code === code) ?? (await this.unplannedRow(code, query, locale));
    if (!query.by) return { ...row, breakdown: null };
    let breakdown: Array<{ key: string; name: string } & Figure>;
    if (query.by === 'month') {
      const months = await this.facts.factsByMonth({ regionId: query.regionId }, query.year);
      breakdown = months.map((m) => ({ key: m.month, name: m.month, ...(computeIndicator(code, m.facts) ?? emptyFigure()) }));
    } else {
      // By region: each sub-region, and the region's own branches (a district's central library) as a row of their own, so the rows add up.
      const parts: Array<{ id: string; name: string; scope: Scope }> =
        query.by === 'region'
          ? [
              { id: query.regionId, name: `${report.region.name}（直属 / own）`, scope: { regionId: query.regionId, exact: true } },
              ...(await this.facts.childRegions(query.regionId)).map((r) => ({ ...r, scope: { regionId: r.id } })),
            ]
          : (await this.facts.branchesIn(query.regionId)).map((b) => ({ ...b, scope: { branchId: b.id } }));
      breakdown = [];
      // One part at a time: a large district must not take every pooled connection at once.
      for (const p of parts) {
        const facts = (await this.facts.factsForYears(p.scope, [query.year])).get(query.year)!;
        breakdown.push({ key: p.id, name: p.name, ...(computeIndicator(code, facts) ?? emptyFigure()) });
      }
    }
    return { ...row, by: query.by, breakdown };
  }

  /** A figure entered by hand; earlier entries stay as history. Allowed for automatic indicators too (a correction). */
  async enterManual(code: string, input: ManualValueDto, enteredBy: string) {
    if (!INDICATOR_BY_CODE.has(code)) throw IndicatorError.INDICATOR_NOT_FOUND({ code });
    await this.region(input.regionId);
    const repo = this.dataSource.getRepository(IndicatorManualEntry);
    await repo.insert({ indicatorCode: code, year: input.year, regionId: input.regionId, value: input.value, source: input.source, enteredBy });
    const history = await repo.find({ where: { indicatorCode: code, year: input.year, regionId: input.regionId }, order: { enteredAt: 'DESC', id: 'DESC' } });
    return { code, year: input.year, regionId: input.regionId, value: history[0].value, source: history[0].source, history };
  }

  async listPlans() {
    const plans = await this.dataSource.getRepository(IndicatorPlan).find({ order: { fromYear: 'DESC', code: 'ASC' } });
    const counts: Array<{ plan_id: string; n: number }> = await this.dataSource.query(`SELECT plan_id, count(DISTINCT indicator_code)::int AS n FROM indicator_target GROUP BY plan_id`);
    return plans.map((p) => ({ ...p, indicatorCount: counts.find((c) => c.plan_id === p.id)?.n ?? 0 }));
  }

  async createPlan(input: CreatePlanDto) {
    if (input.toYear < input.fromYear) throw invalid('toYear', 'toYear must not be before fromYear');
    const seen = new Set<string>();
    input.targets.forEach((t, i) => {
      if (!INDICATOR_BY_CODE.has(t.indicator)) throw invalid(`targets.${i}.indicator`, `unknown indicator ${t.indicator}`);
      if (t.targetMax !== undefined && t.targetMax < t.target) throw invalid(`targets.${i}.targetMax`, 'targetMax must not be below target');
      if (t.year !== undefined && (t.year < input.fromYear || t.year > input.toYear)) throw invalid(`targets.${i}.year`, `year must be within ${input.fromYear}-${input.toYear}`);
      const key = `${t.indicator}|${t.year ?? ''}|${t.regionId ?? ''}`;
      if (seen.has(key)) throw IndicatorError.TARGET_DUPLICATE({ field: `targets.${i}`, indicator: t.indicator });
      seen.add(key);
    });
    try {
      return await this.dataSource.transaction(async (em: EntityManager) => {
        const plan = await em.getRepository(IndicatorPlan).save(
          em.getRepository(IndicatorPlan).create({ code: input.code, name: input.name, description: input.description ?? null, fromYear: input.fromYear, toYear: input.toYear }),
        );
        await em.getRepository(IndicatorTarget).insert(
          input.targets.map((t) => ({ planId: plan.id, indicatorCode: t.indicator, target: t.target, targetMax: t.targetMax ?? null, baseline: t.baseline ?? null, year: t.year ?? null, regionId: t.regionId ?? null })),
        );
        return { ...plan, indicatorCount: new Set(input.targets.map((t) => t.indicator)).size };
      });
    } catch (e) {
      if (isPgError(e, PgErrorCode.UniqueViolation, 'indicator_plan_code_key')) throw IndicatorError.PLAN_CODE_TAKEN({ field: 'code', code: input.code });
      if (isPgError(e, PgErrorCode.ForeignKeyViolation)) throw CommonError.REFERENCE_NOT_FOUND({ field: 'targets.regionId' });
      throw e;
    }
  }

  private row(code: string, target: IndicatorTarget, year: number, years: number[], factsByYear: Map<number, Facts>, manual: ManualLatest, locale: Locale): IndicatorRow {
    const definition = INDICATOR_BY_CODE.get(code)!;
    const figureFor = (y: number): { figure: Figure; source: string } => {
      const entered = manual.get(`${code}:${y}`);
      if (entered) return { figure: { value: entered.value, numerator: null, denominator: null }, source: entered.source };
      const computed = computeIndicator(code, factsByYear.get(y)!);
      return computed ? { figure: computed, source: 'platform' } : { figure: emptyFigure(), source: 'manual: not entered' };
    };
    const now = figureFor(year);
    const { status, gap } = assess(now.figure.value, target, definition.direction);
    return {
      code,
      name: definition.name[locale],
      unit: definition.unit,
      method: definition.method,
      direction: definition.direction,
      formula: definition.formula,
      value: now.figure.value,
      target: target.target,
      targetMax: target.targetMax,
      baseline: target.baseline,
      status,
      gap,
      source: now.source,
      numerator: now.figure.numerator,
      denominator: now.figure.denominator,
      trend: years.map((y) => ({ year: y, value: figureFor(y).figure.value })),
    };
  }

  private async unplannedRow(code: string, query: IndicatorReportQuery, locale: Locale): Promise<IndicatorRow> {
    const years = Array.from({ length: TREND_YEARS }, (_, i) => query.year - TREND_YEARS + 1 + i);
    const facts = await this.facts.factsForYears({ regionId: query.regionId }, years);
    const row = this.row(code, { target: NaN, targetMax: null, baseline: null } as IndicatorTarget, query.year, years, facts, await this.latestManual(query.regionId, years), locale);
    return { ...row, target: null, status: 'no_data', gap: null };
  }

  /** The most specific target per indicator: this year before every year, this region (or the nearest above) before any. */
  private async targetsFor(planId: string, year: number, regionChain: string[]): Promise<Map<string, IndicatorTarget>> {
    const rows = await this.dataSource
      .getRepository(IndicatorTarget)
      .createQueryBuilder('t')
      .where('t.planId = :planId', { planId })
      .andWhere('(t.year IS NULL OR t.year = :year)', { year })
      .andWhere('(t.regionId IS NULL OR t.regionId = ANY(:chain::uuid[]))', { chain: regionChain })
      .getMany();
    const rank = (t: IndicatorTarget) => (t.year === null ? 0 : 100) + (t.regionId === null ? 0 : 50 - regionChain.indexOf(t.regionId));
    const best = new Map<string, IndicatorTarget>();
    for (const t of rows) if (!best.has(t.indicatorCode) || rank(t) > rank(best.get(t.indicatorCode)!)) best.set(t.indicatorCode, t);
    const order = [...INDICATOR_BY_CODE.keys()];
    return new Map([...best.entries()].sort((a, b) => order.indexOf(a[0]) - order.indexOf(b[0])));
  }

  private async latestManual(regionId: string, years: number[]): Promise<ManualLatest> {
    const rows: Array<{ indicator_code: string; year: number; value: string; source: string; entered_at: Date }> = await this.dataSource.query(
      `SELECT DISTINCT ON (indicator_code, year) indicator_code, year, value, source, entered_at FROM indicator_manual_entry
        WHERE region_id = $1 AND year = ANY($2::int[]) ORDER BY indicator_code, year, entered_at DESC, id DESC`,
      [regionId, years],
    );
    return new Map(rows.map((r) => [`${r.indicator_code}:${r.year}`, { value: Number(r.value), source: r.source, enteredAt: r.entered_at }]));
  }

  private async plan(codeOrId: string): Promise<IndicatorPlan> {
    const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(codeOrId);
    const plan = await this.dataSource.getRepository(IndicatorPlan).findOneBy(isUuid ? { id: codeOrId } : { code: codeOrId });
    if (!plan) throw IndicatorError.PLAN_NOT_FOUND({ field: 'plan', plan: codeOrId });
    return plan;
  }

  private async region(id: string): Promise<{ id: string; name: string; chain: string[] }> {
    const rows: Array<{ id: string; name: string }> = await this.dataSource.query(
      `WITH RECURSIVE up AS (SELECT id, name, parent_id, 0 AS depth FROM region WHERE id = $1
         UNION ALL SELECT r.id, r.name, r.parent_id, up.depth + 1 FROM region r JOIN up ON r.id = up.parent_id)
       SELECT id, name FROM up ORDER BY depth`,
      [id],
    );
    if (!rows.length) throw CommonError.REFERENCE_NOT_FOUND({ field: 'regionId' });
    return { id: rows[0].id, name: rows[0].name, chain: rows.map((r) => r.id) };
  }
}

function emptyFigure(): Figure {
  return { value: null, numerator: null, denominator: null };
}

function invalid(field: string, message: string): Error {
  return CommonError.VALIDATION_FAILED({ fields: field, errors: [{ field, messages: [message] }] });
}
