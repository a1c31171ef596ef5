/**
 * `npm run bench`: every benchmark in turn (each on a fresh database of its own) with the API in this
 * process, then the API-bound ones again with the API as BENCH_WORKERS worker processes (default `auto`,
 * one per core; `1` skips the second round), then one table of what they reported: per path the API
 * figure, the plain-SQL figure from the same run, the ratio and p50/p99. BENCH_ONLY=foundation,circulation
 * picks some; the environment is passed on (BENCH_SECONDS, BENCH_CONNECTIONS, BENCH_SEARCH_ITEMS …).
 */
import { spawn } from 'node:child_process';
import { BenchResult, RESULT_PREFIX } from './lib/report';

const ALL = ['foundation', 'circulation', 'registration', 'indicators'];
const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim()).filter(Boolean);

const WORKER_ROUND = ['foundation', 'circulation', 'registration'];
const workers = process.env.BENCH_WORKERS ?? 'auto';

function run(name: string, env: NodeJS.ProcessEnv): Promise<Array<BenchResult & { ratio: number }>> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '-s', `bench:${name}`], { stdio: ['ignore', 'pipe', 'inherit'], env });
    const results: Array<BenchResult & { ratio: number }> = [];
    let buffer = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (line.startsWith(RESULT_PREFIX)) results.push(JSON.parse(line.slice(RESULT_PREFIX.length)));
        else process.stdout.write(line + '\n');
      }
    });
    child.on('exit', (code) => (code === 0 ? resolve(results) : reject(new Error(`bench:${name} exited with ${code}`))));
  });
}

(async () => {
  const all: Array<BenchResult & { ratio: number }> = [];
  const picked = ALL.filter((n) => !only || only.includes(n));
  for (const name of picked) {
    console.log(`\n== bench:${name}`);
    all.push(...(await run(name, { ...process.env, BENCH_API_WORKERS: '' })));
  }
  if (workers !== '1') {
    for (const name of picked.filter((n) => WORKER_ROUND.includes(n))) {
      console.log(`\n== bench:${name} with BENCH_API_WORKERS=${workers}`);
      all.push(...(await run(name, { ...process.env, BENCH_API_WORKERS: workers })));
    }
  }
  const ms = (n: number) => n.toFixed(1);
  console.log('\n| path | API processes | API | p50 / p99 ms | plain SQL | p50 / p99 ms | API / SQL |');
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  for (const r of all) {
    console.log(`| ${r.path} | ${r.workers} | ${r.api.rate.toFixed(0)} ${r.unit} | ${ms(r.api.p50)} / ${ms(r.api.p99)} | ${r.sql.rate.toFixed(0)} ${r.unit} | ${ms(r.sql.p50)} / ${ms(r.sql.p99)} | ${r.ratio.toFixed(2)} |`);
  }
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
