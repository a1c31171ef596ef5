import { Logger } from '@nestjs/common';
import { Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import Redis from 'ioredis';
import { JobCatalogue, JobResult } from './job-catalogue';
import { JOB_ATTEMPTS, JOB_BACKOFF_MS, JobRunner, JobsError, JobsOverview } from './job-runner';

export const JOBS_QUEUE = 'housekeeping';

/**
 * BullMQ on the shared Redis. `start` (in the worker, or an API told to run jobs) upserts one job
 * scheduler per job — idempotent, so every worker may do it at start — and processes the queue; BullMQ
 * gives each scheduled run to one worker, retries it with exponential back-off, and keeps the last
 * failures. The API only reads the queue for `GET /api/admin/jobs`.
 */
export class BullJobRunner extends JobRunner {
  readonly kind = 'bullmq' as const;
  private readonly logger = new Logger('Jobs');
  private queueConnection: Redis | null = null;
  private queueInstance: Queue | null = null;
  private worker: Worker | null = null;
  private workerConnection: Redis | null = null;

  constructor(
    private readonly catalogue: JobCatalogue,
    private readonly redisUrl: string,
    private readonly prefix: string,
  ) {
    super();
  }

  private get queue(): Queue {
    if (!this.queueInstance) {
      // Gives up after one reconnection attempt while Redis is away, so the admin endpoint answers instead of hanging.
      this.queueConnection = new Redis(this.redisUrl, { maxRetriesPerRequest: 1 });
      this.queueConnection.on('error', (e: Error) => this.logger.debug(`jobs queue Redis: ${e.message}`));
      this.queueInstance = new Queue(JOBS_QUEUE, { connection: this.queueConnection, prefix: this.prefix, skipWaitingForReady: true });
      this.queueInstance.on('error', (e: Error) => this.logger.debug(`jobs queue: ${e.message}`));
    }
    return this.queueInstance;
  }

  async start(): Promise<void> {
    if (this.worker) return;
    const definitions = this.catalogue.definitions();
    const scheduled = new Set<string>();
    for (const def of definitions) {
      if (def.everySeconds <= 0) continue;
      scheduled.add(def.name);
      await this.queue.upsertJobScheduler(
        def.name,
        def.dailyAt ? { pattern: `${def.dailyAt.minute} ${def.dailyAt.hour} * * *`, tz: def.dailyAt.timeZone } : { every: def.everySeconds * 1000 },
        {
          name: def.name,
          opts: { attempts: JOB_ATTEMPTS, backoff: { type: 'exponential', delay: JOB_BACKOFF_MS }, removeOnComplete: { count: 200 }, removeOnFail: { count: 500 } },
        },
      );
    }
    // A job renamed or switched off (interval 0) stops being scheduled.
    for (const s of await this.queue.getJobSchedulers()) if (s.key && !scheduled.has(s.key)) await this.queue.removeJobScheduler(s.key);

    // A worker blocks on its connection: its own, retried for ever (BullMQ's requirement).
    this.workerConnection = new Redis(this.redisUrl, { maxRetriesPerRequest: null });
    this.workerConnection.on('error', (e: Error) => this.logger.debug(`jobs worker Redis: ${e.message}`));
    this.worker = new Worker(JOBS_QUEUE, (job) => this.process(job), {
      connection: this.workerConnection,
      prefix: this.prefix,
      concurrency: 2,
    });
    this.worker.on('error', (e) => this.logger.warn(`jobs worker: ${e.message}`));
    this.worker.on('failed', (job, e) => this.logger.warn(`job ${job?.name} attempt ${job?.attemptsMade} failed: ${e.message}`));
    this.worker.on('completed', (job, result: JobResult) => {
      if (result && Object.values(result).some((n) => n > 0)) this.logger.log(`${job.name}: ${JSON.stringify(result)}`);
    });
    this.logger.log(`background jobs: BullMQ queue "${JOBS_QUEUE}" (${scheduled.size} scheduled)`);
  }

  async stop(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    await worker?.close();
    this.workerConnection?.disconnect();
    this.workerConnection = null;
    await this.closeQueue();
  }

  private async closeQueue(): Promise<void> {
    const queue = this.queueInstance;
    const connection = this.queueConnection;
    this.queueInstance = null;
    this.queueConnection = null;
    await queue?.close().catch(() => undefined);
    connection?.disconnect();
  }

  async overview(): Promise<JobsOverview> {
    const queue = this.queue;
    let read: [Record<string, number>, Job[], Awaited<ReturnType<Queue['getJobSchedulers']>>];
    try {
      read = await Promise.all([
        queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'completed', 'failed'),
        queue.getFailed(0, 19),
        queue.getJobSchedulers(),
      ]);
    } catch (e) {
      // A queue whose connection failed does not recover by itself: the next call opens a new one.
      if (!this.worker) await this.closeQueue();
      throw e;
    }
    const [counts, failed, schedulers] = read;
    return {
      runner: this.kind,
      runningHere: this.worker !== null,
      counts,
      schedules: schedulers.map((s) => ({
        job: s.key,
        everySeconds: s.every ? Math.round(Number(s.every) / 1000) : (this.catalogue.find(s.key)?.everySeconds ?? 0),
        next: s.next ? new Date(s.next).toISOString() : null,
      })),
      lastFailures: failed.map((j) => ({
        job: j.name,
        id: j.id ?? null,
        attemptsMade: j.attemptsMade,
        reason: j.failedReason,
        failedAt: j.finishedOn ? new Date(j.finishedOn).toISOString() : null,
      })),
    };
  }

  async runNow(name: string): Promise<JobResult> {
    const def = this.catalogue.find(name);
    if (!def) throw JobsError.JOB_NOT_FOUND({ name, field: 'name' });
    return def.run();
  }

  async trigger(name: string): Promise<{ job: string; id: string | null }> {
    if (!this.catalogue.find(name)) throw JobsError.JOB_NOT_FOUND({ name, field: 'name' });
    const job = await this.enqueue(name);
    return { job: name, id: job.id ?? null };
  }

  /** Adds a one-off run of a job to the queue (any worker takes it). */
  async enqueue(name: string): Promise<Job> {
    return this.queue.add(name, {}, { attempts: JOB_ATTEMPTS, backoff: { type: 'exponential', delay: JOB_BACKOFF_MS }, removeOnComplete: { count: 200 }, removeOnFail: { count: 500 } });
  }

  private async process(job: Job): Promise<JobResult> {
    const def = this.catalogue.find(job.name);
    // Retrying a job nobody knows cannot help: fail it at once, visibly.
    if (!def) throw new UnrecoverableError(`unknown job ${job.name}`);
    return def.run();
  }
}
