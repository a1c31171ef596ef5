import { DateTime } from 'luxon';
import { bearer, login, registerResident, everyDay } from './utils/factories';
import { startTestApp, TEST_ADMIN, TestApp } from './utils/test-app';

/**
 * A fixed-offset zone where it is now between 12:00 and 13:00, so the test holds at any hour: the
 * afternoon there is still ahead and the morning is over, whatever the machine's or Shanghai's clock says.
 */
function middayZone(): string {
  const hours = 12 - DateTime.utc().hour; // -11 … +12
  return hours === 0 ? 'UTC' : `Etc/GMT${hours > 0 ? '-' : '+'}${Math.abs(hours)}`; // Etc/GMT-8 is UTC+8
}

const ALL_DAY = everyDay('00:00', '24:00');
const hours = (opens: string, closes: string) => [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opens, closes }));

interface FreeToday {
  at: string;
  items: Array<{ id: string; name: string; branchId: string; timeZone: string; date: string; slotMinutes: number; free: Array<{ from: string; to: string }> }>;
}

/** `GET /api/venues/free-today`: what the landing page lists as "free today", in one public read. */
describe('venues free today', () => {
  let t: TestApp;
  let admin: string;
  const zone = middayZone();
  let branch: string;
  let closedBranch: string;
  const venue = { allDay: '', afternoon: '', morning: '', inactive: '', closedToday: '' };

  const local = (days: number, clock: string) =>
    DateTime.now().setZone(zone).startOf('day').plus({ days }).set({ hour: Number(clock.slice(0, 2)), minute: Number(clock.slice(3, 5)) }).toISO({ suppressMilliseconds: true })!;

  beforeAll(async () => {
    t = await startTestApp();
    admin = (await login(t.http, TEST_ADMIN.username, TEST_ADMIN.password)).accessToken;
    const region = (await t.http().post('/api/regions').set(bearer(admin)).send({ name: '空闲区', kind: 'district' }).expect(201)).body.id;
    const mkBranch = async (name: string, level: string, parentId?: string) =>
      (await t.http().post('/api/branches').set(bearer(admin)).send({ name, kind: 'cultural_centre', level, regionId: region, parentId, timeZone: zone, openingHours: ALL_DAY }).expect(201)).body.id as string;
    branch = await mkBranch('正午馆', 'central');
    closedBranch = await mkBranch('今日闭馆', 'branch', branch);
    const mkVenue = async (branchId: string, name: string, extra: object = {}) =>
      (await t.http().post('/api/venues').set(bearer(admin)).send({ branchId, name, kind: 'room', capacity: 10, slotMinutes: 30, minMinutes: 60, ...extra }).expect(201)).body.id as string;
    venue.allDay = await mkVenue(branch, '全天活动室');
    venue.afternoon = await mkVenue(branch, '下午排练厅', { bookableHours: hours('15:00', '18:00') });
    venue.morning = await mkVenue(branch, '上午阅览室', { bookableHours: hours('06:00', '10:00') });
    venue.inactive = await mkVenue(branch, '停用室');
    await t.http().patch(`/api/venues/${venue.inactive}`).set(bearer(admin)).send({ active: false }).expect(200);
    venue.closedToday = await mkVenue(closedBranch, '闭馆日活动室');
    // Closed on its own today (the date in its zone), open the rest of the week.
    const today = DateTime.now().setZone(zone).toISODate()!;
    await t.http().put(`/api/branches/${closedBranch}/calendar/exceptions/${today}`).set(bearer(admin)).send({ intervals: [], reason: '检修' }).expect(200);
    // A resident takes 15:00–16:00 of the afternoon hall today.
    const resident = await registerResident(t.http);
    await t.http().post(`/api/venues/${venue.afternoon}/bookings`).set(bearer(resident.accessToken)).send({ startsAt: local(0, '15:00'), endsAt: local(0, '16:00') }).expect(201);
  });
  afterAll(() => t.close());

  it('lists, without logging in, the venues still bookable today with the spans a booking could take, each on its branch’s own day', async () => {
    const { body } = (await t.http().get('/api/venues/free-today').expect(200)) as { body: FreeToday };
    const now = DateTime.fromISO(body.at).setZone(zone);
    const byId = new Map(body.items.map((v) => [v.id, v]));
    expect(body.items.map((v) => v.name).sort()).toEqual(['下午排练厅', '全天活动室'].sort());

    // The all-day room: from the first half hour after now to midnight.
    const minutes = now.hour * 60 + now.minute + now.second / 60 + now.millisecond / 60_000;
    const first = (Math.floor(minutes / 30) + 1) * 30;
    const clock = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
    expect(byId.get(venue.allDay)).toMatchObject({ branchId: branch, timeZone: zone, date: now.toISODate(), slotMinutes: 30, free: [{ from: clock(first), to: '24:00' }] });
    // Its own hours, less the booking.
    expect(byId.get(venue.afternoon)!.free).toEqual([{ from: '16:00', to: '18:00' }]);
  });

  it('leaves out what is over for today, inactive venues and a branch closed today, and filters by branch', async () => {
    const ids = ((await t.http().get('/api/venues/free-today').expect(200)).body as FreeToday).items.map((v) => v.id);
    for (const id of [venue.morning, venue.inactive, venue.closedToday]) expect(ids).not.toContain(id);
    // The closed branch's room is bookable tomorrow, so it is today's closure that keeps it out.
    const tomorrow = DateTime.now().setZone(zone).plus({ days: 1 }).toISODate()!;
    const week = (await t.http().get(`/api/venues/${venue.closedToday}/availability`).query({ from: tomorrow }).expect(200)).body;
    expect(week.days[0].free).toEqual([{ from: '00:00', to: '24:00' }]);

    expect(((await t.http().get('/api/venues/free-today').query({ branchId: closedBranch }).expect(200)).body as FreeToday).items).toEqual([]);
    const atBranch = ((await t.http().get('/api/venues/free-today').query({ branchId: branch, kind: 'room' }).expect(200)).body as FreeToday).items;
    expect(atBranch.map((v) => v.id).sort()).toEqual([venue.allDay, venue.afternoon].sort());
    await t.http().get('/api/venues/free-today').query({ branchId: 'not-a-uuid' }).expect(400);
  });

  it('does not take the place of a venue’s own page', async () => {
    expect((await t.http().get(`/api/venues/${venue.allDay}`).expect(200)).body.name).toBe('全天活动室');
  });
});
