import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { bearer, login, registerResident, everyDay } from './utils/factories';
import { startTestApp, TEST_ADMIN, TestApp } from './utils/test-app';

const ZONE = 'Asia/Shanghai';
/** A local time `days` from today in Shanghai, as an ISO instant with offset. */
const at = (days: number, clock: string) =>
  DateTime.now().setZone(ZONE).startOf('day').plus({ days }).set({ hour: Number(clock.slice(0, 2)), minute: Number(clock.slice(3, 5)) }).toISO({ suppressMilliseconds: true })!;

describe('venue booking that never double-books', () => {
  let t: TestApp;
  let admin: string;
  let branchA: string;
  let librarianA: string;
  let librarianB: string;
  let room: string;
  let hall: string;

  const book = (token: string, venueId: string, from: string, to: string, extra: object = {}) =>
    t.http().post(`/api/venues/${venueId}/bookings`).set(bearer(token)).send({ startsAt: from, endsAt: to, purpose: '排练', ...extra });

  beforeAll(async () => {
    t = await startTestApp();
    admin = (await login(t.http, TEST_ADMIN.username, TEST_ADMIN.password)).accessToken;
    const district = await t.http().post('/api/regions').set(bearer(admin)).send({ name: '场馆区', kind: 'district' }).expect(201);
    const every = everyDay('09:00', '21:00');
    const mk = async (name: string, level: string, parentId?: string) =>
      (await t.http().post('/api/branches').set(bearer(admin)).send({ name, kind: 'cultural_centre', level, regionId: district.body.id, parentId, openingHours: every }).expect(201)).body.id as string;
    branchA = await mk('场馆 A', 'central');
    const branchB = await mk('场馆 B', 'branch', branchA);
    for (const [username, branchId] of [['venue-a', branchA], ['venue-b', branchB]]) {
      await t.http().post('/api/staff').set(bearer(admin)).send({ username, password: 'Venue12345', name: '场馆员', role: 'librarian', branchIds: [branchId] }).expect(201);
    }
    librarianA = (await login(t.http, 'venue-a', 'Venue12345')).accessToken;
    librarianB = (await login(t.http, 'venue-b', 'Venue12345')).accessToken;
    room = (await t.http().post('/api/venues').set(bearer(librarianA)).send({ name: '排练室', kind: 'room', capacity: 20, minMinutes: 60, maxMinutes: 180, maxDaysAhead: 14 }).expect(201)).body.id;
    hall = (
      await t.http().post('/api/venues').set(bearer(admin)).send({ branchId: branchA, name: '多功能厅', kind: 'hall', capacity: 200, requiresApproval: true, maxUpcomingPerPerson: 5 }).expect(201)
    ).body.id;
  });
  afterAll(() => t.close());

  it('lets exactly one of 20 parallel overlapping bookings through', async () => {
    const residents = await Promise.all(Array.from({ length: 20 }, () => registerResident(t.http)));
    const results = await Promise.all(residents.map((r, i) => book(r.accessToken, room, at(2, i % 2 ? '10:00' : '10:30'), at(2, i % 2 ? '11:00' : '11:30'))));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409).map((r) => r.body.code)).toEqual(Array(19).fill('BOOKING_OVERLAP'));
    const rows = await t.app.get(DataSource).query(`SELECT count(*)::int AS n FROM venue_booking WHERE venue_id = $1 AND status IN ('pending', 'confirmed')`, [room]);
    expect(rows[0].n).toBe(1);
  });

  it('refuses spans outside the rules with a code that says which', async () => {
    const r = await registerResident(t.http);
    const cases: Array<[string, string, string]> = [
      [at(-1, '10:00'), at(-1, '11:00'), 'BOOKING_IN_PAST'],
      [at(20, '10:00'), at(20, '11:00'), 'BOOKING_TOO_FAR_AHEAD'],
      [at(3, '10:00'), at(3, '10:30'), 'BOOKING_TOO_SHORT'],
      [at(3, '10:00'), at(3, '14:00'), 'BOOKING_TOO_LONG'],
      [at(3, '10:10'), at(3, '11:10'), 'BOOKING_OFF_SLOT'],
      [at(3, '20:30'), at(3, '21:30'), 'BOOKING_OUTSIDE_HOURS'],
    ];
    for (const [from, to, code] of cases) {
      const res = await book(r.accessToken, room, from, to);
      expect({ code: res.body.code, status: res.status }).toEqual({ code, status: code === 'BOOKING_OVERLAP' ? 409 : 400 });
    }
    const bad = await t.http().post(`/api/venues/${room}/bookings`).set(bearer(r.accessToken)).send({ startsAt: '2026-11-23 14:00', endsAt: at(3, '11:00') }).expect(400);
    expect(bad.body.details.fields).toBe('startsAt');
  });

  it('limits upcoming bookings per person, and frees the slot on cancel', async () => {
    const r = await registerResident(t.http);
    const first = await book(r.accessToken, room, at(4, '09:00'), at(4, '10:00')).expect(201);
    await book(r.accessToken, room, at(4, '10:00'), at(4, '11:00')).expect(201);
    expect((await book(r.accessToken, room, at(4, '11:00'), at(4, '12:00')).expect(409)).body).toMatchObject({ code: 'BOOKING_LIMIT_REACHED', details: { max: 2 } });
    await t.http().post(`/api/bookings/${first.body.id}/cancel`).set(bearer(r.accessToken)).expect(200);
    await book(r.accessToken, room, at(4, '09:00'), at(4, '10:00')).expect(201);
    const mine = await t.http().get('/api/me/bookings').set(bearer(r.accessToken)).expect(200);
    expect(mine.body.map((b: { status: string }) => b.status).sort()).toEqual(['cancelled', 'confirmed', 'confirmed']);
  });

  it('approves a pending booking once, and only at its own branch', async () => {
    const r = await registerResident(t.http);
    const pending = await book(r.accessToken, hall, at(5, '14:00'), at(5, '16:00')).expect(201);
    expect(pending.body.status).toBe('pending');
    // A pending booking already holds the slot.
    const other = await registerResident(t.http);
    expect((await book(other.accessToken, hall, at(5, '15:00'), at(5, '17:00')).expect(409)).body.code).toBe('BOOKING_OVERLAP');
    expect((await t.http().post(`/api/bookings/${pending.body.id}/approve`).set(bearer(librarianB)).expect(403)).body.code).toBe('BRANCH_FORBIDDEN');
    const approvals = await Promise.all(Array.from({ length: 10 }, () => t.http().post(`/api/bookings/${pending.body.id}/approve`).set(bearer(librarianA))));
    expect(approvals.filter((a) => a.status === 200)).toHaveLength(1);
    expect(approvals.filter((a) => a.status === 409).map((a) => a.body.code)).toEqual(Array(9).fill('BOOKING_STATUS_INVALID'));
    const inbox = await t.http().get('/api/me/notifications').set(bearer(r.accessToken)).expect(200);
    expect(inbox.body.map((n: { kind: string }) => n.kind)).toEqual(['booking_approved']);
  });

  it('shows availability, and lets staff block time, overriding bookings in the way', async () => {
    const r = await registerResident(t.http);
    await book(r.accessToken, room, at(6, '14:00'), at(6, '15:00')).expect(201);
    const day = DateTime.now().setZone(ZONE).plus({ days: 6 }).toISODate()!;
    const before = await t.http().get(`/api/venues/${room}/availability?from=${day}`).expect(200);
    expect(before.body.days[0]).toMatchObject({
      date: day,
      open: [{ opens: '09:00', closes: '21:00' }],
      taken: [{ from: '14:00', to: '15:00', kind: 'booking', status: 'confirmed' }],
      free: [
        { from: '09:00', to: '14:00' },
        { from: '15:00', to: '21:00' },
      ],
    });
    expect((await t.http().post(`/api/venues/${room}/blocks`).set(bearer(librarianA)).send({ startsAt: at(6, '13:00'), endsAt: at(6, '17:00'), purpose: '维修' }).expect(409)).body.code).toBe('BOOKING_OVERLAP');
    await t.http().post(`/api/venues/${room}/blocks`).set(bearer(librarianA)).send({ startsAt: at(6, '13:00'), endsAt: at(6, '17:00'), purpose: '维修', override: true }).expect(201);
    const after = await t.http().get(`/api/venues/${room}/availability?from=${day}`).expect(200);
    expect(after.body.days[0].taken).toEqual([{ from: '13:00', to: '17:00', kind: 'block', status: 'confirmed' }]);
    const inbox = await t.http().get('/api/me/notifications').set(bearer(r.accessToken)).expect(200);
    expect(inbox.body[0].kind).toBe('booking_cancelled_by_staff');
  });

  it('counts a late cancellation as a no-show, and bars booking after three', async () => {
    const r = await registerResident(t.http);
    // On a venue whose cancellation deadline is 30 days, any cancellation by the resident is late.
    const strict = (await t.http().post('/api/venues').set(bearer(librarianA)).send({ name: '录音棚', kind: 'room', capacity: 4, cancelDeadlineHours: 720 }).expect(201)).body.id;
    const late = await book(r.accessToken, strict, at(3, '10:00'), at(3, '11:00')).expect(201);
    expect((await t.http().post(`/api/bookings/${late.body.id}/cancel`).set(bearer(r.accessToken)).expect(200)).body.status).toBe('no_show');
    // Staff cancelling is never the resident's no-show.
    const other = await book(r.accessToken, strict, at(3, '12:00'), at(3, '13:00')).expect(201);
    expect((await t.http().post(`/api/bookings/${other.body.id}/cancel`).set(bearer(librarianA)).expect(200)).body.status).toBe('cancelled');
    const db = t.app.get(DataSource);
    for (let i = 1; i <= 2; i++) {
      await db.query(
        `INSERT INTO venue_booking (venue_id, kind, patron_id, starts_at, ends_at, status) VALUES ($1, 'booking', $2, now() - make_interval(days => $3, hours => 2), now() - make_interval(days => $3, hours => 1), 'no_show')`,
        [room, r.id, i * 10],
      );
    }
    const banned = await book(r.accessToken, room, at(8, '10:00'), at(8, '11:00')).expect(409);
    expect(banned.body.code).toBe('BOOKING_BANNED');
    expect(banned.body.details.until).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const status = await t.http().get('/api/me/booking-status').set(bearer(r.accessToken)).expect(200);
    expect(status.body.noShows).toHaveLength(3);
    expect(new Date(status.body.bannedUntil).getTime()).toBeGreaterThan(Date.now() + 25 * 86_400_000);
    expect((await t.http().post(`/api/patrons/${r.id}/no-shows/waive`).set(bearer(librarianA)).expect(200)).body).toEqual({ waived: 3 });
    await book(r.accessToken, room, at(8, '10:00'), at(8, '11:00')).expect(201);
  });

  it('lets an organizer book for the community where the venue takes organisations', async () => {
    await t.http().post('/api/staff').set(bearer(admin)).send({ username: 'org-venue', password: 'Organizer1', name: '组织员', role: 'organizer', regionIds: [(await t.http().get('/api/regions?kind=district').expect(200)).body.items[0].id] }).expect(201);
    const organizer = (await login(t.http, 'org-venue', 'Organizer1')).accessToken;
    const square = (
      await t.http().post('/api/venues').set(bearer(librarianA)).send({ name: '文化广场', kind: 'outdoor_square', capacity: 500, whoMayBook: ['resident', 'organisation'] }).expect(201)
    ).body.id;
    const booked = await book(organizer, square, at(7, '18:00'), at(7, '20:00'), { purpose: '社区广场舞展演', attendees: 120 }).expect(201);
    expect(booked.body.status).toBe('confirmed');
    expect((await t.http().get('/api/me/bookings').set(bearer(organizer)).expect(200)).body.map((b: { id: string }) => b.id)).toEqual([booked.body.id]);
    expect((await book(organizer, room, at(7, '10:00'), at(7, '11:00')).expect(409)).body.code).toBe('VENUE_NOT_BOOKABLE');
    await t.http().post(`/api/bookings/${booked.body.id}/cancel`).set(bearer(organizer)).expect(200);
    // Where staff approve, the organizer hears the decision like a resident would.
    const hallForGroups = (
      await t.http().post('/api/venues').set(bearer(librarianA)).send({ name: '报告厅', kind: 'hall', capacity: 300, requiresApproval: true, whoMayBook: ['organisation'] }).expect(201)
    ).body.id;
    const asked = await book(organizer, hallForGroups, at(8, '14:00'), at(8, '16:00'), { purpose: '社区读书会', attendees: 80 }).expect(201);
    await t.http().post(`/api/bookings/${asked.body.id}/reject`).set(bearer(librarianA)).send({ reason: '当天另有安排' }).expect(200);
    const inbox = await t.http().get('/api/me/notifications').set(bearer(organizer)).expect(200);
    expect(inbox.body.find((n: { kind: string }) => n.kind === 'booking_rejected')).toMatchObject({ payload: { bookingId: asked.body.id, reason: '当天另有安排' } });
  });

  it('keeps who booked when staff approve, and cancelling by staff is never the resident’s no-show', async () => {
    const r = await registerResident(t.http);
    const pending = await book(r.accessToken, hall, at(9, '09:00'), at(9, '10:00')).expect(201);
    await t.http().post(`/api/bookings/${pending.body.id}/approve`).set(bearer(librarianA)).expect(200);
    const cancelled = await t.http().post(`/api/bookings/${pending.body.id}/cancel`).set(bearer(librarianA)).expect(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', patronId: r.id, staffId: null });
    const other = await book(r.accessToken, hall, at(9, '11:00'), at(9, '12:00')).expect(201);
    expect((await t.http().post(`/api/bookings/${other.body.id}/cancel`).set(bearer(librarianB)).expect(403)).body.code).toBe('BRANCH_FORBIDDEN');
    expect((await t.http().post('/api/venues').set(bearer(admin)).send({ branchId: branchA, name: '坏', kind: 'room', capacity: 5, minMinutes: 300 }).expect(400)).body.details.fields).toBe('maxMinutes');
  });
});
