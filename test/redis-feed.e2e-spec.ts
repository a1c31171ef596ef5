import { Logger } from '@nestjs/common';
import Redis from 'ioredis';
import { RedisSharedStore, SharedFeed } from '@lib/redis';
import { freePort, OwnRedis } from './utils/own-redis';

const until = async (condition: () => boolean) => {
  while (!condition()) await new Promise((r) => setTimeout(r, 20));
};

/**
 * The feed behind each instance's copy of the revocations, on a Redis of the test's own: current only
 * once subscribed and resynced, and not while its connection is silent (Redis answering nobody).
 */
describe('a followed Redis channel', () => {
  let redis: OwnRedis;
  let client: Redis;
  let probe: Redis;
  let store: RedisSharedStore;
  let feed: SharedFeed;
  const heard: string[] = [];
  let resyncs = 0;

  beforeAll(async () => {
    Logger.overrideLogger(false); // the feed's warnings about the pause are expected here
    redis = new OwnRedis(await freePort());
    await redis.start();
    client = new Redis(redis.url);
    probe = new Redis(redis.url);
    store = new RedisSharedStore(client, 'feed-test:');
    feed = store.follow(
      'news',
      {
        message: (m) => void heard.push(m),
        resync: async () => {
          resyncs++;
        },
      },
      { heartbeatMs: 100, staleMs: 1000, retryMs: 100 },
    );
  });
  afterAll(async () => {
    feed?.close();
    probe?.disconnect();
    await store?.close();
    await redis?.stop();
  });

  it('hears what is stored and published once it is current, and stops counting as current while Redis is silent', async () => {
    await until(() => feed.current());
    expect(resyncs).toBe(1);
    await store.setAndPublish('k', 'v', 60, 'news', 'first');
    expect(await probe.get('feed-test:k')).toBe('v');
    await until(() => heard.length === 1);
    expect(heard).toEqual(['first']);

    // Every client paused: no reset, no answer. The heartbeat goes unanswered and the feed is not trusted.
    await probe.call('CLIENT', 'PAUSE', '3000', 'ALL');
    await until(() => !feed.current());
    // Once Redis answers again the feed reconnects, subscribes and resyncs before it is current again.
    await until(() => feed.current());
    expect(resyncs).toBeGreaterThanOrEqual(2);
    await store.setAndPublish('k', 'w', 60, 'news', 'second');
    await until(() => heard.length === 2);
    expect(heard).toEqual(['first', 'second']);
  });
});
