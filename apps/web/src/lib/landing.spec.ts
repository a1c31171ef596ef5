import type { Activity, Branch, FreeToday, Session } from '../api/schema';
import { currentOrNextOpening, daysFrom, defaultBranch, isoWeekOf, localNow, newerSeats, shiftDate, upcomingWithSeats, nearbyInNetwork, venuesForResidents } from './landing';

const session = (id: string, startsAt: string, seatsLeft: number, asOf = 1): Session => ({
  id, startsAt, endsAt: startsAt, capacity: 10, walkInSeats: 0, venueId: null, confirmed: 10 - seatsLeft, waitlisted: 0, seatsLeft, asOf,
});
const activity = (id: string, sessions: Session[], extra: Partial<Activity> = {}): Activity => ({
  id, title: id, description: null, category: 'lecture', branchId: 'b', organiserStaffId: null, ageMin: null, ageMax: null, specialGroups: [],
  registrationOpensAt: null, registrationClosesAt: null, perPersonQuota: 1, series: false, mode: 'first_come', cancelledAt: null,
  createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z', sessions, ...extra,
});
const branch = (id: string, level: Branch['level'], kind: Branch['kind'] = 'library', parentId: string | null = null): Branch => ({
  id, code: null, name: id, kind, level, regionId: 'r', parentId, address: null, floorArea: null, facilities: [], sharedCirculation: true, timeZone: 'Asia/Shanghai', openingHours: [],
});

describe('localNow', () => {
  it('reads the date and clock in the given zone, not the machine’s', () => {
    const instant = new Date('2026-12-31T17:30:00Z');
    expect(localNow('Asia/Shanghai', instant)).toEqual({ date: '2027-01-01', clock: '01:30' });
    expect(localNow('America/New_York', instant)).toEqual({ date: '2026-12-31', clock: '12:30' });
    expect(localNow('UTC', new Date('2026-06-01T00:05:00Z')).clock).toBe('00:05');
  });
});

describe('calendar dates', () => {
  it('shifts by days and names ISO weeks across year ends', () => {
    expect(shiftDate('2026-12-31', 1)).toBe('2027-01-01');
    expect(shiftDate('2026-03-01', -1)).toBe('2026-02-28');
    expect(isoWeekOf('2026-01-01')).toBe('2026-W01'); // a Thursday
    expect(isoWeekOf('2024-12-30')).toBe('2025-W01'); // Monday of the week holding 2 January 2025
    expect(isoWeekOf('2027-01-03')).toBe('2026-W53'); // Sunday; 2026 has 53 weeks
    expect(isoWeekOf('2026-11-23')).toBe('2026-W48');
  });
});

describe('upcomingWithSeats', () => {
  const now = new Date('2026-11-22T02:00:00Z');
  it('shows each activity once, by its first future session with seats, soonest first', () => {
    const list = upcomingWithSeats(
      [
        activity('late', [session('l1', '2026-11-25T02:00:00Z', 3)]),
        activity('series', [session('s0', '2026-11-21T02:00:00Z', 5), session('s2', '2026-11-24T02:00:00Z', 1), session('s1', '2026-11-23T02:00:00Z', 0)]),
        activity('past', [session('p1', '2026-11-22T01:59:59Z', 9)]),
        activity('full', [session('f1', '2026-11-23T02:00:00Z', 0)]),
        activity('closed', [session('c1', '2026-11-23T02:00:00Z', 4)], { registrationClosesAt: '2026-11-22T02:00:00Z' }),
      ],
      now,
      5,
    );
    expect(list.map((u) => [u.activity.id, u.session.id])).toEqual([
      ['series', 's2'],
      ['late', 'l1'],
    ]);
    expect(upcomingWithSeats([activity('a', [session('a1', '2026-11-23T00:00:00Z', 1)]), activity('b', [session('b1', '2026-11-24T00:00:00Z', 1)])], now, 1)).toHaveLength(1);
  });

  it('offers a series only before its first session, with the seats of its fullest session', () => {
    const series = (id: string, sessions: Session[]) => activity(id, sessions, { series: true });
    const list = upcomingWithSeats(
      [
        series('begun', [session('b1', '2026-11-22T01:00:00Z', 5), session('b2', '2026-11-29T01:00:00Z', 5)]),
        series('open', [session('o2', '2026-11-30T02:00:00Z', 2), session('o1', '2026-11-23T02:00:00Z', 7)]),
        series('one-full', [session('x1', '2026-11-24T02:00:00Z', 3), session('x2', '2026-12-01T02:00:00Z', 0)]),
      ],
      now,
      5,
    );
    expect(list.map((u) => [u.activity.id, u.session.id, u.startsAt])).toEqual([['open', 'o2', '2026-11-23T02:00:00Z']]);
  });

  it('puts first the activities whose registration is still to open, soonest opening first, even when a limit cuts the rest', () => {
    const list = upcomingWithSeats(
      [
        activity('soon', [session('n1', '2026-11-23T02:00:00Z', 3)]),
        activity('flash', [session('f1', '2026-11-29T02:00:00Z', 30)], { registrationOpensAt: '2026-11-22T02:04:00Z' }),
        activity('opened', [session('o1', '2026-11-24T02:00:00Z', 3)], { registrationOpensAt: '2026-11-22T01:00:00Z' }),
        activity('later', [session('l1', '2026-11-30T02:00:00Z', 30)], { registrationOpensAt: '2026-11-25T01:00:00Z' }),
      ],
      now,
      3,
    );
    expect(list.map((u) => u.activity.id)).toEqual(['flash', 'later', 'soon']);
  });

  it('keeps a pushed count only when it is not older than the read', () => {
    const read = session('x', '2026-11-23T00:00:00Z', 5, 10);
    expect(newerSeats(read, undefined).seatsLeft).toBe(5);
    expect(newerSeats(read, { id: 'x', seatsLeft: 4, waitlisted: 0, confirmed: 6, capacity: 10, asOf: 11 }).seatsLeft).toBe(4);
    expect(newerSeats(read, { id: 'x', seatsLeft: 6, waitlisted: 0, confirmed: 4, capacity: 10, asOf: 9 }).seatsLeft).toBe(5);
  });
});

