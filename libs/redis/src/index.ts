export { SharedStore, RedisSharedStore, MemorySharedStore, SharedStoreUnavailable } from './shared-store';
export { RedisModule, REDIS_CLIENT } from './redis.module';
export { RedisFeed, DEFAULT_FEED_TIMING } from './shared-feed';
export type { SharedFeed, SharedFeedHandlers, SharedFeedTiming } from './shared-feed';
