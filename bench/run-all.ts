/**
 * `npm run bench`: every benchmark in turn (each on a fresh database of its own), then one table of what
 * they reported: per path the API figure, the plain-SQL figure from the same run, the ratio and p50/p99.
 * BENCH_ONLY=foundation,circulation picks some; the environment is passed on (BENCH_SECONDS, BENCH_API_WORKERS …).
 */
import { spawn } from 'node:child_process';
import { BenchResult, RESULT_PREFIX } from './lib/report';

const ALL = ['foundation', 'circulation', 'registration', 'indicators'];
const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim()).filter(Boolean);

function run(name: string): Promise<Array<BenchResult & { ratio: number }>> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '-s', `bench:${name}`], { stdio: ['ignore', 'pipe', 'inherit'], env: process.env });
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
  for (const name of ALL.filter((n) => !only || only.includes(n))) {
    console.log(`\n== bench:${name}`);
    all.push(...(await run(name)));
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
