export { SharedStore, RedisSharedStore, MemorySharedStore } from './shared-store';
export { RedisModule, REDIS_CLIENT } from './redis.module';
