/**
 * Indicator report benchmark: loads BENCH_EVENTS usage events (default ten million) over the demo
 * district's branches and four years, in two steps (a tenth, then the rest), and after each step times the
 * indicator report for the district and the year through the API (BENCH_REPORTS requests, default 40, one
 * at a time) beside a plain aggregate over the raw events doing the same sums (what the report would cost
 * without rollups), in the same process. Run: `npm run bench:indicators`.
 */
import { DateTime } from 'luxon';
import { StatsService } from '@lib/stats';
import { loginAs, percentile, startBenchApp } from './lib/bench-app';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 10_000_000);
const REPORTS = Number(process.env.BENCH_REPORTS ?? 40);
const RAW_RUNS = Number(process.env.BENCH_RAW_RUNS ?? 5);
const TARGET_P95_MS = 200;
const YEAR = DateTime.now().setZone('Asia/Shanghai').year;

async function timed<T>(runs: number, work: () => Promise<T>): Promise<{ p50: number; p95: number }> {
  await work(); // warm-up
  const latencies: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await work();
    latencies.push(performance.now() - t);
  }
  latencies.sort((a, b) => a - b);
  return { p50: percentile(latencies, 50), p95: percentile(latencies, 95) };
}

(async () => {
  const bench = await startBenchApp('indicators');
  try {
    const token = await loginAs(bench.base, 'admin', 'Admin12345');
    const [{ id: district }] = (await bench.pool.query(`SELECT id FROM region WHERE kind = 'district' ORDER BY code LIMIT 1`)).rows;
    const branches: string[] = (await bench.pool.query(`SELECT id FROM branch ORDER BY code`)).rows.map((r: { id: string }) => r.id);
    const subtree = (
      await bench.pool.query(`WITH RECURSIVE t AS (SELECT id FROM region WHERE id = $1 UNION SELECT r.id FROM region r JOIN t ON r.parent_id = t.id) SELECT array_agg(id) AS ids FROM t`, [district])
    ).rows[0].ids;

    /** Events spread over the branches and the last four years; kinds in rough proportion to a library's day. */
    const load = async (count: number) => {
      const started = performance.now();
      await bench.pool.query(`ALTER TABLE usage_event DISABLE TRIGGER usage_daily_add`);
      const batch = 1_000_000;
      for (let done = 0; done < count; done += batch) {
        const n = Math.min(batch, count - done);
        await bench.pool.query(
          `INSERT INTO usage_event (kind, branch_id, region_id, occurred_at, item_type, quantity, attributes)
           SELECT k.kind, b.id, b.region_id, make_timestamptz(($3 - 3 + (g % 4))::int, 1, 1, 0, 0, 0, 'Asia/Shanghai') + ((g * 7919) % 31536000) * interval '1 second',
                  CASE WHEN k.kind IN ('loan', 'return', 'renewal') THEN 'book' END,
                  CASE WHEN k.kind = 'visit' THEN 1 + g % 40 ELSE 1 END,
                  CASE WHEN k.kind = 'service_delivered' THEN jsonb_build_object('category', (ARRAY['film_screening', 'performance', 'lecture', 'exhibition'])[1 + g % 4],
                                                                               'providerKind', (ARRAY['cultural_centre', 'library'])[1 + g % 2], 'audience', 20 + g % 80)
                       WHEN k.kind = 'activity_attendance' THEN '{"category": "lecture"}'::jsonb ELSE '{}'::jsonb END
             FROM generate_series($1::bigint, $1::bigint + $2 - 1) AS g
             JOIN LATERAL (SELECT (ARRAY['loan', 'loan', 'loan', 'return', 'return', 'return', 'renewal', 'visit', 'activity_attendance', 'venue_booking',
                                         'activity_registration', 'hold_placed', 'service_delivered'])[1 + (g * 31) % 13] AS kind) k ON true
             JOIN branch b ON b.id = ($4::uuid[])[1 + g % array_length($4::uuid[], 1)]`,
          [done, n, YEAR, branches],
        );
      }
      await bench.pool.query(`ALTER TABLE usage_event ENABLE TRIGGER usage_daily_add`);
      const loaded = (performance.now() - started) / 1000;
      const rebuildStarted = performance.now();
      const rollups = await bench.app.get(StatsService).rebuildRollups();
      // The rebuild deletes and re-inserts every rollup row; vacuum as autovacuum soon would, so the second measurement
      // does not scan the first rebuild's dead rows (and the raw baseline gets an up-to-date visibility map too).
      await bench.pool.query(`VACUUM ANALYZE usage_event, usage_daily, usage_monthly`);
      return { loaded, rebuilt: (performance.now() - rebuildStarted) / 1000, rollups };
    };

    const measure = async (label: string) => {
      const url = `${bench.base}/api/indicators?plan=haidian-2015-2017&year=${YEAR}&regionId=${district}`;
      let compliance: unknown;
      let loans: unknown;
      const report = await timed(REPORTS, async () => {
        const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
        if (!res.ok) throw new Error(`report: ${res.status} ${await res.text()}`);
        const body = (await res.json()) as { complianceRate: number; indicators: Array<{ code: string; numerator: number }> };
        compliance = body.complianceRate;
        loans = body.indicators.find((i) => i.code === 'circulation_per_volume')?.numerator;
      });
      // Without rollups: the same year's flows summed straight from the raw log (for one year; the report also does four years of trend).
      const raw = await timed(RAW_RUNS, () =>
        bench.pool.query(
          `SELECT e.kind, coalesce(e.attributes->>'category', e.item_type, '') AS category, e.attributes->>'providerKind' AS provider, count(*), sum(e.quantity)
             FROM usage_event e WHERE e.region_id = ANY($1::uuid[]) AND e.occurred_at >= make_timestamptz($2::int, 1, 1, 0, 0, 0, 'Asia/Shanghai')
              AND e.occurred_at < make_timestamptz($2::int + 1, 1, 1, 0, 0, 0, 'Asia/Shanghai') GROUP BY 1, 2, 3`,
          [subtree, YEAR],
        ),
      );
      const [{ events }] = (await bench.pool.query(`SELECT count(*)::bigint AS events FROM usage_event`)).rows;
      const [{ raw_loans }] = (
        await bench.pool.query(
          `SELECT sum(quantity)::bigint AS raw_loans FROM usage_event WHERE kind = 'loan' AND region_id = ANY($1::uuid[])
              AND occurred_at >= make_timestamptz($2::int, 1, 1, 0, 0, 0, 'Asia/Shanghai') AND occurred_at < make_timestamptz($2::int + 1, 1, 1, 0, 0, 0, 'Asia/Shanghai')`,
          [subtree, YEAR],
        )
      ).rows;
      console.log(`  loans in ${YEAR}: report ${loans}, raw log ${raw_loans} — ${String(loans) === String(raw_loans) ? 'the same' : 'DIFFERENT'}`);
      console.log(
        `${label.padEnd(12)} events ${String(events).padStart(10)} | report API p50 ${report.p50.toFixed(1)} ms, p95 ${report.p95.toFixed(1)} ms (compliance ${compliance}%)` +
          ` | raw aggregate over the log p50 ${raw.p50.toFixed(0)} ms, p95 ${raw.p95.toFixed(0)} ms | report/raw p95 ${(report.p95 / raw.p95).toFixed(3)}`,
      );
      return report;
    };

    const first = Math.round(EVENTS / 10);
    console.log(`Loading ${first} usage events …`);
    const a = await load(first);
    console.log(`  inserted in ${a.loaded.toFixed(1)} s; rollups rebuilt in ${a.rebuilt.toFixed(1)} s (${a.rollups.rows} rows)`);
    const small = await measure('a tenth');
    console.log(`Loading ${EVENTS - first} more …`);
    const b = await load(EVENTS - first);
    console.log(`  inserted in ${b.loaded.toFixed(1)} s; rollups rebuilt in ${b.rebuilt.toFixed(1)} s (${b.rollups.rows} rows)`);
    const large = await measure('all');
    console.log(`Report p95 with ten times the events: ${(large.p95 / small.p95).toFixed(2)}× (rollup rows, not events, drive it)`);
    console.log(`Target: report p95 under ${TARGET_P95_MS} ms with ${EVENTS} events — ${large.p95 < TARGET_P95_MS ? 'met' : 'NOT met'} (${large.p95.toFixed(1)} ms)`);
  } finally {
    if (process.env.BENCH_KEEP) console.log(`kept database ${bench.databaseUrl}`);
    else await bench.close();
  }
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
