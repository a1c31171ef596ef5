import { InProcessJobRunner, msUntilDaily } from './in-process-runner';
import type { JobCatalogue } from './job-catalogue';
import { JOB_ATTEMPTS } from './job-runner';

describe('InProcessJobRunner', () => {
  const catalogue = { definitions: () => [], find: () => undefined } as unknown as JobCatalogue;

  it('retries a failing job, then records the failure with its reason', async () => {
    const runner = new InProcessJobRunner(catalogue, 0);
    let calls = 0;
    const result = await runner.runWithRetries({
      name: 'flaky',
      run: async () => {
        calls++;
        throw new Error(`broken ${calls}`);
      },
    });
    expect(result).toBeNull();
    expect(calls).toBe(JOB_ATTEMPTS);
    const overview = await runner.overview();
    expect(overview.counts).toMatchObject({ failed: 1, retried: JOB_ATTEMPTS - 1, completed: 0, active: 0 });
    expect(overview.lastFailures).toEqual([expect.objectContaining({ job: 'flaky', attemptsMade: JOB_ATTEMPTS, reason: `broken ${JOB_ATTEMPTS}` })]);
  });

  it('counts a job that succeeds after a retry as completed', async () => {
    const runner = new InProcessJobRunner(catalogue, 0);
    let calls = 0;
    const result = await runner.runWithRetries({
      name: 'second-time-lucky',
      run: async () => {
        if (++calls === 1) throw new Error('once');
        return { done: 1 };
      },
    });
    expect(result).toEqual({ done: 1 });
    expect((await runner.overview()).counts).toMatchObject({ completed: 1, failed: 0, retried: 1 });
  });
});

describe('msUntilDaily', () => {
  const at = { hour: 3, minute: 0, timeZone: 'Asia/Shanghai' };
  it('waits until 03:00 in the district today when it is still ahead', () => {
    // 01:00 in Shanghai is 17:00 UTC the day before.
    expect(msUntilDaily(at, new Date('2026-03-09T17:00:00Z'))).toBe(2 * 3_600_000);
  });
  it('waits until tomorrow’s 03:00 once today’s has passed (or is now)', () => {
    expect(msUntilDaily(at, new Date('2026-03-09T19:00:00Z'))).toBe(24 * 3_600_000);
    expect(msUntilDaily(at, new Date('2026-03-10T04:30:00Z'))).toBe(14.5 * 3_600_000) // 12:30 in Shanghai;
  });
});
