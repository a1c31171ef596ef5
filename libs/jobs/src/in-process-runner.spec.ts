import { InProcessJobRunner } from './in-process-runner';
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
