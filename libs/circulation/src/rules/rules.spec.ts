import { OpeningCalendar } from '@lib/network';
import { daysOverdue, dueDateAt, overdueFine } from './due-date';
import { resolvePolicy } from './policy-resolution';
import { branchDistance, routeReturn } from './routing';

describe('resolvePolicy', () => {
  const rules = [
    { id: 'default', patronCategory: null, itemType: null, branchId: null },
    { id: 'child', patronCategory: 'child', itemType: null, branchId: null },
    { id: 'av', patronCategory: null, itemType: 'audiovisual', branchId: null },
    { id: 'child-av', patronCategory: 'child', itemType: 'audiovisual', branchId: null },
    { id: 'branch-a', patronCategory: null, itemType: null, branchId: 'A' },
  ];
  const pick = (patronCategory: string, itemType: string, branchId: string) =>
    resolvePolicy(rules, { patronCategory, itemType, branchId })?.id;

  it('picks the most specific matching rule', () => {
    expect(pick('adult', 'book', 'B')).toBe('default');
    expect(pick('child', 'book', 'B')).toBe('child');
    expect(pick('adult', 'audiovisual', 'B')).toBe('av');
    expect(pick('child', 'audiovisual', 'B')).toBe('child-av');
    expect(pick('child', 'audiovisual', 'A')).toBe('branch-a'); // the branch outranks category and type
  });

  it('returns null when nothing matches', () => {
    expect(resolvePolicy([{ patronCategory: 'child', itemType: null, branchId: null }], { patronCategory: 'adult', itemType: 'book', branchId: 'A' })).toBeNull();
  });
});

describe('due dates', () => {
  const calendar: OpeningCalendar = {
    timeZone: 'Asia/Shanghai',
    weekly: [2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday: weekday as 2, opens: '09:00', closes: '21:00' })),
    exceptions: [{ date: '2027-01-01', intervals: [] }],
  };

  it('lands on an open day, at the end of it, local time', () => {
    // Checked out Sunday 2026-11-22 20:00 Shanghai; 14 days later is Sunday 2026-12-06 (open).
    expect(dueDateAt(new Date('2026-11-22T12:00:00Z'), 14, calendar).toISOString()).toBe('2026-12-06T15:59:59.999Z');
  });

  it('rolls a closed Monday forward to Tuesday', () => {
    // 15 days after 2026-11-22 is Monday 2026-12-07: closed, so Tuesday.
    expect(dueDateAt(new Date('2026-11-22T12:00:00Z'), 15, calendar).toISOString()).toBe('2026-12-08T15:59:59.999Z');
  });

  it('rolls past a holiday and the closed Monday after it', () => {
    // 2027-01-01 (Fri) is a holiday: due Saturday 2027-01-02.
    expect(dueDateAt(new Date('2026-12-18T02:00:00Z'), 14, calendar).toISOString()).toBe('2027-01-02T15:59:59.999Z');
  });

  it('uses the local day of checkout, not the UTC one', () => {
    // 2026-11-22T17:00Z is already the 23rd in Shanghai; +14 = 2026-12-07 (Mon, closed) → Tue 8th.
    expect(dueDateAt(new Date('2026-11-22T17:00:00Z'), 14, calendar).toISOString()).toBe('2026-12-08T15:59:59.999Z');
  });

  it('counts whole local days late and caps fines', () => {
    const due = new Date('2026-12-06T15:59:59.999Z');
    expect(daysOverdue(due, new Date('2026-12-06T15:00:00Z'), 'Asia/Shanghai')).toBe(0);
    expect(daysOverdue(due, new Date('2026-12-06T16:30:00Z'), 'Asia/Shanghai')).toBe(1);
    expect(daysOverdue(due, new Date('2026-12-16T03:00:00Z'), 'Asia/Shanghai')).toBe(10);
    expect(overdueFine(10, 0.1, 0.5)).toBe(0.5);
    expect(overdueFine(3, 0.1, 0)).toBe(0.3);
    expect(overdueFine(10, 0, 5)).toBe(0);
  });

  describe('counting only the open days of the calendar', () => {
    // Due Sunday 2026-12-06, end of the day in Shanghai; the branch is closed on Mondays and on 2027-01-01.
    const due = new Date('2026-12-06T15:59:59.999Z');

    it('does not count a weekly closed day', () => {
      // Tuesday 10:00 in Shanghai: two calendar days late, one of them a Monday.
      expect(daysOverdue(due, new Date('2026-12-08T02:00:00Z'), 'Asia/Shanghai')).toBe(2);
      expect(daysOverdue(due, new Date('2026-12-08T02:00:00Z'), 'Asia/Shanghai', calendar)).toBe(1);
      // A fortnight later: 14 calendar days, two Mondays among them.
      expect(daysOverdue(due, new Date('2026-12-20T10:00:00Z'), 'Asia/Shanghai', calendar)).toBe(12);
    });

    it('does not count a holiday', () => {
      const dueThursday = new Date('2026-12-31T15:59:59.999Z');
      // Saturday 2027-01-02: Friday the 1st was a holiday.
      expect(daysOverdue(dueThursday, new Date('2027-01-02T04:00:00Z'), 'Asia/Shanghai')).toBe(2);
      expect(daysOverdue(dueThursday, new Date('2027-01-02T04:00:00Z'), 'Asia/Shanghai', calendar)).toBe(1);
    });

    it('takes the days in the branch’s zone, not UTC', () => {
      // 2026-12-07T15:30Z is still Monday (closed) in Shanghai, though Monday evening there; 16:30Z is Tuesday.
      expect(daysOverdue(due, new Date('2026-12-07T15:30:00Z'), 'Asia/Shanghai', calendar)).toBe(0);
      expect(daysOverdue(due, new Date('2026-12-07T16:30:00Z'), 'Asia/Shanghai', calendar)).toBe(1);
      // Returned on the due day, late in the evening (UTC already the next day): on time.
      expect(daysOverdue(due, new Date('2026-12-06T15:59:00Z'), 'Asia/Shanghai', calendar)).toBe(0);
    });

    it('counts nothing when the copy comes back before it is due', () => {
      expect(daysOverdue(due, new Date('2026-12-01T00:00:00Z'), 'Asia/Shanghai', calendar)).toBe(0);
    });
  });
});

