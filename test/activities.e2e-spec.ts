import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { ActivitiesService } from '@lib/booking';
import { JobRunner } from '@lib/jobs';
import { bearer, login, registerResident, Resident } from './utils/factories';
import { startTestApp, TEST_ADMIN, TestApp } from './utils/test-app';

const ZONE = 'Asia/Shanghai';
const at = (days: number, clock: string) =>
  DateTime.now().setZone(ZONE).startOf('day').plus({ days }).set({ hour: Number(clock.slice(0, 2)), minute: Number(clock.slice(3, 5)) }).toISO({ suppressMilliseconds: true })!;

describe('activities: registration that never oversells', () => {
  let t: TestApp;
  let admin: string;
  let librarian: string;
  let branchId: string;
  let crowd: Resident[];

  async function createActivity(body: Record<string, unknown>) {
    const res = await t.http()
      .post('/api/activities')
      .set(bearer(librarian))
      .send({ title: '书法课', category: 'class', branchId, ...body })
      .expect(201);
    return (await t.http().get(`/api/activities/${res.body.id}`).expect(200)).body;
  }
  const register = (r: Resident, activityId: string, body: object) =>
    t.http().post(`/api/activities/${activityId}/registrations`).set(bearer(r.accessToken)).send(body);

  beforeAll(async () => {
    t = await startTestApp();
    admin = (await login(t.http, TEST_ADMIN.username, TEST_ADMIN.password)).accessToken;
    const district = await t.http().post('/api/regions').set(bearer(admin)).send({ name: '活动区', kind: 'district' }).expect(201);
    branchId = (await t.http().post('/api/branches').set(bearer(admin)).send({ name: '文化馆', kind: 'cultural_centre', level: 'central', regionId: district.body.id }).expect(201)).body.id;
    await t.http().post('/api/staff').set(bearer(admin)).send({ username: 'act-lib', password: 'Activity123', name: '活动馆员', role: 'librarian', branchIds: [branchId] }).expect(201);
    librarian = (await login(t.http, 'act-lib', 'Activity123')).accessToken;
    // Residents registered in batches: registration hashes passwords, which is slow on purpose.
    crowd = [];
    for (let i = 0; i < 8; i++) crowd.push(...(await Promise.all(Array.from({ length: 25 }, () => registerResident(t.http)))));
    // 400 argon2 hashes: give a busy machine time.
  }, 300_000);
  afterAll(() => t.close());

  it('confirms exactly the seats there are when 200 residents press at once, and waitlists the rest in order', async () => {
    const activity = await createActivity({ sessions: [{ startsAt: at(3, '14:00'), endsAt: at(3, '16:00'), capacity: 50, walkInSeats: 5 }] });
    const sessionId = activity.sessions[0].id;
    const results = await Promise.all(crowd.map((r) => register(r, activity.id, { sessionId })));
    expect(results.every((r) => r.status === 201)).toBe(true);
    const confirmed = results.filter((r) => r.body.status === 'confirmed');
    const waitlisted = results.filter((r) => r.body.status === 'waitlisted');
    expect(confirmed).toHaveLength(45); // 50 seats, 5 kept for the desk
    expect(waitlisted).toHaveLength(155);
    expect(waitlisted.map((r) => r.body.position).sort((a, b) => a - b)).toEqual(Array.from({ length: 155 }, (_, i) => i + 1));

    const db = t.app.get(DataSource);
    const [{ seats, holders }] = await db.query(
      `SELECT count(*) FILTER (WHERE registration_id IS NOT NULL)::int AS seats, count(DISTINCT registration_id)::int AS holders FROM session_seat WHERE session_id = $1`,
      [sessionId],
    );
    expect({ seats, holders }).toEqual({ seats: 45, holders: 45 });
    const view = (await t.http().get(`/api/activities/${activity.id}`).expect(200)).body.sessions[0];
    expect(view).toMatchObject({ capacity: 50, confirmed: 45, waitlisted: 155, seatsLeft: 0 });

    // Nobody holds two: a second press by a confirmed resident is refused.
    const again = await register(crowd[crowd.indexOf(crowd.find((_, i) => results[i].body.status === 'confirmed')!)], activity.id, { sessionId }).expect(409);
    expect(again.body.code).toBe('ALREADY_REGISTERED');
  });

  it('gives a cancelled seat straight to the first in line, and tells them', async () => {
    const activity = await createActivity({ sessions: [{ startsAt: at(4, '10:00'), endsAt: at(4, '11:00'), capacity: 2 }] });
    const sessionId = activity.sessions[0].id;
    const [a, b, c, d] = crowd.slice(0, 4);
    const ra = await register(a, activity.id, { sessionId }).expect(201);
    await register(b, activity.id, { sessionId }).expect(201);
    const rc = await register(c, activity.id, { sessionId }).expect(201);
    const rd = await register(d, activity.id, { sessionId }).expect(201);
    expect([rc.body.status, rc.body.position, rd.body.position]).toEqual(['waitlisted', 1, 2]);

    const cancelled = await t.http().post(`/api/registrations/${ra.body.id}/cancel`).set(bearer(a.accessToken)).expect(200);
    expect(cancelled.body).toEqual({ id: ra.body.id, status: 'cancelled', promoted: rc.body.id });
    const mine = await t.http().get('/api/me/registrations').set(bearer(c.accessToken)).expect(200);
    expect(mine.body.find((r: { id: string }) => r.id === rc.body.id).status).toBe('confirmed');
    const inbox = await t.http().get('/api/me/notifications').set(bearer(c.accessToken)).expect(200);
    expect(inbox.body.map((n: { kind: string }) => n.kind)).toContain('registration_promoted');
    const dNow = await t.http().get('/api/me/registrations').set(bearer(d.accessToken)).expect(200);
    expect(dNow.body.find((r: { id: string }) => r.id === rd.body.id)).toMatchObject({ status: 'waitlisted', position: 1 });
    // Someone else cannot cancel it.
    await t.http().post(`/api/registrations/${rc.body.id}/cancel`).set(bearer(d.accessToken)).expect(404);
  });

  it('keeps seats counted right when many cancel while others register', async () => {
    const activity = await createActivity({ sessions: [{ startsAt: at(5, '10:00'), endsAt: at(5, '11:00'), capacity: 10 }] });
    const sessionId = activity.sessions[0].id;
    const first = await Promise.all(crowd.slice(0, 30).map((r) => register(r, activity.id, { sessionId })));
    const holders = first.map((r, i) => ({ r, who: crowd[i] })).filter((x) => x.r.body.status === 'confirmed');
    await Promise.all([
      ...holders.slice(0, 5).map((x) => t.http().post(`/api/registrations/${x.r.body.id}/cancel`).set(bearer(x.who.accessToken))),
      ...crowd.slice(30, 50).map((r) => register(r, activity.id, { sessionId })),
    ]);
    const view = (await t.http().get(`/api/activities/${activity.id}`).expect(200)).body.sessions[0];
    expect(view.confirmed).toBe(10);
    const db = t.app.get(DataSource);
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM registration WHERE session_id = $1 AND status = 'confirmed'`, [sessionId]);
    expect(n).toBe(10);
  });

  it('opens registration at its time, keeps to the per-person quota, and lets the desk use kept seats', async () => {
    const later = await createActivity({
      registrationOpensAt: at(1, '09:00'),
      sessions: [{ startsAt: at(6, '10:00'), endsAt: at(6, '11:00'), capacity: 5 }],
    });
    const early = await register(crowd[0], later.id, { sessionId: later.sessions[0].id }).expect(409);
    expect(early.body.code).toBe('REGISTRATION_NOT_OPEN');

    const course = await createActivity({
      perPersonQuota: 1,
      sessions: [
        { startsAt: at(7, '10:00'), endsAt: at(7, '11:00'), capacity: 1, walkInSeats: 1 },
        { startsAt: at(8, '10:00'), endsAt: at(8, '11:00'), capacity: 5 },
      ],
    });
    await register(crowd[1], course.id, { sessionId: course.sessions[1].id }).expect(201);
    expect((await register(crowd[1], course.id, { sessionId: course.sessions[0].id }).expect(409)).body.code).toBe('QUOTA_REACHED');
    // The only seat of session 1 is kept: residents wait, the desk seats an elderly caller.
    expect((await register(crowd[2], course.id, { sessionId: course.sessions[0].id }).expect(201)).body.status).toBe('waitlisted');
    const desk = await t.http()
      .post(`/api/activities/${course.id}/registrations`)
      .set(bearer(librarian))
      .send({ sessionId: course.sessions[0].id, cardNumber: crowd[3].cardNumber })
      .expect(201);
    expect(desk.body.status).toBe('confirmed');
  });

  it('registers a series all or nothing', async () => {
    const series = await createActivity({
      series: true,
      sessions: [
        { startsAt: at(9, '10:00'), endsAt: at(9, '11:00'), capacity: 3 },
        { startsAt: at(10, '10:00'), endsAt: at(10, '11:00'), capacity: 1 },
      ],
    });
    const first = await register(crowd[4], series.id, { series: true }).expect(201);
    expect(first.body.registrations.map((r: { status: string }) => r.status)).toEqual(['confirmed', 'confirmed']);
    const second = await register(crowd[5], series.id, { series: true }).expect(201);
    expect(second.body.registrations.map((r: { status: string }) => r.status)).toEqual(['waitlisted', 'waitlisted']);
    const view = (await t.http().get(`/api/activities/${series.id}`).expect(200)).body.sessions;
    expect(view.map((s: { confirmed: number }) => s.confirmed)).toEqual([1, 1]);
  });

  it('answers bad input with 400 and keeps creation to staff', async () => {
    const r = crowd[6];
    await t.http().post('/api/activities').set(bearer(r.accessToken)).send({}).expect(403);
    const bad = await t.http().post('/api/activities').set(bearer(librarian)).send({ title: 'x', category: 'party', branchId, sessions: [] }).expect(400);
    expect(bad.body.details.fields).toContain('category');
    expect(bad.body.details.fields).toContain('sessions');
    const reversed = await t.http()
      .post('/api/activities')
      .set(bearer(librarian))
      .send({ title: 'x', category: 'class', branchId, sessions: [{ startsAt: at(3, '12:00'), endsAt: at(3, '11:00'), capacity: 3 }] })
      .expect(400);
    expect(reversed.body.code).toBe('SESSIONS_INVALID');
  });

  it('answers a retry with the same Idempotency-Key with the first answer, even in parallel', async () => {
    const activity = await createActivity({ sessions: [{ startsAt: at(11, '10:00'), endsAt: at(11, '11:00'), capacity: 1 }] });
    const sessionId = activity.sessions[0].id;
    const r = crowd[7];
    const send = (key: string, body: object = { sessionId }) =>
      t.http().post(`/api/activities/${activity.id}/registrations`).set(bearer(r.accessToken)).set('Idempotency-Key', key).send(body);
    const first = await send('flash-1').expect(201);
    const retry = await send('flash-1').expect(201);
    expect(retry.body).toEqual(first.body);
    // A new key is a new request: this one is refused as a duplicate, and that refusal is kept too.
    const other = await send('flash-2').expect(409);
    expect(other.body.code).toBe('ALREADY_REGISTERED');
    expect((await send('flash-2').expect(409)).body).toEqual(other.body);
    // The same key with another body is not the same request.
    expect((await send('flash-1', { sessionId, series: false }).expect(409)).body.code).toBe('IDEMPOTENCY_KEY_REUSED');

    // Ten copies of one request racing: one acts, the others get its answer or "still in progress", never a second seat.
    const s2 = await createActivity({ sessions: [{ startsAt: at(12, '10:00'), endsAt: at(12, '11:00'), capacity: 5 }] });
    const r2 = crowd[8];
    const racing = await Promise.all(
      Array.from({ length: 10 }, () =>
        t.http().post(`/api/activities/${s2.id}/registrations`).set(bearer(r2.accessToken)).set('Idempotency-Key', 'race-1').send({ sessionId: s2.sessions[0].id }),
      ),
    );
    const ok = racing.filter((x) => x.status === 201);
    expect(ok.length).toBeGreaterThanOrEqual(1);
    expect(new Set(ok.map((x) => x.body.id)).size).toBe(1);
    expect(racing.filter((x) => x.status !== 201).every((x) => x.body.code === 'IDEMPOTENCY_IN_PROGRESS')).toBe(true);
    const [{ n }] = await t.app.get(DataSource).query(`SELECT count(*)::int AS n FROM registration WHERE patron_id = $1 AND session_id = $2`, [r2.id, s2.sessions[0].id]);
    expect(n).toBe(1);
  });

  it('gives the seat counts read over HTTP the commit-order position the pushes carry, so a page can keep the newer', async () => {
    const activity = await createActivity({ sessions: [{ startsAt: at(14, '10:00'), endsAt: at(14, '11:00'), capacity: 4 }, { startsAt: at(15, '10:00'), endsAt: at(15, '11:00'), capacity: 4 }] });
    const [first, second] = activity.sessions;
    expect(Number.isSafeInteger(first.asOf) && first.asOf > 0).toBe(true);
    // Both sessions were counted by one read.
    expect(second.asOf).toBe(first.asOf);
    // What a push after the next commit would carry is read by the same rule: a later read is never smaller.
    const pushed = (await t.app.get(ActivitiesService).seatCounts(first.id))!;
    expect(pushed.asOf).toBeGreaterThanOrEqual(first.asOf);
    expect(pushed.seatsLeft).toBe(4);

    await register(crowd[70], activity.id, { sessionId: first.id }).expect(201);
    const after = (await t.http().get(`/api/activities/${activity.id}`).expect(200)).body.sessions[0];
    // A read that sees a commit the earlier one did not is strictly later.
    expect(after.seatsLeft).toBe(3);
    expect(after.asOf).toBeGreaterThan(pushed.asOf);
    const listed = (await t.http().get('/api/activities').query({ branchId, pageSize: 100 }).expect(200)).body.items.find((a: { id: string }) => a.id === activity.id);
    expect(listed.sessions[0]).toMatchObject({ seatsLeft: 3 });
    expect(listed.sessions[0].asOf).toBeGreaterThanOrEqual(after.asOf);
  });

  it('checks residents in by their registration code or their card code, and marks no-shows after the end', async () => {
    const soon = DateTime.now().plus({ minutes: 30 });
    const activity = await createActivity({
      sessions: [{ startsAt: soon.toISO(), endsAt: soon.plus({ hours: 1 }).toISO(), capacity: 10 }],
    });
    const sessionId = activity.sessions[0].id;
    const [a, b, c] = crowd.slice(10, 13);
    const ra = await register(a, activity.id, { sessionId }).expect(201);
    await register(b, activity.id, { sessionId }).expect(201);
    const rc = await register(c, activity.id, { sessionId }).expect(201);

    const code = await t.http().get(`/api/registrations/${ra.body.id}/qr`).set(bearer(a.accessToken)).expect(200);
    await t.http().get(`/api/registrations/${ra.body.id}/qr`).set(bearer(b.accessToken)).expect(404);
    const scanned = await t.http().post('/api/checkins').set(bearer(librarian)).send({ token: code.body.token }).expect(200);
    // The answer names what was checked in: the activity, the session's times, the resident's name masked
    // (registered as 测试读者), so the desk needs no second look-up; never the phone.
    const named = {
      title: '书法课',
      activityId: activity.id,
      sessionId,
      startsAt: activity.sessions[0].startsAt,
      endsAt: activity.sessions[0].endsAt,
      patronName: '测**者',
    };
    expect(scanned.body).toEqual({ registrationId: ra.body.id, status: 'attended', already: false, ...named });
    expect(JSON.stringify(scanned.body)).not.toContain(a.phone);
    const again = await t.http().post('/api/checkins').set(bearer(librarian)).send({ token: code.body.token }).expect(200);
    expect(again.body).toEqual({ registrationId: ra.body.id, status: 'attended', already: true, ...named });

    const card = await t.http().get('/api/me/card/qr').set(bearer(b.accessToken)).expect(200);
    const byCard = await t.http().post('/api/checkins').set(bearer(librarian)).send({ token: card.body.token, sessionId }).expect(200);
    expect(byCard.body).toMatchObject({ status: 'attended', already: false, ...named });
    expect((await t.http().post('/api/checkins').set(bearer(librarian)).send({ token: 'not-a-real-token-at-all-000' }).expect(400)).body.code).toBe('CHECKIN_TOKEN_INVALID');

    const db = t.app.get(DataSource);
    await db.query(`UPDATE activity_session SET starts_at = now() - interval '3 hours', ends_at = now() - interval '2 hours' WHERE id = $1`, [sessionId]);
    await t.app.get(JobRunner).runNow('mark-session-no-shows');
    const statuses = await db.query(`SELECT id, status FROM registration WHERE session_id = $1 ORDER BY status`, [sessionId]);
    expect(Object.fromEntries(statuses.map((x: { id: string; status: string }) => [x.id, x.status]))).toMatchObject({
      [ra.body.id]: 'attended',
      [rc.body.id]: 'no_show',
    });
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM usage_event WHERE kind = 'activity_attendance'`);
    expect(n).toBe(2);
  });

  it('publishes a private iCalendar feed of a resident’s registrations, and one per activity', async () => {
    const activity = await createActivity({ title: '京剧赏析讲座', sessions: [{ startsAt: at(13, '19:00'), endsAt: at(13, '21:00'), capacity: 30 }] });
    const r = crowd[20];
    const reg = await register(r, activity.id, { sessionId: activity.sessions[0].id }).expect(201);
    const { url } = (await t.http().get('/api/me/calendar-url').set(bearer(r.accessToken)).expect(200)).body;
    const path = new URL(url).pathname;
    const feed = await t.http().get(path).expect(200);
    expect(feed.headers['content-type']).toContain('text/calendar');
    expect(feed.text).toContain('BEGIN:VCALENDAR');
    expect(feed.text).toContain('X-WR-TIMEZONE:Asia/Shanghai');
    expect(feed.text).toContain(`UID:registration-${reg.body.id}@culture-platform`);
    expect(feed.text).toContain('SUMMARY:京剧赏析讲座');
    const start = DateTime.fromISO(at(13, '19:00')).toUTC().toFormat("yyyyMMdd'T'HHmmss'Z'");
    expect(feed.text).toContain(`DTSTART:${start}`);
    await t.http().get('/api/calendar/forged.ics').expect(404);

    const public_ = await t.http().get(`/api/activities/${activity.id}/calendar.ics`).expect(200);
    expect(public_.text).toContain(`UID:session-${activity.sessions[0].id}@culture-platform`);
  });

  it('counts a resident letting a seat go shortly before the start as a no-show, and still passes the seat on', async () => {
    const soon = DateTime.now().plus({ minutes: 90 });
    const activity = await createActivity({ sessions: [{ startsAt: soon.toISO(), endsAt: soon.plus({ hours: 1 }).toISO(), capacity: 1 }] });
    const sessionId = activity.sessions[0].id;
    const [a, b] = crowd.slice(30, 32);
    const ra = await register(a, activity.id, { sessionId }).expect(201);
    const rb = await register(b, activity.id, { sessionId }).expect(201);
    const cancelled = await t.http().post(`/api/registrations/${ra.body.id}/cancel`).set(bearer(a.accessToken)).expect(200);
    expect(cancelled.body).toEqual({ id: ra.body.id, status: 'no_show', promoted: rb.body.id });
    const status = await t.http().get('/api/me/booking-status').set(bearer(a.accessToken)).expect(200);
    expect(status.body.noShows.map((n: { kind: string }) => n.kind)).toEqual(['registration']);
  });

  it('lets staff approve registrations once in approval mode; a seat is taken only on approval', async () => {
    const activity = await createActivity({ mode: 'approval', sessions: [{ startsAt: at(14, '10:00'), endsAt: at(14, '11:00'), capacity: 1 }] });
    const sessionId = activity.sessions[0].id;
    const [a, b, c] = crowd.slice(40, 43);
    const ra = await register(a, activity.id, { sessionId }).expect(201);
    const rb = await register(b, activity.id, { sessionId }).expect(201);
    const rc = await register(c, activity.id, { sessionId }).expect(201);
    expect([ra.body.status, rb.body.status, rc.body.status]).toEqual(['pending', 'pending', 'pending']);
    expect((await t.http().get(`/api/activities/${activity.id}`).expect(200)).body.sessions[0].seatsLeft).toBe(1);

    const approvals = await Promise.all(Array.from({ length: 5 }, () => t.http().post(`/api/registrations/${rb.body.id}/approve`).set(bearer(librarian))));
    expect(approvals.filter((x) => x.status === 200).map((x) => x.body.status)).toEqual(['confirmed']);
    expect(approvals.filter((x) => x.status === 409)).toHaveLength(4);
    expect((await t.http().post(`/api/registrations/${ra.body.id}/approve`).set(bearer(librarian)).expect(200)).body).toMatchObject({ status: 'waitlisted', position: 1 });
    expect((await t.http().post(`/api/registrations/${rc.body.id}/reject`).set(bearer(librarian)).expect(200)).body.status).toBe('rejected');
    const inbox = await t.http().get('/api/me/notifications').set(bearer(c.accessToken)).expect(200);
    expect(inbox.body.map((n: { kind: string }) => n.kind)).toContain('registration_rejected');
    await t.http().post(`/api/registrations/${rc.body.id}/approve`).set(bearer(a.accessToken)).expect(403);
  });

  describe('what a review found', () => {
    it('seats a waiting series registrant once every session has room, all or nothing', async () => {
      const series = await createActivity({
        series: true,
        sessions: [
          { startsAt: at(15, '10:00'), endsAt: at(15, '11:00'), capacity: 3 },
          { startsAt: at(16, '10:00'), endsAt: at(16, '11:00'), capacity: 1 },
        ],
      });
      const [a, b] = crowd.slice(50, 52);
      const ra = await register(a, series.id, { series: true }).expect(201);
      const rb = await register(b, series.id, { series: true }).expect(201);
      expect(rb.body.registrations.map((r: { status: string }) => r.status)).toEqual(['waitlisted', 'waitlisted']);
      const second = ra.body.registrations[1].id;
      await t.http().post(`/api/registrations/${second}/cancel`).set(bearer(a.accessToken)).expect(200);
      const mine = await t.http().get('/api/me/registrations').set(bearer(b.accessToken)).expect(200);
      expect(mine.body.filter((r: { activityId: string }) => r.activityId === series.id).map((r: { status: string }) => r.status)).toEqual(['confirmed', 'confirmed']);
    });

    it('keeps the per-person quota under parallel requests, counting pending ones', async () => {
      const activity = await createActivity({
        perPersonQuota: 1,
        sessions: [
          { startsAt: at(17, '10:00'), endsAt: at(17, '11:00'), capacity: 5 },
          { startsAt: at(18, '10:00'), endsAt: at(18, '11:00'), capacity: 5 },
        ],
      });
      const r = crowd[60];
      const both = await Promise.all(activity.sessions.map((sess: { id: string }) => register(r, activity.id, { sessionId: sess.id })));
      expect(both.map((x) => x.status).sort()).toEqual([201, 409]);
    });

    it('keeps staff to the activities of their branch, and venues to the activity’s branch', async () => {
      const activity = await createActivity({ sessions: [{ startsAt: at(19, '10:00'), endsAt: at(19, '11:00'), capacity: 5 }] });
      const reg = await register(crowd[61], activity.id, { sessionId: activity.sessions[0].id }).expect(201);
      const district = await t.http().post('/api/regions').set(bearer(admin)).send({ name: '别区', kind: 'district' }).expect(201);
      const other = (await t.http().post('/api/branches').set(bearer(admin)).send({ name: '别馆', kind: 'cultural_centre', level: 'central', regionId: district.body.id }).expect(201)).body.id;
      await t.http().post('/api/staff').set(bearer(admin)).send({ username: 'other-lib', password: 'Activity123', name: '别馆员', role: 'librarian', branchIds: [other] }).expect(201);
      const stranger = (await login(t.http, 'other-lib', 'Activity123')).accessToken;
      expect((await t.http().post(`/api/registrations/${reg.body.id}/cancel`).set(bearer(stranger)).expect(403)).body.code).toBe('BRANCH_FORBIDDEN');
      const hall = (await t.http().post('/api/venues').set(bearer(admin)).send({ branchId: other, name: '别厅', kind: 'hall', capacity: 50 }).expect(201)).body.id;
      const res = await t.http()
        .post('/api/activities')
        .set(bearer(librarian))
        .send({ title: '借别馆的厅', category: 'lecture', branchId, sessions: [{ startsAt: at(19, '14:00'), endsAt: at(19, '15:00'), capacity: 10, venueId: hall }] })
        .expect(409);
      expect(res.body.code).toBe('VENUE_NOT_BOOKABLE');
    });
  });

  it('seats exactly the earliest tickets when waiting and seated residents cancel at once, and keeps read positions dense in ticket order', async () => {
    const activity = await createActivity({ sessions: [{ startsAt: at(20, '10:00'), endsAt: at(20, '11:00'), capacity: 10 }] });
    const sessionId = activity.sessions[0].id;
    const people = crowd.slice(100, 160);
    const first = await Promise.all(people.map((r) => register(r, activity.id, { sessionId })));
    expect(first.every((x) => x.status === 201)).toBe(true);
    const who = new Map(first.map((x, i) => [x.body.id as string, people[i]]));
    const db = t.app.get(DataSource);
    const tickets = async () =>
      (await db.query(`SELECT id, status, waitlist_ticket AS ticket FROM registration WHERE session_id = $1 ORDER BY waitlist_ticket NULLS FIRST`, [sessionId])) as Array<{
        id: string;
        status: string;
        ticket: number | null;
      }>;
    const before = await tickets();
    const seated = before.filter((r) => r.status === 'confirmed');
    const waiting = before.filter((r) => r.status === 'waitlisted');
    expect(seated).toHaveLength(10);
    // Fifty arrivals, numbered 1..50 with no gap, and told their number (nobody had left the list yet).
    expect(waiting.map((r) => r.ticket)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(waiting.map((r) => first.find((x) => x.body.id === r.id)!.body.position)).toEqual(waiting.map((r) => r.ticket));

    // At once: six waiting residents (among them the first two) and four seated ones let go, while twenty more register.
    const leaving = [1, 2, 5, 9, 12, 30].map((n) => waiting[n - 1]);
    const cancel = (id: string) => t.http().post(`/api/registrations/${id}/cancel`).set(bearer(who.get(id)!.accessToken));
    const [cancelled, late] = await Promise.all([
      Promise.all([...leaving, ...seated.slice(0, 4)].map((r) => cancel(r.id))),
      Promise.all(crowd.slice(160, 180).map((r) => register(r, activity.id, { sessionId }))),
    ]);
    expect(cancelled.map((x) => [x.status, x.body.status])).toEqual(Array(10).fill([200, 'cancelled']));
    expect(late.map((x) => [x.status, x.body.status])).toEqual(Array(20).fill([201, 'waitlisted']));
    late.forEach((x, i) => who.set(x.body.id, crowd[160 + i]));

    // The four freed seats went to the four earliest tickets still wanting one; a seat given to someone who was
    // letting go at that moment passed on to the next.
    const stayed = waiting.filter((r) => !leaving.includes(r));
    const expectedSeated = stayed.slice(0, 4).map((r) => r.id);
    const after = await tickets();
    expect(after.filter((r) => r.status === 'confirmed' && r.ticket !== null).map((r) => r.id)).toEqual(expectedSeated);
    expect(after.filter((r) => r.status === 'confirmed')).toHaveLength(10);
    const promoted = cancelled.map((x) => x.body.promoted).filter(Boolean);
    expect(promoted).toEqual(expect.arrayContaining(expectedSeated));
    expect(promoted.every((id: string) => expectedSeated.includes(id) || leaving.some((r) => r.id === id))).toBe(true);

    // What each waiting resident reads now: 1..N in ticket order, the late ones after everyone earlier.
    const still = after.filter((r) => r.status === 'waitlisted');
    expect(still).toHaveLength(50 - 6 - 4 + 20);
    expect(still.slice(-20).map((r) => r.id).sort()).toEqual(late.map((x) => x.body.id).sort());
    const read = await Promise.all(
      still.map(async (r) => (await t.http().get('/api/me/registrations').set(bearer(who.get(r.id)!.accessToken)).expect(200)).body.find((x: { id: string }) => x.id === r.id)),
    );
    expect(read.map((x) => [x.status, x.position])).toEqual(still.map((_, i) => ['waitlisted', i + 1]));
  });
});
