/**
 * One line per measured path, the same in every benchmark: the API's figure, the plain-SQL figure from the
 * same run, the ratio and p50/p99 latency of each. `npm run bench` (bench/run-all.ts) collects the lines
 * it finds (they start with RESULT_PREFIX) into one table.
 */
import { percentile } from './bench-app';

export const RESULT_PREFIX = 'BENCH-RESULT ';

export interface Side {
  /** Operations per second. */
  rate: number;
  p50: number;
  p99: number;
}

export interface BenchResult {
  path: string;
  unit: string;
  api: Side;
  sql: Side;
  /** API processes serving the run (1 in process; more with BENCH_API_WORKERS). */
  workers: number;
  note?: string;
}

/** p50/p99 of latencies in ms (any order). */
export function side(rate: number, latencies: number[]): Side {
  const sorted = [...latencies].sort((a, b) => a - b);
  return { rate, p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
}

export function report(result: BenchResult): void {
  const ratio = result.api.rate / result.sql.rate;
  const f = (s: Side) => `${s.rate.toFixed(0)} ${result.unit} (p50 ${s.p50.toFixed(1)} ms, p99 ${s.p99.toFixed(1)} ms)`;
  console.log(`${result.path} [${result.workers} API process${result.workers === 1 ? '' : 'es'}]: API ${f(result.api)} | plain SQL ${f(result.sql)} | API/SQL ${ratio.toFixed(2)}${result.note ? ` | ${result.note}` : ''}`);
  console.log(RESULT_PREFIX + JSON.stringify({ ...result, ratio }));
}