describe('branches', () => {
  const all = [branch('centre', 'central', 'cultural_centre'), branch('lib', 'central'), branch('street', 'branch', 'library', 'lib'), branch('point', 'service_point', 'service_point', 'street'), branch('van', 'service_point', 'mobile', 'lib')];
  it('starts from the central library, else a central branch, else a fixed place', () => {
    expect(defaultBranch(all)?.id).toBe('lib');
    expect(defaultBranch(all.filter((b) => b.id !== 'lib'))?.id).toBe('centre');
    expect(defaultBranch([all[4], all[3]])?.id).toBe('point');
    expect(defaultBranch([])).toBeUndefined();
  });

  it('looks up the network first, then beside, then at the central library’s other branches', () => {
    const more = [...all, branch('point2', 'service_point', 'service_point', 'street'), branch('east', 'branch', 'library', 'lib')];
    expect(nearbyInNetwork(more, 'point').map((b) => b.id)).toEqual(['street', 'lib', 'point2', 'east']);
    // The central library: the other central branch, then its own branches; never the mobile van.
    expect(nearbyInNetwork(more, 'lib').map((b) => b.id)).toEqual(['centre', 'street', 'east']);
    expect(nearbyInNetwork(more, 'point', 2).map((b) => b.id)).toEqual(['street', 'lib']);
    expect(nearbyInNetwork(more, 'nowhere')).toEqual([]);
    expect(nearbyInNetwork([branch('a', 'branch', 'library', 'b'), branch('b', 'branch', 'library', 'a')], 'a').map((b) => b.id)).toEqual(['b']);
  });
});

describe('opening hours', () => {
  const week = (days: Array<[string, Array<[string, string]>]>) => ({
    week: 'W', timeZone: 'Asia/Shanghai', from: days[0][0], to: days[days.length - 1][0], totalHours: 0,
    days: days.map(([date, intervals]) => ({ date, weekday: 1, hours: 0, intervals: intervals.map(([opens, closes]) => ({ opens, closes })) })),
  });
  const thisWeek = week([['2026-11-27', [['09:00', '12:00'], ['13:00', '17:00']]], ['2026-11-28', []], ['2026-11-29', []]]);
  const nextWeek = week([['2026-11-30', [['09:00', '21:00']]], ['2026-12-01', []]]);

  it('lists the days from today across two weeks', () => {
    expect(daysFrom([thisWeek, nextWeek], '2026-11-28', 3).map((d) => d.date)).toEqual(['2026-11-28', '2026-11-29', '2026-11-30']);
    expect(daysFrom([undefined, nextWeek], '2026-11-28', 7).map((d) => d.date)).toEqual(['2026-11-30', '2026-12-01']);
  });

  it('finds the interval in progress or the next opening', () => {
    const days = daysFrom([thisWeek, nextWeek], '2026-11-27', 7);
    expect(currentOrNextOpening(days, '2026-11-27', '10:00')).toEqual({ date: '2026-11-27', opens: '09:00', closes: '12:00', inProgress: true });
    expect(currentOrNextOpening(days, '2026-11-27', '12:00')).toEqual({ date: '2026-11-27', opens: '13:00', closes: '17:00', inProgress: false });
    expect(currentOrNextOpening(days, '2026-11-27', '17:00')).toEqual({ date: '2026-11-30', opens: '09:00', closes: '21:00', inProgress: false });
    expect(currentOrNextOpening(days.slice(0, 2), '2026-11-27', '18:00')).toBeNull();
  });
});

describe('venuesForResidents', () => {
  const venue = (id: string, branchId: string, whoMayBook = ['resident']): FreeToday['items'][number] => ({
    id, name: id, kind: 'room', branchId, capacity: 10, requiresApproval: false, whoMayBook, slotMinutes: 30, minMinutes: 30, timeZone: 'Asia/Shanghai', date: '2026-11-22', free: [{ from: '10:00', to: '12:00' }],
  });
  it('keeps what residents may book, the chosen branch’s first', () => {
    const items = [venue('a', 'x'), venue('b', 'y'), venue('org', 'y', ['organizer']), venue('c', 'y')];
    expect(venuesForResidents(items, 'y', 10).map((v) => v.id)).toEqual(['b', 'c', 'a']);
    expect(venuesForResidents(items, undefined, 2).map((v) => v.id)).toEqual(['a', 'b']);
  });
});
