import { Logger } from '@nestjs/common';
import { DateTime } from 'luxon';
import { JobCatalogue, JobDefinition, JobResult } from './job-catalogue';
import { JOB_ATTEMPTS, JOB_BACKOFF_MS, JobFailure, JobRunner, JobsError, JobsOverview } from './job-runner';

/**
 * The same jobs without Redis: timers in this process, with the same retries and back-off, and the
 * counts and failures kept in memory. One process only (there is no Redis to share a queue through);
 * several at once would still be correct — the jobs' guarantees are in the database — just wasteful.
 */
export class InProcessJobRunner extends JobRunner {
  readonly kind = 'in-process' as const;
  private readonly logger = new Logger('Jobs');
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly next = new Map<string, Date>();
  private readonly running = new Set<string>();
  private readonly counts = { active: 0, completed: 0, failed: 0, retried: 0 };
  private readonly failures: JobFailure[] = [];
  private started = false;

  constructor(
    private readonly catalogue: JobCatalogue,
    private readonly backoffMs = JOB_BACKOFF_MS,
  ) {
    super();
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    for (const def of this.catalogue.definitions()) if (def.everySeconds > 0) this.schedule(def, def.dailyAt ? msUntilDaily(def.dailyAt) : 0);
    this.logger.log('background jobs run in this process (no Redis: no worker queue)');
  }

  async stop(): Promise<void> {
    this.started = false;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  async overview(): Promise<JobsOverview> {
    return {
      runner: this.kind,
      runningHere: this.started,
      counts: { ...this.counts },
      schedules: this.catalogue.definitions().map((d) => ({ job: d.name, everySeconds: d.everySeconds, next: this.next.get(d.name)?.toISOString() ?? null })),
      lastFailures: [...this.failures].reverse(),
    };
  }

  async runNow(name: string): Promise<JobResult> {
    const def = this.catalogue.find(name);
    if (!def) throw JobsError.JOB_NOT_FOUND({ name, field: 'name' });
    return def.run();
  }

  async trigger(name: string): Promise<{ job: string; id: string | null }> {
    const def = this.catalogue.find(name);
    if (!def) throw JobsError.JOB_NOT_FOUND({ name, field: 'name' });
    void this.runWithRetries(def);
    return { job: name, id: null };
  }

  /** Runs a definition with retries; records the outcome. Exposed for tests of the retry path. */
  async runWithRetries(def: Pick<JobDefinition, 'name' | 'run'>): Promise<JobResult | null> {
    for (let attempt = 1; ; attempt++) {
      this.counts.active++;
      try {
        const result = await def.run();
        this.counts.completed++;
        return result;
      } catch (e) {
        const reason = (e as Error).message;
        if (attempt >= JOB_ATTEMPTS) {
          this.counts.failed++;
          this.failures.push({ job: def.name, id: null, attemptsMade: attempt, reason, failedAt: new Date().toISOString() });
          if (this.failures.length > 20) this.failures.shift();
          this.logger.error(`job ${def.name} failed after ${attempt} attempts: ${reason}`);
          return null;
        }
        this.counts.retried++;
        this.logger.warn(`job ${def.name} attempt ${attempt} failed (${reason}); retrying`);
        await new Promise((r) => setTimeout(r, this.backoffMs * 2 ** (attempt - 1)).unref());
      } finally {
        this.counts.active--;
      }
    }
  }

  private schedule(def: JobDefinition, delayMs: number): void {
    this.next.set(def.name, new Date(Date.now() + delayMs));
    const timer = setTimeout(async () => {
      this.timers.delete(timer);
      if (!this.started) return;
      if (!this.running.has(def.name)) {
        this.running.add(def.name);
        try {
          const result = await this.runWithRetries(def);
          if (result && Object.values(result).some((n) => n > 0)) this.logger.log(`${def.name}: ${JSON.stringify(result)}`);
        } finally {
          this.running.delete(def.name);
        }
      }
      if (this.started) this.schedule(def, def.dailyAt ? msUntilDaily(def.dailyAt) : def.everySeconds * 1000);
    }, delayMs);
    timer.unref();
    this.timers.add(timer);
  }
}

/** Milliseconds from `now` to the next hour:minute in the time zone (tomorrow's when today's has passed). */
export function msUntilDaily(at: NonNullable<JobDefinition['dailyAt']>, now: Date = new Date()): number {
  const here = DateTime.fromJSDate(now, { zone: at.timeZone });
  let next = here.set({ hour: at.hour, minute: at.minute, second: 0, millisecond: 0 });
  if (next <= here) next = next.plus({ days: 1 });
  return next.toMillis() - now.getTime();
}
