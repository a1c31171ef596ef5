/**
 * Circulation benchmark: checkout + checkin pairs per second through the API, against the same
 * statements run directly on PostgreSQL in the same process; then catalogue search p50/p95 over
 * BENCH_SEARCH_ITEMS copies (default one million). Run: `npm run bench:circulation`.
 */
import { Pool, PoolClient } from 'pg';
import { searchTermsOf } from '../libs/catalog/src/search-terms';
import { apiProcessCount, CONNECTIONS, DURATION, loginAs, percentile, startBenchApp, timedThroughput } from './lib/bench-app';
import { report, side } from './lib/report';

const ITEMS = Number(process.env.BENCH_SEARCH_ITEMS ?? 1_000_000);
const COPIES_PER_RECORD = 5;

async function post(base: string, path: string, token: string, body: unknown): Promise<Response> {
  return fetch(base + path, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

/** What checkout and checkin do in the database, without the platform around it. */
async function rawPair(pool: Pool, itemId: string, patronId: string, branchId: string): Promise<void> {
  const tx = async (work: (c: PoolClient) => Promise<void>) => {
    const c = await pool.connect();
    try {
      await c.query('BEGIN');
      await work(c);
      await c.query('COMMIT');
    } catch (e) {
      await c.query('ROLLBACK');
      throw e;
    } finally {
      c.release();
    }
  };
  await tx(async (c) => {
    await c.query(`SELECT * FROM item WHERE id = $1 FOR UPDATE`, [itemId]);
    await c.query(`SELECT 1 FROM patron WHERE id = $1 FOR UPDATE`, [patronId]);
    await c.query(`INSERT INTO loan (item_id, patron_id, patron_category, item_type, checkout_branch_id, due_at) VALUES ($1, $2, 'adult', 'book', $3, now() + interval '30 days')`, [itemId, patronId, branchId]);
    await c.query(`UPDATE item SET status = 'on_loan', current_branch_id = NULL WHERE id = $1`, [itemId]);
    await c.query(`INSERT INTO usage_event (kind, branch_id) VALUES ('loan', $1)`, [branchId]);
  });
  await tx(async (c) => {
    await c.query(`SELECT * FROM item WHERE id = $1 FOR UPDATE`, [itemId]);
    await c.query(`UPDATE loan SET status = 'returned', closed_at = now(), checkin_branch_id = $2, patron_id = NULL WHERE item_id = $1 AND closed_at IS NULL`, [itemId, branchId]);
    await c.query(`UPDATE item SET status = 'available', current_branch_id = $2 WHERE id = $1`, [itemId, branchId]);
    await c.query(`INSERT INTO usage_event (kind, branch_id) VALUES ('return', $1)`, [branchId]);
  });
}

const CHARS = '三国演义红楼梦水浒传西游记史记论语孟子诗经唐宋词选山海经资治通鉴本草纲目天工开物文心雕龙世说新语儒林外史聊斋志异围城骆驼祥子边城呐喊彷徨家春秋子夜茶馆雷雨日出平凡的世界活着白鹿原长恨歌城南旧事';

async function loadSearchData(pool: Pool, branchIds: string[]): Promise<void> {
  const records = Math.ceil(ITEMS / COPIES_PER_RECORD);
  const chars = [...CHARS];
  let seed = 42;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const BATCH = 5000;
  for (let start = 0; start < records; start += BATCH) {
    const n = Math.min(BATCH, records - start);
    const rows = Array.from({ length: n }, (_, i) => {
      const len = 3 + Math.floor(rand() * 6);
      const title = Array.from({ length: len }, () => chars[Math.floor(rand() * chars.length)]).join('') + ` 第${start + i}卷`;
      const author = Array.from({ length: 3 }, () => chars[Math.floor(rand() * chars.length)]).join('');
      const terms = searchTermsOf({ title, titleVariants: [], responsibility: null, authors: [author], subjects: ['中国文学'], publisher: null, callNumber: `I24${start % 10}`, isbns: [] });
      return { title, author, ...terms };
    });
    await pool.query(
      `INSERT INTO bib_record (title, authors, subjects, call_number, search_text, search_grams)
       SELECT t, ARRAY[a], ARRAY['中国文学'], c, s, string_to_array(g, '|')
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) AS x(t, a, c, s, g)`,
      [rows.map((r) => r.title), rows.map((r) => r.author), rows.map(() => `I24${start % 10}`), rows.map((r) => r.searchText), rows.map((r) => r.searchGrams.join('|'))],
    );
  }
  await pool.query(
    `INSERT INTO item (record_id, barcode, home_branch_id, circulating_branch_id, current_branch_id, item_type)
     SELECT r.id, 'S' || lpad((row_number() OVER ())::text, 9, '0'), b.id, b.id, b.id, 'book'
       FROM bib_record r CROSS JOIN generate_series(1, $1) g
       JOIN LATERAL (SELECT ($2::uuid[])[1 + (abs(hashtext(r.id::text || g)) % array_length($2::uuid[], 1))] AS id) b ON true
      WHERE r.title LIKE '% 第%卷'`,
    [COPIES_PER_RECORD, branchIds],
  );
  await pool.query('ANALYZE bib_record; ANALYZE item');
}

async function main(): Promise<void> {
  const bench = await startBenchApp('circ');
  const { base, pool } = bench;
  try {
    const branchIds: string[] = (await pool.query(`SELECT id FROM branch WHERE shared_circulation ORDER BY code`)).rows.map((r) => r.id);
    const [{ id: libraryId }] = (await pool.query(`SELECT id FROM branch WHERE code = 'HD-LIB'`)).rows;
    const token = await loginAs(base, 'lib-central', 'Demo12345');

    // One resident, one title and one copy per worker, so workers never wait on each other's rows.
    const workers: Array<{ card: string; patronId: string; barcode: string; itemId: string }> = [];
    for (let w = 0; w < CONNECTIONS * 2; w++) {
      const phone = `1370000${String(w).padStart(4, '0')}`;
      const reg = (await (await fetch(`${base}/api/auth/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: `基准${w}`, phone, password: 'Reader2026' }) })).json()) as { id: string; cardNumber: string };
      const barcode = `BENCH${String(w).padStart(4, '0')}`;
      const record = (await (await post(base, '/api/catalog/records', token, { title: `基准测试书 ${w}` })).json()) as { id: string };
      const item = (await (await post(base, '/api/catalog/items', token, { recordId: record.id, barcode, branchId: libraryId, itemType: 'book' })).json()) as { id: string };
      workers.push({ card: reg.cardNumber, patronId: reg.id, barcode, itemId: item.id });
    }
    const apiPairs = await timedThroughput(async (w) => {
      const x = workers[w];
      const out = await post(base, '/api/circulation/checkout', token, { cardNumber: x.card, barcode: x.barcode, branchId: libraryId });
      if (out.status !== 201) throw new Error(`checkout ${out.status} ${await out.text()}`);
      const back = await post(base, '/api/circulation/checkin', token, { barcode: x.barcode, branchId: libraryId });
      if (back.status !== 200) throw new Error(`checkin ${back.status} ${await back.text()}`);
    });
    const rawPairs = await timedThroughput((w) => rawPair(pool, workers[CONNECTIONS + w].itemId, workers[CONNECTIONS + w].patronId, libraryId));
    console.log(`Circulation benchmark — ${CONNECTIONS} workers, ${DURATION} s each`);
    report({ path: 'checkout + check-in pair', unit: 'pairs/s', api: side(apiPairs.perSecond, apiPairs.latencies), sql: side(rawPairs.perSecond, rawPairs.latencies), workers: apiProcessCount() });

    const t0 = Date.now();
    await loadSearchData(pool, branchIds);
    const [{ n: itemCount }] = (await pool.query(`SELECT count(*)::int AS n FROM item`)).rows;
    console.log(`Loaded ${itemCount} items in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    const queries = ['三国', '红楼', '西游记', '诗经', '第12345卷', 'I242', '围城'];
    const latencies: number[] = [];
    const raw: number[] = [];
    for (let round = 0; round < 20; round++) {
      for (const q of queries) {
        let t = performance.now();
        const res = await fetch(`${base}/api/catalog/search?q=${encodeURIComponent(q)}&pageSize=20`);
        if (!res.ok) throw new Error(`search ${q}: ${res.status}`);
        await res.json();
        latencies.push(performance.now() - t);
        t = performance.now();
        await pool.query(
          `SELECT r.*, count(*) OVER () FROM bib_record r WHERE ($1::text[] = '{}' OR r.search_grams @> $1::text[]) AND r.search_text LIKE $2 ORDER BY r.title, r.id LIMIT 20`,
          [[...new Set([...q].flatMap((c, i, a) => (i + 1 < a.length && /[\u4e00-\u9fff]/.test(c + a[i + 1]) ? [c + a[i + 1]] : [])))], `%${q.toLowerCase()}%`],
        );
        raw.push(performance.now() - t);
      }
    }
    latencies.sort((a, b) => a - b);
    raw.sort((a, b) => a - b);
    console.log(`search over ${itemCount} items (${latencies.length} queries): API p50 ${percentile(latencies, 50).toFixed(1)} ms, p95 ${percentile(latencies, 95).toFixed(1)} ms | raw SQL p50 ${percentile(raw, 50).toFixed(1)} ms, p95 ${percentile(raw, 95).toFixed(1)} ms`);
    // One at a time: the figures are latencies; the rate is 1000 / mean latency.
    const rate = (xs: number[]) => 1000 / (xs.reduce((a, b) => a + b, 0) / xs.length);
    report({ path: `catalogue search, ${itemCount} copies (one at a time)`, unit: 'queries/s', api: side(rate(latencies), latencies), sql: side(rate(raw), raw), workers: apiProcessCount(), note: `p95 API ${percentile(latencies, 95).toFixed(1)} ms, SQL ${percentile(raw, 95).toFixed(1)} ms` });
  } finally {
    await bench.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
