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

/**
 * The advisory lock of one rollup month (`$1`: any date in it). The trigger takes it shared for every event
 * (migration RollupMonthLock, the same expression); a windowed rebuild takes it exclusively, by trying
 * (never by queueing: a queued exclusive request would hold up every new writer of the month). So the rebuild
 * starts only when every writer already touching that month's rollups has committed or rolled back, and
 * writers arriving meanwhile wait the few milliseconds it takes — an event is counted either by the rebuild
 * (committed before it read) or by its own trigger after it (its +1 lands on the rebuilt rows), never both
 * or neither. Writers of other months and the log itself are never held.
 */
export const ROLLUP_MONTH_LOCK_SQL = `SELECT pg_try_advisory_xact_lock(hashtextextended('usage_rollup:' || to_char($1::date, 'YYYY-MM'), 0)) AS locked`;

/** Taken first by every rebuild (full or windowed), so two never interleave their deletes and inserts. */
export const ROLLUP_REBUILD_LOCK_SQL = `SELECT pg_advisory_xact_lock(hashtextextended('usage_rollup:rebuild', 0))`;

/**
 * The daily rows of some days (`$1`: date[]), recomputed from the events of those days (shard 0). `$2`/`$3`
 * bound occurred_at generously (two days each side cover every time-zone offset) so the index is used;
 * the day expression then picks exactly the events the trigger would have put on those days.
 */
export const REBUILD_DAYS_SQL = `
  INSERT INTO usage_daily (day, kind, branch_id, region_id, category, provider_kind, shard, events, quantity, audience)
  SELECT ${ROLLUP_DIMENSIONS.day}, e.kind, e.branch_id, e.region_id, ${ROLLUP_DIMENSIONS.category}, ${ROLLUP_DIMENSIONS.providerKind}, 0,
         count(*), sum(e.quantity), sum(${ROLLUP_DIMENSIONS.audience})
    FROM usage_event e LEFT JOIN branch b ON b.id = e.branch_id
   WHERE e.occurred_at >= $2::timestamptz AND e.occurred_at < $3::timestamptz
     AND ${ROLLUP_DIMENSIONS.day} = ANY($1::date[])
   GROUP BY 1, 2, 3, 4, 5, 6`;

/** One month's rows (`$1`: its first day) from its daily rows. */
export const REBUILD_MONTH_SQL = `
  INSERT INTO usage_monthly (month, kind, branch_id, region_id, category, provider_kind, shard, events, quantity, audience)
  SELECT $1::date, kind, branch_id, region_id, category, provider_kind, 0, sum(events), sum(quantity), sum(audience)
    FROM usage_daily WHERE day >= $1::date AND day < ($1::date + interval '1 month')::date
   GROUP BY 2, 3, 4, 5, 6`;
