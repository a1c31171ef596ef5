import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { BranchesService } from '@lib/network';
import { CirculationPolicy, FloatingPair } from '../entities/circulation-policy.entity';
import { PoliciesDto } from '../dto/circulation.dto';
import { CirculationError } from '../circulation.errors';
import { PolicyContext, resolvePolicy } from '../rules/policy-resolution';

export type PolicyRule = Omit<CirculationPolicy, 'id' | 'branch'>;

/** Every rule, as one SQL expression (a JSON array of PolicyRule), for a hot path that reads it with other things. */
export const POLICY_RULES_JSON_SQL = `(SELECT coalesce(json_agg(json_build_object(
    'patronCategory', patron_category, 'itemType', item_type, 'branchId', branch_id, 'loanDays', loan_days, 'maxLoans', max_loans,
    'renewalsAllowed', renewals_allowed, 'holdsAllowed', holds_allowed, 'maxHolds', max_holds, 'holdPickupDays', hold_pickup_days,
    'finePerDay', fine_per_day::float8, 'fineCap', fine_cap::float8, 'blockFinesOver', block_fines_over::float8,
    'blockOverdueItems', block_overdue_items, 'overdueDays', overdue_days)), '[]') FROM circulation_policy)`;

/** The rule that applies among rules already read (see `resolve`). */
export function pickPolicy(rules: PolicyRule[], ctx: PolicyContext): PolicyRule {
  const rule = resolvePolicy(rules, ctx);
  if (!rule) throw CirculationError.POLICY_DEFAULT_MISSING();
  return rule;
}

@Injectable()
export class PoliciesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly branches: BranchesService,
  ) {}

  /** The rule that applies; the migration guarantees the network default exists, so there always is one. */
  async resolve(ctx: PolicyContext, em: EntityManager = this.dataSource.manager): Promise<CirculationPolicy> {
    const rules = await em.getRepository(CirculationPolicy).find();
    const rule = resolvePolicy(rules, ctx);
    if (!rule) throw CirculationError.POLICY_DEFAULT_MISSING();
    return rule;
  }

  async floats(em: EntityManager, branchA: string, branchB: string): Promise<boolean> {
    const [a, b] = [branchA, branchB].sort();
    return em.getRepository(FloatingPair).exists({ where: { branchAId: a, branchBId: b } });
  }

  async get(): Promise<{ rules: PolicyRule[]; floatingPairs: Array<{ branchAId: string; branchBId: string }> }> {
    const rules = await this.dataSource.getRepository(CirculationPolicy).find();
    const pairs = await this.dataSource.getRepository(FloatingPair).find();
    return {
      rules: rules
        .map(({ id: _id, branch: _b, ...rule }) => rule)
        .sort((x, y) => `${x.branchId}${x.patronCategory}${x.itemType}`.localeCompare(`${y.branchId}${y.patronCategory}${y.itemType}`)),
      floatingPairs: pairs.map((p) => ({ branchAId: p.branchAId, branchBId: p.branchBId })),
    };
  }

  /** Replaces the whole matrix in one transaction; it must keep a network default. */
  async replace(input: PoliciesDto) {
    const scopes = input.rules.map((r) => `${r.patronCategory ?? '*'}|${r.itemType ?? '*'}|${r.branchId ?? '*'}`);
    const duplicate = scopes.findIndex((s, i) => scopes.indexOf(s) !== i);
    if (duplicate >= 0) throw CirculationError.POLICY_DUPLICATE({ field: 'rules', index: duplicate });
    if (!scopes.includes('*|*|*')) throw CirculationError.POLICY_DEFAULT_MISSING({ field: 'rules' });
    const pairs = (input.floatingPairs ?? []).map((p) => [p.branchAId, p.branchBId].sort());
    const branchIds = [...new Set([...input.rules.flatMap((r) => (r.branchId ? [r.branchId] : [])), ...pairs.flat()])];
    await this.dataSource.transaction(async (em) => {
      await this.branches.assertExist(branchIds, 'rules', em);
      await em.getRepository(CirculationPolicy).createQueryBuilder().delete().execute();
      await em.getRepository(CirculationPolicy).insert(input.rules.map((r) => ({ ...r })));
      await em.getRepository(FloatingPair).createQueryBuilder().delete().execute();
      const distinct = [...new Map(pairs.filter(([a, b]) => a !== b).map(([a, b]) => [`${a}|${b}`, { branchAId: a, branchBId: b }])).values()];
      if (distinct.length) await em.getRepository(FloatingPair).insert(distinct);
    });
    return this.get();
  }
}
