import { inTimeOrder, OFFLINE_CLOCK_SKEW_MS, OFFLINE_MAX_AGE_DAYS, offlineTiming } from './offline';

describe('offline circulation rules', () => {
  const now = new Date('2026-12-04T02:00:00Z');

  it('accepts a record from the last 30 days or a few minutes ahead, and refuses the future or older', () => {
    expect(offlineTiming(new Date(now.getTime() - 3_600_000), now)).toEqual({ ok: true });
    expect(offlineTiming(new Date(now.getTime() + OFFLINE_CLOCK_SKEW_MS), now)).toEqual({ ok: true });
    expect(offlineTiming(new Date(now.getTime() + OFFLINE_CLOCK_SKEW_MS + 1), now)).toEqual({ ok: false, code: 'OFFLINE_AT_IN_FUTURE' });
    const bound = now.getTime() - OFFLINE_MAX_AGE_DAYS * 86_400_000;
    expect(offlineTiming(new Date(bound), now)).toEqual({ ok: true });
    expect(offlineTiming(new Date(bound - 1), now)).toEqual({ ok: false, code: 'OFFLINE_AT_TOO_OLD' });
  });

  it('orders by the record’s own time, ties in upload order', () => {
    const at = (iso: string) => ({ at: new Date(iso) });
    expect(inTimeOrder([at('2026-12-04T10:05:00Z'), at('2026-12-04T10:00:00+08:00'), at('2026-12-04T10:01:00Z'), at('2026-12-04T10:01:00Z')])).toEqual([1, 2, 3, 0]);
    expect(inTimeOrder([])).toEqual([]);
  });
});
