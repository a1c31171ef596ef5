export { SharedStore, RedisSharedStore, MemorySharedStore, SharedStoreUnavailable } from './shared-store';
export { RedisModule, REDIS_CLIENT } from './redis.module';