describe('routeReturn', () => {
  it('lets a waiting hold win over going home', () => {
    expect(routeReturn({ checkinBranchId: 'B', circulatingBranchId: 'A', floats: false, hold: { id: 'h', pickupBranchId: 'B' } })).toEqual({
      action: 'hold-shelf',
      holdId: 'h',
    });
    expect(routeReturn({ checkinBranchId: 'B', circulatingBranchId: 'A', floats: true, hold: { id: 'h', pickupBranchId: 'C' } })).toEqual({
      action: 'transit',
      destinationBranchId: 'C',
      holdId: 'h',
    });
  });

  it('sends a copy home unless it floats or is home', () => {
    expect(routeReturn({ checkinBranchId: 'B', circulatingBranchId: 'A', floats: false })).toEqual({ action: 'transit', destinationBranchId: 'A' });
    expect(routeReturn({ checkinBranchId: 'B', circulatingBranchId: 'A', floats: true })).toEqual({ action: 'shelve' });
    expect(routeReturn({ checkinBranchId: 'A', circulatingBranchId: 'A', floats: false })).toEqual({ action: 'shelve' });
  });
});

describe('branchDistance', () => {
  const parentOf = new Map<string, string | null>([
    ['central', null],
    ['b1', 'central'],
    ['b2', 'central'],
    ['sp1', 'b1'],
    ['sp2', 'b1'],
    ['lonely', null],
  ]);

  it('counts steps through the nearest common branch', () => {
    expect(branchDistance('sp1', 'sp1', parentOf)).toBe(0);
    expect(branchDistance('sp1', 'b1', parentOf)).toBe(1);
    expect(branchDistance('sp1', 'sp2', parentOf)).toBe(2);
    expect(branchDistance('sp1', 'b2', parentOf)).toBe(3);
    expect(branchDistance('sp1', 'lonely', parentOf)).toBe(Number.MAX_SAFE_INTEGER);
  });
});
