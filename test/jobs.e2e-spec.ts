import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Job, Queue, QueueEvents } from 'bullmq';
import { DataSource } from 'typeorm';
import { Pool } from 'pg';
import { BullJobRunner, JOB_ATTEMPTS, JOB_BACKOFF_MS, JobRunner, JOBS_QUEUE } from '@lib/jobs';
import { WorkerModule } from '../apps/worker/src/worker.module';
import { REDIS_URL } from './setup/test-database';
import { bearer, login, registerResident, Resident, everyDay } from './utils/factories';
import { startTestApp, TEST_ADMIN, TestApp } from './utils/test-app';
import { connectLive, nextEvent } from './utils/live-client';

const EVERY_DAY = everyDay('08:00', '22:00');

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
      ['close-venue-bookings', 'expire-holds', 'loan-reminders', 'mark-session-no-shows', 'purge-expired', 'purge-personal-data-log', 'rebuild-recent-rollups'],
    );
    expect(overview.schedules.find((s: { job: string }) => s.job === 'rebuild-recent-rollups')).toMatchObject({ everySeconds: 86_400 });
  });

  it('gives every run, scheduled or on demand, three attempts with exponential back-off (read back from Redis)', async () => {
    const connection = { url: REDIS_URL };
    const prefix = `${t.env.REDIS_PREFIX}bull`;
    const queue = new Queue(JOBS_QUEUE, { connection, prefix });
    try {
      const retry = { attempts: JOB_ATTEMPTS, backoff: { type: 'exponential', delay: JOB_BACKOFF_MS } };
      expect(JOB_ATTEMPTS).toBeGreaterThan(1);
      // What the worker stored for its schedules: each is a template every scheduled run is made from.
      const nightly = await queue.getJobScheduler('rebuild-recent-rollups');
      expect(nightly).toMatchObject({ pattern: '0 3 * * *', tz: t.env.TIME_ZONE, template: { opts: retry } });
      expect((await queue.getJobScheduler('expire-holds'))?.template?.opts).toMatchObject(retry);
      // The scheduler's next run, waiting in the queue, carries them too.
      const upcoming = (await queue.getDelayed()).filter((j) => j.name === 'loan-reminders');
      expect(upcoming.length).toBeGreaterThan(0);
      for (const j of upcoming) expect(j.opts).toMatchObject(retry);
      // A run started by an admin, read back by id.
      const started = await t.http().post('/api/admin/jobs/purge-expired/run').set(bearer(admin)).expect(202);
      expect((await Job.fromId(queue, started.body.id))!.opts).toMatchObject(retry);
    } finally {
      await queue.close();
    }
  });

  /** Runs a job through the queue the way an admin does, and waits for its result. */
  async function runThroughQueue(name: string): Promise<Record<string, number>> {
    const started = await t.http().post(`/api/admin/jobs/${name}/run`).set(bearer(admin)).expect(202);
    const connection = { url: REDIS_URL };
    const prefix = `${t.env.REDIS_PREFIX}bull`;
    const queue = new Queue(JOBS_QUEUE, { connection, prefix });
    const events = new QueueEvents(JOBS_QUEUE, { connection, prefix });
    try {
      await events.waitUntilReady();
      return await (await Job.fromId(queue, started.body.id))!.waitUntilFinished(events);
    } finally {
      await events.close();
      await queue.close();
    }
  }

  it('closes venue bookings that have ended, once, and leaves current, future and undecided ones alone', async () => {
    const venue = (await t.http().post('/api/venues').set(bearer(librarian)).send({ branchId, name: '作业排练室', kind: 'room', capacity: 10 }).expect(201)).body.id;
    const r = await registerResident(t.http);
    const seed = async (kind: string, status: string, startsAgoHours: number, endsAgoHours: number): Promise<string> =>
      (
        await db.query(
          `INSERT INTO venue_booking (venue_id, kind, patron_id, starts_at, ends_at, status)
           VALUES ($1, $2::varchar, CASE WHEN $2::varchar = 'booking' THEN $3::uuid END, now() - make_interval(hours => $4), now() - make_interval(hours => $5), $6) RETURNING id`,
          [venue, kind, r.id, startsAgoHours, endsAgoHours, status],
        )
      )[0].id;
    const came = await seed('booking', 'checked_in', 50, 49);
    const stayedAway = await seed('booking', 'confirmed', 48, 47);
    const block = await seed('block', 'confirmed', 46, 45);
    const undecided = await seed('booking', 'pending', 44, 43);
    const underway = await seed('booking', 'checked_in', 1, -1);
    const upcoming = await seed('booking', 'confirmed', -2, -3);

    expect(await runThroughQueue('close-venue-bookings')).toEqual({ completed: 1, noShows: 1 });
    expect(await runThroughQueue('close-venue-bookings')).toEqual({ completed: 0, noShows: 0 });
    const rows: Array<{ id: string; status: string }> = await db.query(`SELECT id, status FROM venue_booking WHERE venue_id = $1`, [venue]);
    expect(Object.fromEntries(rows.map((b) => [b.id, b.status]))).toEqual({
      [came]: 'completed',
      [stayedAway]: 'no_show',
      [block]: 'confirmed',
      [undecided]: 'pending',
      [underway]: 'checked_in',
      [upcoming]: 'confirmed',
    });
  });

  it('purges expired idempotency keys and expired or long-ended sessions once, and nothing still in use', async () => {
    const key = (n: number) => `purge-test-${n}`.padEnd(64, '0');
    await db.query(
      `INSERT INTO idempotency_key (scope, request_hash, status, body, expires_at)
       SELECT rpad('purge-test-' || n, 64, '0'), repeat('a', 64), 201, '{}'::jsonb,
              CASE WHEN n <= 3 THEN now() - interval '1 minute' ELSE now() + interval '1 hour' END
         FROM generate_series(1, 5) AS n`,
    );
    const sessionOf = async () => {
      const r = await registerResident(t.http);
      const [row] = await db.query(`SELECT id FROM auth_session WHERE subject_id = $1 ORDER BY created_at DESC LIMIT 1`, [r.id]);
      return { resident: r, session: row.id as string };
    };
    const ttl = t.env.ACCESS_TOKEN_TTL_SECONDS;
    const expired = await sessionOf();
    await db.query(`UPDATE auth_session SET expires_at = now() - interval '1 minute' WHERE id = $1`, [expired.session]);
    const endedLongAgo = await sessionOf();
    await db.query(`UPDATE auth_session SET revoked_at = now() - make_interval(secs => $2 + 60), revoked_reason = 'logout' WHERE id = $1`, [endedLongAgo.session, ttl]);
    // Ended a moment ago: its access tokens may still be out there, so its revocation must stay.
    const endedJustNow = await sessionOf();
    await db.query(`UPDATE auth_session SET revoked_at = now() - interval '5 seconds', revoked_reason = 'logout' WHERE id = $1`, [endedJustNow.session]);
    const live = await sessionOf();

    // Two instances at once, then once more: each row goes once.
    const runs = await Promise.all([t.app.get(JobRunner).runNow('purge-expired'), t2.app.get(JobRunner).runNow('purge-expired')]);
    const again = await t.app.get(JobRunner).runNow('purge-expired');
    expect(runs.reduce((n, r) => n + r.idempotencyKeys, 0)).toBe(3);
    expect(runs.reduce((n, r) => n + r.sessions, 0)).toBe(2);
    expect(again).toEqual({ idempotencyKeys: 0, sessions: 0 });

    const keys: Array<{ scope: string }> = await db.query(`SELECT scope FROM idempotency_key WHERE scope LIKE 'purge-test-%' ORDER BY scope`);
    expect(keys.map((k) => k.scope)).toEqual([key(4), key(5)]);
    const sessions: Array<{ id: string }> = await db.query(`SELECT id FROM auth_session WHERE id = ANY($1::uuid[])`, [
      [expired.session, endedLongAgo.session, endedJustNow.session, live.session],
    ]);
    expect(sessions.map((x) => x.id).sort()).toEqual([endedJustNow.session, live.session].sort());
    // The live session still signs in and refreshes.
    await t.http().get('/api/me').set(bearer(live.resident.accessToken)).expect(200);
    await t.http().post('/api/auth/refresh').send({ refreshToken: live.resident.refreshToken }).expect(200);
  });

  it('lets an admin run a job on demand through the queue: the unscheduled full rollup rebuild', async () => {
    expect((await t.http().post('/api/admin/jobs/no-such-job/run').set(bearer(admin)).expect(404)).body.code).toBe('JOB_NOT_FOUND');
    // Its own events (two of them a year back), so the check does not rest on what earlier tests left.
    await db.query(
      `INSERT INTO usage_event (kind, branch_id, region_id, quantity, occurred_at)
       SELECT 'digital_access', $1, (SELECT region_id FROM branch WHERE id = $1), n, now() - make_interval(days => CASE WHEN n <= 2 THEN 365 ELSE 0 END)
         FROM generate_series(1, 5) AS n`,
      [branchId],
    );
    const raw = async () => (await db.query(`SELECT count(*)::int AS events, sum(quantity)::int AS quantity FROM usage_event`))[0];
    const rolled = async () => (await db.query(`SELECT coalesce(sum(events), 0)::int AS events, coalesce(sum(quantity), 0)::int AS quantity FROM usage_daily`))[0];
    const rolledMonthly = async () => (await db.query(`SELECT coalesce(sum(events), 0)::int AS events, coalesce(sum(quantity), 0)::int AS quantity FROM usage_monthly`))[0];
    const expected = await raw();
    expect(expected.events).toBeGreaterThanOrEqual(5);
    await db.query(`DELETE FROM usage_daily`); // as if the rollups had been damaged
    await db.query(`UPDATE usage_monthly SET events = events + 100`);
    expect(await runThroughQueue('rebuild-usage-rollups')).toEqual({ rows: expect.any(Number), events: expected.events });
    expect(await rolled()).toEqual(expected);
    expect(await rolledMonthly()).toEqual(expected);
  });

  describe('the nightly rebuild of recent rollups', () => {
    const TZ = 'Asia/Shanghai'; // the branches' (default) time zone, and the district's in the test env
    /** A day relative to today in the district, as YYYY-MM-DD (computed by the database clock, as the job does). */
    const dayAgo = async (n: number): Promise<string> =>
      (await db.query(`SELECT to_char((now() AT TIME ZONE $1)::date - $2::int, 'YYYY-MM-DD') AS d`, [TZ, n]))[0].d;
    /** An instant at hh:mm on that district day. */
    const at = (day: string, time: string) => `${day}T${time}:00+08:00`;
    const insertEvents = (client: { query: (q: string, p: unknown[]) => Promise<unknown> }, kind: string, instants: string[], quantity = 1) =>
      client.query(
        `INSERT INTO usage_event (kind, branch_id, region_id, quantity, occurred_at)
         SELECT $1, $2, (SELECT region_id FROM branch WHERE id = $2), $3, unnest($4::timestamptz[])`,
        [kind, branchId, quantity, instants],
      );
    /** Per day and kind: the raw log against the daily rollup, for these days. */
    const compare = async (days: string[]) => {
      const raw: Array<{ day: string; kind: string; events: number; quantity: number }> = await db.query(
        `SELECT to_char((occurred_at AT TIME ZONE $2)::date, 'YYYY-MM-DD') AS day, kind, count(*)::int AS events, sum(quantity)::int AS quantity
           FROM usage_event WHERE to_char((occurred_at AT TIME ZONE $2)::date, 'YYYY-MM-DD') = ANY($1::text[]) GROUP BY 1, 2 ORDER BY 1, 2`,
        [days, TZ],
      );
      const rolled: Array<{ day: string; kind: string; events: number; quantity: number }> = await db.query(
        `SELECT to_char(day, 'YYYY-MM-DD') AS day, kind, sum(events)::int AS events, sum(quantity)::int AS quantity
           FROM usage_daily WHERE to_char(day, 'YYYY-MM-DD') = ANY($1::text[]) GROUP BY 1, 2 ORDER BY 1, 2`,
        [days],
      );
      return { raw, rolled };
    };
    /** A month's rollup against the sum of its daily rows (the monthly rows are made from the daily ones). */
    const monthAgainstDays = async (day: string) => {
      const [row] = await db.query(
        `SELECT (SELECT coalesce(sum(events), 0)::int FROM usage_monthly WHERE month = date_trunc('month', $1::date)::date) AS monthly,
                (SELECT coalesce(sum(events), 0)::int FROM usage_daily WHERE date_trunc('month', day) = date_trunc('month', $1::date)) AS daily`,
        [day],
      );
      return row;
    };

    it('repairs a damaged row of yesterday from the raw log, changes nothing more when run again, and leaves older days alone', async () => {
      const [yesterday, today, older] = [await dayAgo(1), await dayAgo(0), await dayAgo(3)];
      await insertEvents(db, 'visit', [at(yesterday, '09:00'), at(yesterday, '23:59'), at(today, '00:01')], 3);
      await insertEvents(db, 'loan', [at(yesterday, '00:00'), at(older, '12:00')]);
      // Damage: yesterday's visits over-counted, a stray row, the month off; and a day outside the window.
      await db.query(`UPDATE usage_daily SET events = events + 7, quantity = quantity + 7 WHERE day = $1 AND kind = 'visit'`, [yesterday]);
      await db.query(
        `INSERT INTO usage_daily (day, kind, branch_id, region_id, category, provider_kind, shard, events, quantity, audience)
         VALUES ($1, 'renewal', $2, (SELECT region_id FROM branch WHERE id = $2), '', '', 3, 5, 5, 0)`,
        [yesterday, branchId],
      );
      await db.query(`UPDATE usage_monthly SET events = events + 100 WHERE month = date_trunc('month', $1::date)::date`, [yesterday]);
      await db.query(`UPDATE usage_daily SET events = events + 11 WHERE day = $1 AND kind = 'loan'`, [older]);
      const before = await compare([yesterday, today]);
      expect(before.rolled).not.toEqual(before.raw);

      const first = await t.app.get(JobRunner).runNow('rebuild-recent-rollups');
      const second = await t.app.get(JobRunner).runNow('rebuild-recent-rollups');
      expect(second).toEqual(first);
      const after = await compare([yesterday, today]);
      expect(after.rolled).toEqual(after.raw);
      expect(after.raw).toEqual(
        expect.arrayContaining([
          { day: yesterday, kind: 'visit', events: 2, quantity: 6 },
          { day: yesterday, kind: 'loan', events: 1, quantity: 1 },
          { day: today, kind: 'visit', events: 1, quantity: 3 },
        ]),
      );
      expect(after.rolled.find((r) => r.kind === 'renewal')).toBeUndefined();
      const month = await monthAgainstDays(yesterday);
      expect(month.monthly).toBe(month.daily);
      // Outside the window the damage stays (the full rebuild is the repair for that).
      const olderDay = await compare([older]);
      expect(olderDay.rolled[0].events - olderDay.raw[0].events).toBe(11);
    });

    it('never makes new events of the month wait behind it while a long writer holds the month', async () => {
      const today = await dayAgo(0);
      const pool = new Pool({ connectionString: t.databaseUrl, max: 3 });
      const long = await pool.connect();
      try {
        await long.query('BEGIN');
        await insertEvents(long, 'loan', [at(today, '11:00')]); // holds this month's rollup lock (shared) until it ends
        const rebuild = t.app.get(JobRunner).runNow('rebuild-recent-rollups'); // keeps trying for the month meanwhile
        await new Promise((r) => setTimeout(r, 300));
        // Had the rebuild queued for the lock, this insert would wait behind it until the long writer ends,
        // which it does only after this insert: the lock timeout would end it with an error.
        const quick = await pool.connect();
        try {
          await quick.query(`SET lock_timeout = '3s'`);
          await insertEvents(quick, 'return', [at(today, '11:05')]);
        } finally {
          quick.release();
        }
        await long.query('COMMIT');
        await rebuild;
      } finally {
        long.release();
        await pool.end();
      }
      const { raw, rolled } = await compare([today]);
      expect(rolled).toEqual(raw);
    });

    it('counts every event committed while it runs, however the two interleave', async () => {
      const [yesterday, today] = [await dayAgo(1), await dayAgo(0)];
      const pool = new Pool({ connectionString: t.databaseUrl, max: 12 });
      try {
        const writers = Array.from({ length: 120 }, async (_, i) => {
          const client = await pool.connect();
          try {
            await client.query('BEGIN');
            await insertEvents(client, i % 3 ? 'loan' : 'return', [at(i % 2 ? yesterday : today, '10:00')]);
            // Some writers stay open a while after their trigger ran, so the rebuild meets them mid-transaction.
            if (i % 4 === 0) await client.query('SELECT pg_sleep(0.05)');
            // A few roll back: their events never happened and must not be counted.
            await client.query(i % 10 === 9 ? 'ROLLBACK' : 'COMMIT');
          } finally {
            client.release();
          }
        });
        const rebuilds = Array.from({ length: 6 }, async (_, i) => {
          await new Promise((r) => setTimeout(r, i * 80));
          return (i % 2 ? t2 : t).app.get(JobRunner).runNow('rebuild-recent-rollups');
        });
        await Promise.all([...writers, ...rebuilds]);
      } finally {
        await pool.end();
      }
      const { raw, rolled } = await compare([yesterday, today]);
      expect(rolled).toEqual(raw);
      const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM usage_event WHERE occurred_at IN ($1::timestamptz, $2::timestamptz)`, [
        at(yesterday, '10:00'),
        at(today, '10:00'),
      ]);
      expect(n).toBe(108);
      for (const day of [yesterday, today]) {
        const month = await monthAgainstDays(day);
        expect(month.monthly).toBe(month.daily);
      }
    });
  });
});
