/** The parts of a policy rule that say where it applies; null means "any". */
export interface PolicyScope {
  patronCategory: string | null;
  itemType: string | null;
  branchId: string | null;
}

export interface PolicyContext {
  patronCategory: string;
  itemType: string;
  branchId: string;
}

/**
 * Most specific wins, as in Koha's circulation rules: a rule for the branch beats any rule that is
 * not, then one for the patron category, then one for the item type. The all-null rule is the
 * network default and matches everything.
 */
export function specificity(rule: PolicyScope): number {
  return (rule.branchId ? 4 : 0) + (rule.patronCategory ? 2 : 0) + (rule.itemType ? 1 : 0);
}

export function resolvePolicy<T extends PolicyScope>(rules: T[], ctx: PolicyContext): T | null {
  let best: T | null = null;
  for (const rule of rules) {
    if (rule.branchId && rule.branchId !== ctx.branchId) continue;
    if (rule.patronCategory && rule.patronCategory !== ctx.patronCategory) continue;
    if (rule.itemType && rule.itemType !== ctx.itemType) continue;
    if (!best || specificity(rule) > specificity(best)) best = rule;
  }
  return best;
}
