import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Job, Queue, QueueEvents } from 'bullmq';
import { DataSource } from 'typeorm';
import { BullJobRunner, JobRunner, JOBS_QUEUE } from '@lib/jobs';
import { WorkerModule } from '../apps/worker/src/worker.module';
import { REDIS_URL } from './setup/test-database';
import { bearer, login, registerResident, Resident } from './utils/factories';
import { startTestApp, TEST_ADMIN, TestApp } from './utils/test-app';
import { connectLive, nextEvent } from './utils/live-client';

const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opens: '08:00', closes: '22:00' }));

/** The background jobs: each run changes things once, however many runs or workers there are. */
describe('background jobs', () => {
  let t: TestApp;
  let t2: TestApp;
  let worker: INestApplicationContext;
  let admin: string;
  let librarian: string;
  let branchId: string;
  let db: DataSource;
  let seq = 0;

  async function titleWithOneCopy(title: string) {
    const record = await t.http().post('/api/catalog/records').set(bearer(admin)).send({ title, authors: ['测试作者'] }).expect(201);
    const barcode = `J${String(++seq).padStart(6, '0')}`;
    await t.http().post('/api/catalog/items').set(bearer(admin)).send({ recordId: record.body.id, barcode, branchId, itemType: 'book' }).expect(201);
    return { recordId: record.body.id as string, barcode };
  }
  const notices = async (r: Resident, kind: string) =>
    (await t.http().get('/api/me/notifications').set(bearer(r.accessToken)).expect(200)).body.filter((n: { kind: string }) => n.kind === kind);

  beforeAll(async () => {
    t = await startTestApp({}, { listen: true });
    t2 = await startTestApp({}, { sameDeploymentAs: t });
    db = t.app.get(DataSource);
    admin = (await login(t.http, TEST_ADMIN.username, TEST_ADMIN.password)).accessToken;
    const district = await t.http().post('/api/regions').set(bearer(admin)).send({ name: '作业区', kind: 'district' }).expect(201);
    branchId = (
      await t.http()
        .post('/api/branches')
        .set(bearer(admin))
        .send({ name: '作业图书馆', kind: 'library', level: 'central', regionId: district.body.id, sharedCirculation: true, openingHours: EVERY_DAY })
        .expect(201)
    ).body.id;
    await t.http().post('/api/staff').set(bearer(admin)).send({ username: 'job-lib', password: 'JobDesk12345', name: '作业馆员', role: 'librarian', branchIds: [branchId] }).expect(201);
    librarian = (await login(t.http, 'job-lib', 'JobDesk12345')).accessToken;
    // A real worker of the same deployment: BullMQ on the same Redis prefix, the same database.
    // Its schedules run once at start and then daily, so the runs below are the test's own.
    const workerEnv = Object.assign(Object.create(Object.getPrototypeOf(t.env)), t.env, { HOUSEKEEPING_INTERVAL_SECONDS: 86_400 });
    worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(workerEnv, t.databaseUrl), { logger: false });
    await worker.init();
  });
  afterAll(async () => {
    await worker?.close();
    await t2?.close();
    await t?.close();
  });

  it('expires a ready hold past its deadline and readies the next resident’s hold exactly once, however often and wherever the job runs', async () => {
    const { recordId } = await titleWithOneCopy('百年孤独');
    const first = await registerResident(t.http);
    const next = await registerResident(t.http);
    const ready = await t.http().post('/api/holds').set(bearer(first.accessToken)).send({ recordId, pickupBranchId: branchId }).expect(201);
    expect(ready.body.status).toBe('ready');
    const waiting = await t.http().post('/api/holds').set(bearer(next.accessToken)).send({ recordId, pickupBranchId: branchId }).expect(201);
    expect(waiting.body.status).toBe('waiting');
    await db.query(`UPDATE hold SET expires_at = now() - interval '1 minute' WHERE id = $1`, [ready.body.id]);

    // Two instances at once (two connection pools, as two workers would be), then once more.
    const runs = await Promise.all([t.app.get(JobRunner).runNow('expire-holds'), t2.app.get(JobRunner).runNow('expire-holds')]);
    const again = await t.app.get(JobRunner).runNow('expire-holds');
    expect(runs.reduce((n, r) => n + r.expired, 0) + again.expired).toBe(1);

    const holds: Array<{ id: string; status: string }> = await db.query(`SELECT id, status FROM hold WHERE record_id = $1`, [recordId]);
    expect(Object.fromEntries(holds.map((h) => [h.id, h.status]))).toEqual({ [ready.body.id]: 'expired', [waiting.body.id]: 'ready' });
    expect(await notices(next, 'hold_ready')).toHaveLength(1);
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM usage_event WHERE kind = 'hold_expired'`);
    expect(n).toBe(1);
  });

  it('reminds once before a loan is due and once when it is overdue, through the BullMQ worker and by hand at once', async () => {
    const { barcode } = await titleWithOneCopy('围城');
    const r = await registerResident(t.http);
    const loan = await t.http().post('/api/circulation/checkout').set(bearer(librarian)).send({ cardNumber: r.cardNumber, barcode }).expect(201);
    const runner = t.app.get(JobRunner) as BullJobRunner;
    const events = new QueueEvents(JOBS_QUEUE, { connection: { url: REDIS_URL }, prefix: `${t.env.REDIS_PREFIX}bull` });
    await events.waitUntilReady();
    try {
      const viaWorker = async () => (await runner.enqueue('loan-reminders')).waitUntilFinished(events);

      await db.query(`UPDATE loan SET due_at = now() + interval '1 day' WHERE id = $1`, [loan.body.loanId]);
      await Promise.all([viaWorker(), t2.app.get(JobRunner).runNow('loan-reminders'), viaWorker()]);
      expect(await notices(r, 'loan_due_soon')).toHaveLength(1);
      expect(await notices(r, 'loan_overdue')).toHaveLength(0);

      await db.query(`UPDATE loan SET due_at = now() - interval '1 day' WHERE id = $1`, [loan.body.loanId]);
      await Promise.all([viaWorker(), t.app.get(JobRunner).runNow('loan-reminders')]);
      await viaWorker();
      const overdue = await notices(r, 'loan_overdue');
      expect(overdue).toHaveLength(1);
      expect(overdue[0]).toMatchObject({ payload: { loanId: loan.body.loanId, barcode }, title: '借阅已逾期' });
      expect(await notices(r, 'loan_due_soon')).toHaveLength(1);
    } finally {
      await events.close();
    }
  });

  it('pushes what a job did in the worker to the resident connected to an API instance', async () => {
    const { barcode } = await titleWithOneCopy('活着');
    const r = await registerResident(t.http);
    const loan = await t.http().post('/api/circulation/checkout').set(bearer(librarian)).send({ cardNumber: r.cardNumber, barcode }).expect(201);
    // Listening before the loan is overdue, so no scheduled run can tell them before the socket is there.
    const socket = await connectLive(t.baseUrl!, '/live', r.accessToken);
    await db.query(`UPDATE loan SET due_at = now() - interval '2 days' WHERE id = $1`, [loan.body.loanId]);
    const events = new QueueEvents(JOBS_QUEUE, { connection: { url: REDIS_URL }, prefix: `${t.env.REDIS_PREFIX}bull` });
    try {
      const told = nextEvent<{ kind: string; payload: { loanId: string } }>(socket, 'notification', (n) => n.kind === 'loan_overdue' && n.payload.loanId === loan.body.loanId);
      await events.waitUntilReady();
      // Only the worker runs it: the notice goes out through socket.io's Redis channels to instance t.
      await (await (t.app.get(JobRunner) as BullJobRunner).enqueue('loan-reminders')).waitUntilFinished(events);
      expect(await told).toMatchObject({ text: { en: { title: 'A loan is overdue' } } });
    } finally {
      socket.close();
      await events.close();
    }
  });

  it('shows admins the jobs by state and the last failures', async () => {
    const runner = t.app.get(JobRunner) as BullJobRunner;
    const events = new QueueEvents(JOBS_QUEUE, { connection: { url: REDIS_URL }, prefix: `${t.env.REDIS_PREFIX}bull` });
    await events.waitUntilReady();
    try {
      await expect((await runner.enqueue('no-such-job')).waitUntilFinished(events)).rejects.toThrow('unknown job no-such-job');
    } finally {
      await events.close();
    }
    const resident = await registerResident(t.http);
    await t2.http().get('/api/admin/jobs').set(bearer(resident.accessToken)).expect(403);
    const overview = (await t2.http().get('/api/admin/jobs').set(bearer(admin)).expect(200)).body;
    expect(overview).toMatchObject({ runner: 'bullmq', runningHere: false });
    expect(overview.counts.failed).toBeGreaterThanOrEqual(1);
    expect(overview.counts.completed).toBeGreaterThanOrEqual(1);
    expect(overview.lastFailures).toEqual(expect.arrayContaining([expect.objectContaining({ job: 'no-such-job', reason: 'unknown job no-such-job', attemptsMade: 1 })]));
    expect(overview.schedules.map((s: { job: string }) => s.job).sort()).toEqual(
      ['close-venue-bookings', 'expire-holds', 'loan-reminders', 'mark-session-no-shows', 'purge-expired'],
    );
  });

  it('lets an admin run a job on demand through the queue: the unscheduled rollup rebuild', async () => {
    expect((await t.http().post('/api/admin/jobs/no-such-job/run').set(bearer(admin)).expect(404)).body.code).toBe('JOB_NOT_FOUND');
    const [{ before }] = await db.query(`SELECT coalesce(sum(events), 0)::int AS before FROM usage_daily`);
    await db.query(`DELETE FROM usage_daily`); // as if the rollups had been damaged
    const started = await t.http().post('/api/admin/jobs/rebuild-usage-rollups/run').set(bearer(admin)).expect(202);
    expect(started.body).toEqual({ job: 'rebuild-usage-rollups', id: expect.any(String) });
    const connection = { url: REDIS_URL };
    const prefix = `${t.env.REDIS_PREFIX}bull`;
    const queue = new Queue(JOBS_QUEUE, { connection, prefix });
    const events = new QueueEvents(JOBS_QUEUE, { connection, prefix });
    try {
      await events.waitUntilReady();
      const job = await Job.fromId(queue, started.body.id);
      await job!.waitUntilFinished(events);
    } finally {
      await events.close();
      await queue.close();
    }
    const [{ after }] = await db.query(`SELECT coalesce(sum(events), 0)::int AS after FROM usage_daily`);
    expect(after).toBe(before);
    expect(after).toBeGreaterThan(0);
  });
});
