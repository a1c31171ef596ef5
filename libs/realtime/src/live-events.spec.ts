import type { DataSource } from 'typeorm';
import type { LiveEvent } from './live-event';
import { LiveEvents } from './live-events';

/** A promise the test resolves by hand, so the order of events is the test's, not the clock's. */
function gate<T>() {
  let open!: (value: T) => void;
  const promise = new Promise<T>((resolve) => (open = resolve));
  return { promise, open };
}
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('LiveEvents refreshes', () => {
  const relay = () => new LiveEvents({ subscribers: [] } as unknown as DataSource);

  it('reads once more after the last request, however many arrive while a read is under way, and sends what that read saw', async () => {
    const live = relay();
    const delivered: LiveEvent[] = [];
    live.attach({ deliver: (e) => void delivered.push(e) });
    const reads: Array<ReturnType<typeof gate<Record<string, unknown>>>> = [];
    const refresh = () => ({ room: 'session:s', event: 'session.seats', key: 'seats:s', load: () => {
      const g = gate<Record<string, unknown>>();
      reads.push(g);
      return g.promise;
    } });

    live.dispatch([refresh()]);
    expect(reads).toHaveLength(1); // the first request reads at once
    for (let i = 0; i < 5; i++) live.dispatch([refresh()]); // five commits while it reads
    expect(reads).toHaveLength(1);
    reads[0].open({ seatsLeft: 9 });
    await settle();
    expect(reads).toHaveLength(2); // exactly one more read, started after all five
    reads[1].open({ seatsLeft: 4 });
    await settle();
    expect(delivered.map((e) => e.data)).toEqual([{ seatsLeft: 9 }, { seatsLeft: 4 }]);

    live.dispatch([refresh()]); // quiet again: the next request reads at once
    expect(reads).toHaveLength(3);
  });

  it('keeps refreshes of different keys apart and survives a failing read and a failing sink', async () => {
    const live = relay();
    const delivered: string[] = [];
    live.attach({ deliver: () => { throw new Error('sink down'); } });
    live.attach({ deliver: (e) => void delivered.push(e.room) });
    live.dispatch([
      { room: 'session:a', event: 'session.seats', key: 'a', load: async () => ({ n: 1 }) },
      { room: 'session:b', event: 'session.seats', key: 'b', load: async () => { throw new Error('read failed'); } },
      { room: 'patron:p', event: 'notification', data: { n: 2 } },
    ]);
    await settle();
    expect(delivered.sort()).toEqual(['patron:p', 'session:a']);
  });
});
