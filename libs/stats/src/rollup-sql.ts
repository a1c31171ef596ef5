/**
 * The rollup's dimensions of one usage event `e` (with its branch `b` joined). The trigger that keeps
 * `usage_daily` and `usage_monthly` current (migration UsageMonthly) uses the same expressions; a test rebuilds and
 * compares, so the two cannot drift apart unnoticed.
 */
export const ROLLUP_DIMENSIONS = {
  day: `(e.occurred_at AT TIME ZONE coalesce(b.time_zone, 'Asia/Shanghai'))::date`,
  category: `left(coalesce(e.attributes->>'category', e.item_type, ''), 32)`,
  providerKind: `left(coalesce(e.attributes->>'providerKind', ''), 32)`,
  audience: `CASE WHEN jsonb_typeof(e.attributes->'audience') = 'number' THEN (e.attributes->>'audience')::numeric::bigint ELSE 0 END`,
} as const;

/** Recomputes every rollup row from the raw log (shard 0). */
export const REBUILD_ROLLUPS_SQL = `
  INSERT INTO usage_daily (day, kind, branch_id, region_id, category, provider_kind, shard, events, quantity, audience)
  SELECT ${ROLLUP_DIMENSIONS.day}, e.kind, e.branch_id, e.region_id, ${ROLLUP_DIMENSIONS.category}, ${ROLLUP_DIMENSIONS.providerKind}, 0,
         count(*), sum(e.quantity), sum(${ROLLUP_DIMENSIONS.audience})
    FROM usage_event e LEFT JOIN branch b ON b.id = e.branch_id
   GROUP BY 1, 2, 3, 4, 5, 6`;

/** The monthly rollup from the daily one (after a rebuild of the daily rows). */
export const REBUILD_MONTHLY_SQL = `
  INSERT INTO usage_monthly (month, kind, branch_id, region_id, category, provider_kind, shard, events, quantity, audience)
  SELECT date_trunc('month', day)::date, kind, branch_id, region_id, category, provider_kind, 0, sum(events), sum(quantity), sum(audience)
    FROM usage_daily GROUP BY 1, 2, 3, 4, 5, 6`;
