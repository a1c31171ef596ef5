import cluster, { Worker } from 'node:cluster';

/**
 * `API_WORKERS` > 1: the primary process of `main.ts` runs this many API workers with `node:cluster`.
 * Every worker is a whole API instance (the same `createApp` as one process) listening on the same PORT;
 * the primary accepts the connections and hands them out in turn (Node's round-robin on Linux), and
 * serves no request itself. The workers are several instances of one deployment, so they share what
 * instances share: PostgreSQL, and through Redis (required) rate limits, logouts, live pushes
 * (`@socket.io/redis-adapter`) and jobs.
 *
 * Live updates under the cluster are websocket-only (LiveSocketAdapter): socket.io's long-polling
 * fallback needs every request of a client on the process that opened it, and a connection handed out
 * in turn does not know the client. The sticky-session helper (`@socket.io/sticky`) gets there by
 * reading every request in the primary and relaying non-websocket ones to the worker through IPC,
 * which puts all HTTP traffic back through one process: the thing the cluster is there to avoid.
 * The web app and the test clients connect with the websocket transport first.
 *
 * A worker that dies unexpectedly is replaced after a back-off: 1 s, doubling (to 30 s at most) while
 * replacements die within 30 s of listening. On stop each worker gets SIGTERM (it closes the app:
 * requests under way finish, sockets close), and SIGKILL if it is still there after the grace time.
 * A worker whose primary is gone stops itself.
 *
 * Worth knowing when raising API_WORKERS:
 * - Default 1 (no primary at all): `npm start` needs no Redis, and one process is what a laptop demo or a
 *   container with one core wants. `auto` = os.availableParallelism().
 * - Each worker has its own database pool (DB_POOL_SIZE, default 20): workers × pool size × instances
 *   must stay under PostgreSQL's max_connections (100 by default).
 * - Jobs follow JOBS_RUN_IN as for any instance with Redis: `auto` leaves them to `npm run start:worker`;
 *   `api` makes every worker run them (BullMQ hands each run to one, and each job is safe twice).
 * - Without JWT_SECRET (outside production) the primary makes one random secret for all its workers, so
 *   a token from one is good on the others; a replaced worker keeps it, a restart of the whole ends it.
 * - Ctrl-C signals every process of the terminal's group, the embedded PostgreSQL's too; SIGTERM to the
 *   primary alone (a service manager, `docker stop`) stops the workers first and the database last.
 */
const FIRST_DELAY_MS = 1000;
const MAX_DELAY_MS = 30_000;
/** A worker that listened this long counts as healthy: the next replacement starts after FIRST_DELAY_MS again. */
const STABLE_MS = 30_000;

interface Slot {
  index: number;
  worker: Worker | null;
  listeningAt: number | null;
  quickFailures: number;
  restart: NodeJS.Timeout | null;
}

export interface ApiWorkerPoolOptions {
  count: number;
  /** Added to each worker's environment (the database URL the primary prepared, the shared token secret). */
  env: Record<string, string>;
  say: (line: string) => void;
}

export class ApiWorkerPool {
  private readonly slots: Slot[];
  private started = false;
  private stopping = false;
  private port: number | null = null;
  private startup: { listening: () => void; failed: (reason: string) => void } | null = null;

  constructor(private readonly options: ApiWorkerPoolOptions) {
    this.slots = Array.from({ length: options.count }, (_, i) => ({ index: i + 1, worker: null, listeningAt: null, quickFailures: 0, restart: null }));
  }

  /** Forks every worker; resolves with the port once all of them listen, rejects when one exits before that. */
  start(): Promise<number> {
    return new Promise((resolve, reject) => {
      let waiting = this.slots.length;
      this.startup = {
        listening: () => {
          if (--waiting > 0) return;
          this.started = true;
          this.startup = null;
          resolve(this.port!);
        },
        failed: (reason) => {
          this.startup = null;
          reject(new Error(reason));
        },
      };
      for (const slot of this.slots) this.fork(slot);
    });
  }

  /** The workers' process ids now (a replaced worker has a new one). */
  pids(): number[] {
    return this.slots.flatMap((s) => (s.worker?.process.pid ? [s.worker.process.pid] : []));
  }

  /** SIGTERM to every worker, SIGKILL to those still running after `graceMs`; no more replacements. */
  async stop(graceMs = 10_000): Promise<void> {
    this.stopping = true;
    for (const slot of this.slots) {
      if (slot.restart) clearTimeout(slot.restart);
      slot.restart = null;
    }
    const running = this.slots.flatMap((s) => (s.worker && !s.worker.isDead() ? [s.worker] : []));
    await Promise.all(
      running.map(
        (worker) =>
          new Promise<void>((resolve) => {
            const kill = setTimeout(() => {
              this.options.say(`API worker (pid ${worker.process.pid}) still running ${graceMs / 1000} s after SIGTERM: killing it`);
              worker.process.kill('SIGKILL');
            }, graceMs);
            worker.once('exit', () => {
              clearTimeout(kill);
              resolve();
            });
            worker.process.kill('SIGTERM');
          }),
      ),
    );
  }

  private fork(slot: Slot): void {
    slot.restart = null;
    const worker = cluster.fork(this.options.env);
    slot.worker = worker;
    slot.listeningAt = null;
    worker.once('listening', (address) => {
      slot.listeningAt = Date.now();
      this.port ??= address.port;
      this.options.say(`API worker ${slot.index} (pid ${worker.process.pid}) listening on port ${address.port}`);
      this.startup?.listening();
    });
    worker.once('exit', (code, signal) => this.exited(slot, worker, code, signal));
  }

  private exited(slot: Slot, worker: Worker, code: number | null, signal: string | null): void {
    if (slot.worker !== worker) return;
    slot.worker = null;
    if (this.stopping) return;
    const how = signal ? `signal ${signal}` : `code ${code}`;
    if (!this.started) {
      this.startup?.failed(`API worker ${slot.index} (pid ${worker.process.pid}) exited before listening (${how})`);
      return;
    }
    const stable = slot.listeningAt !== null && Date.now() - slot.listeningAt >= STABLE_MS;
    slot.quickFailures = stable ? 0 : slot.quickFailures + 1;
    const delay = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** slot.quickFailures);
    this.options.say(`API worker ${slot.index} (pid ${worker.process.pid}) exited (${how}); starting another in ${delay / 1000} s`);
    slot.restart = setTimeout(() => this.fork(slot), delay);
  }
}
