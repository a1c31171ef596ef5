import { defineErrors } from '@lib/errors';
import type { JobResult } from './job-catalogue';

export interface JobFailure {
  job: string;
  id: string | null;
  attemptsMade: number;
  reason: string;
  failedAt: string | null;
}

/** What `GET /api/admin/jobs` shows. */
export interface JobsOverview {
  runner: 'bullmq' | 'in-process';
  /** Whether this process runs the jobs (with BullMQ the workers may be elsewhere). */
  runningHere: boolean;
  counts: Record<string, number>;
  schedules: Array<{ job: string; everySeconds: number; next: string | null }>;
  lastFailures: JobFailure[];
}

/** How jobs are scheduled, retried and reported: BullMQ on Redis, or timers in this process. */
export abstract class JobRunner {
  abstract readonly kind: JobsOverview['runner'];
  /** Schedules every job and starts processing them in this process. */
  abstract start(): Promise<void>;
  abstract stop(): Promise<void>;
  abstract overview(): Promise<JobsOverview>;
  /** Runs one job now, here, and returns its result (tests, and the in-process runner's own use). */
  abstract runNow(name: string): Promise<JobResult>;
  /** Starts one run of a job now the way the scheduler would (queued, retried, recorded); returns its id when queued. */
  abstract trigger(name: string): Promise<{ job: string; id: string | null }>;
}

export const JobsError = defineErrors({
  JOB_NOT_FOUND: { kind: 'not_found', zh: '没有名为 {name} 的后台任务', en: 'There is no background job named {name}' },
});

/** Retries: three attempts, waiting 10 s, then 20 s. */
export const JOB_ATTEMPTS = 3;
export const JOB_BACKOFF_MS = 10_000;
