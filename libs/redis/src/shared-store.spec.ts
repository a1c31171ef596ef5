import { MemorySharedStore } from './shared-store';

describe('MemorySharedStore', () => {
  it('forgets a value after its time to live', async () => {
    let now = 1_000_000;
    const store = new MemorySharedStore(() => now);
    await store.set('k', 'v', 60);
    expect(await store.get('k')).toBe('v');
    now += 59_999;
    expect(await store.get('k')).toBe('v');
    now += 1;
    expect(await store.get('k')).toBeNull();
  });
});
