export { rateLimitEnv, rateLimitConfig, type RateLimitConfig, type BucketLimits } from './rate-limit-env.ts';
export { useRateLimit, type CostExtension, type ThrottleStatus } from './use-rate-limit.ts';
export { createRateLimitStore } from './create-rate-limit-store.ts';
export { createMemoryTokenBucketStore } from './memory-token-bucket-store.ts';
export { createRedisTokenBucketStore } from './redis-token-bucket-store.ts';
export { actualCost } from './actual-cost.ts';
export type { TokenBucketStore, BucketSpec, TakeResult } from './token-bucket-store.ts';
