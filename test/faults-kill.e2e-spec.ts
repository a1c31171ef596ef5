import { randomBytes, randomUUID } from 'node:crypto';
import { Job, Queue } from 'bullmq';
import IORedis from 'ioredis';
import { connect } from 'node:net';
import { Client } from 'pg';
import { REDIS_URL } from './setup/test-database';
import { ApiProcess, apiProcessEnv, httpCall } from './utils/api-process';
import { everyDay, uniquePhone } from './utils/factories';
import { OwnPostgres } from './utils/own-postgres';

/**
 * Processes stopped in the middle of their work, on a PostgreSQL of the test's own: the API killed
 * (SIGKILL) inside checkout transactions, the worker killed inside a rollup rebuild, and the API stopped
 * gracefully (SIGTERM) with a request under way. A request is held "under way" by a table lock the test
 * takes, so the moment of the signal is certain, not a matter of timing.
 */
describe('processes killed or stopped mid-work', () => {
  let pg: OwnPostgres;
  let env: Record<string, string>;
  let api: ApiProcess;
  const prefix = `faults_kill_${randomBytes(4).toString('hex')}:`;
  let admin = '';
  let branchId = '';
  let recordId = '';
  const cards: string[] = [];
  let seq = 0;
  const sql = <T = Record<string, unknown>>(text: string, params: unknown[] = []) => pg.query<T>(text, params, 'culture');

  const call = (path: string, options: Parameters<typeof httpCall>[1] = {}) => httpCall(`${api.baseUrl}${path}`, options);
  async function ok(path: string, options: Parameters<typeof httpCall>[1], status = 201) {
    const res = await call(path, options);
    if (res.status !== status) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  }
  async function addCopy(): Promise<string> {
    const barcode = `KIL${String(++seq).padStart(5, '0')}`;
    await ok('/api/catalog/items', { token: admin, body: { recordId, barcode, branchId, itemType: 'book' } });
    return barcode;
  }
  const checkout = (barcode: string, card = cards[0], key = randomUUID()) =>
    call('/api/circulation/checkout', { token: admin, body: { cardNumber: card, barcode, branchId }, headers: { 'idempotency-key': key }, hangAfterMs: 120_000 });

  /** A table lock held by the test in a transaction of its own until `release()`. */
  async function holdLock(statement: string): Promise<{ release(): Promise<void> }> {
    const client = new Client({ connectionString: pg.url('culture') });
    client.on('error', () => undefined); // a failed test leaves it to the server's stop
    await client.connect();
    await client.query('BEGIN');
    await client.query(statement);
    return {
      async release() {
        await client.query('ROLLBACK');
        await client.end();
      },
    };
  }
  /** Backends of the platform waiting for a lock whose query matches `pattern`. */
  async function waitingOnLock(pattern: string, count = 1): Promise<number[]> {
    for (;;) {
      const rows = await sql<{ pid: number }>(
        `SELECT pid FROM pg_stat_activity WHERE application_name = 'culture-platform' AND wait_event_type = 'Lock' AND query ILIKE $1`,
        [`%${pattern}%`],
      );
      if (rows.length >= count) return rows.map((r) => r.pid);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  async function gone(pids: number[]) {
    for (;;) {
      const rows = await sql(`SELECT 1 FROM pg_stat_activity WHERE pid = ANY($1::int[])`, [pids]);
      if (!rows.length) return;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  const loans = async (barcodes: string[]) =>
    (await sql<{ n: number }>(`SELECT count(*)::int AS n FROM loan l JOIN item i ON i.id = l.item_id WHERE i.barcode = ANY($1)`, [barcodes]))[0].n;
  const loanEvents = async () => (await sql<{ n: number }>(`SELECT count(*)::int AS n FROM usage_event WHERE kind = 'loan'`))[0].n;

  beforeAll(async () => {
    pg = await OwnPostgres.create();
    env = apiProcessEnv(await pg.createDatabase('culture'), REDIS_URL, prefix, { JOBS_RUN_IN: 'worker' });
    api = await ApiProcess.start(env);
    admin = (await ok('/api/auth/login', { body: { login: 'admin', password: 'Admin12345' } }, 200)).accessToken;
    const district = (await ok('/api/regions', { token: admin, body: { name: '断电区', kind: 'district' } })).id;
    branchId = (await ok('/api/branches', { token: admin, body: { name: '断电图书馆', kind: 'library', level: 'central', regionId: district, sharedCirculation: true, openingHours: everyDay('08:00', '22:00') } })).id;
    recordId = (await ok('/api/catalog/records', { token: admin, body: { title: '断电之书', authors: ['测试作者'] } })).id;
    for (let i = 0; i < 4; i++) cards.push((await ok('/api/auth/register', { body: { name: '断电读者', phone: uniquePhone(), password: 'Reader2026' } })).cardNumber);
  }, 600_000);
  afterAll(async () => {
    await api?.stop();
    await pg?.destroy();
  }, 120_000);

  it('leaves nothing half-written when the API is killed inside checkout transactions, and serves again after a restart', async () => {
    const barcodes = [await addCopy(), await addCopy(), await addCopy()];
    await checkout(await addCopy(), cards[1]).then((r) => expect(r.status).toBe(201));
    const eventsBefore = await loanEvents();
    // Each checkout writes its loan, then its usage event, in one transaction: the event's table is locked, so each waits there.
    const lock = await holdLock('LOCK TABLE usage_event IN SHARE ROW EXCLUSIVE MODE');
    const inFlight = barcodes.map((b, i) => checkout(b, cards[i]).then((r) => r, (e: Error) => e));
    const pids = await waitingOnLock('usage_event', barcodes.length);
    const ended = await api.kill();
    expect(ended.signal).toBe('SIGKILL');
    // No answer: the process is gone (the sockets reset).
    for (const r of await Promise.all(inFlight)) expect((r as { status?: number }).status).toBeUndefined();
    await lock.release();
    // The server rolls back each transaction whose client is gone.
    await gone(pids);
    expect(await loans(barcodes)).toBe(0);
    expect(await loanEvents()).toBe(eventsBefore);
    expect(await sql(`SELECT i.barcode FROM item i WHERE i.barcode = ANY($1) AND EXISTS (SELECT 1 FROM loan l WHERE l.item_id = i.id AND l.status = 'open')`, [barcodes])).toEqual([]);

    api = await ApiProcess.start(env);
    for (const [i, b] of barcodes.entries()) expect((await checkout(b, cards[i])).status).toBe(201);
    expect(await loans(barcodes)).toBe(3);
    expect(await loanEvents()).toBe(eventsBefore + 3);
  }, 600_000);

  it('leaves the rollups whole when the worker is killed inside a rebuild, and the job resumes in the next worker', async () => {
    // Row for row (the rollback leaves the very rows), and as totals (a rebuild may spread them over other shards).
    const snapshot = () => sql(`SELECT id, day, kind, branch_id, shard, events FROM usage_daily ORDER BY id`);
    const totals = () => sql(`SELECT to_char(day, 'YYYY-MM-DD') AS day, kind, branch_id, sum(events)::int AS events FROM usage_daily GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`);
    const before = await snapshot();
    const totalsBefore = await totals();
    expect(before.length).toBeGreaterThan(0);
    let worker = (await ApiProcess.startEntry('apps/worker/src/main.ts', env, /^Background worker running/)).process;
    // The rebuild deletes the daily rows, then the monthly ones: it waits there, its deletion of the daily rows not committed.
    const lock = await holdLock('LOCK TABLE usage_monthly IN ACCESS EXCLUSIVE MODE');
    const job = await ok('/api/admin/jobs/rebuild-usage-rollups/run', { method: 'POST', token: admin }, 202);
    const pids = await waitingOnLock('usage_monthly');
    expect((await worker.kill()).signal).toBe('SIGKILL');
    await lock.release();
    await gone(pids);
    expect(await snapshot()).toEqual(before);

    // BullMQ finds the job stalled (its lock lapses) and hands it to the next worker, which completes it.
    worker = (await ApiProcess.startEntry('apps/worker/src/main.ts', env, /^Background worker running/)).process;
    const redis = new IORedis(REDIS_URL, { maxRetriesPerRequest: null });
    const queue = new Queue('housekeeping', { connection: redis, prefix: `${prefix}bull` });
    try {
      for (;;) {
        const state = await (await Job.fromId(queue, job.id))?.getState();
        if (state === 'completed') break;
        expect(state).not.toBe('failed');
        await new Promise((r) => setTimeout(r, 500));
      }
    } finally {
      await queue.close();
      redis.disconnect();
      await worker.stop();
    }
    expect(await totals()).toEqual(totalsBefore);
  }, 600_000);

  it('on SIGTERM finishes the request under way, refuses new connections, closes its sockets and exits', async () => {
    const barcode = await addCopy();
    const lock = await holdLock('LOCK TABLE usage_event IN SHARE ROW EXCLUSIVE MODE');
    // An idle kept-alive connection, which the server must close.
    const idle = connect(api.port, '127.0.0.1');
    const idleClosed = new Promise<void>((resolve) => idle.once('close', () => resolve()));
    idle.on('error', () => undefined);
    const firstAnswer = new Promise<string>((resolve) => idle.once('data', (d) => resolve(d.toString())));
    idle.write('GET /api/health HTTP/1.1\r\nHost: localhost\r\n\r\n');
    expect(await firstAnswer).toMatch(/^HTTP\/1\.1 200/);
    const inFlight = checkout(barcode, cards[3]);
    await waitingOnLock('usage_event');
    api.child.kill('SIGTERM');
    await idleClosed;
    // New connections are refused once the server has stopped listening (the request under way still waits).
    for (;;) {
      const refused = await call('/api/health', { hangAfterMs: 60_000 }).then(
        () => false,
        (e: NodeJS.ErrnoException) => e.code === 'ECONNREFUSED',
      );
      if (refused) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(api.running).toBe(true);
    await lock.release();
    const answer = await inFlight;
    expect(answer.status).toBe(201);
    // Exits by itself, cleanly (ApiProcess.stop would send SIGKILL only after its own generous grace).
    expect(await api.ended()).toEqual({ code: 0, signal: null });
    expect(await loans([barcode])).toBe(1);
  }, 600_000);
});
