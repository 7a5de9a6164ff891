import { createMemoryTokenBucketStore } from './memory-token-bucket-store.ts';
import type { RateLimitConfig } from './rate-limit-env.ts';
import { createRedisTokenBucketStore } from './redis-token-bucket-store.ts';
import type { TokenBucketStore } from './token-bucket-store.ts';

/** Redis when REDIS_URL is set (every gateway instance shares the buckets), else in process. */
export function createRateLimitStore(config: RateLimitConfig): TokenBucketStore {
  return config.redisUrl ? createRedisTokenBucketStore({ url: config.redisUrl, keyPrefix: config.keyPrefix }) : createMemoryTokenBucketStore();
}
