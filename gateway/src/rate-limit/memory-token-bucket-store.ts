import { refill, takeFrom, type BucketSpec, type TakeResult, type TokenBucketStore } from './token-bucket-store.ts';

const SWEEP_EVERY = 10_000;

/** Buckets in this process (embedded defaults: one gateway). */
export function createMemoryTokenBucketStore(now: () => number = Date.now): TokenBucketStore {
  const buckets = new Map<string, { tokens: number; at: number }>();
  let calls = 0;
  return {
    async take(specs: BucketSpec[], cost: number): Promise<TakeResult> {
      const t = now();
      const levels = specs.map((s) => refill(s, buckets.get(s.key)?.tokens, buckets.get(s.key)?.at, t));
      const result = takeFrom(levels, specs, cost);
      specs.forEach((s, i) => buckets.set(s.key, { tokens: result.available[i], at: t }));
      // Forget full buckets now and then so idle tenants cost no memory.
      if (++calls % SWEEP_EVERY === 0) {
        for (const [key, b] of buckets) if (t - b.at > 3_600_000) buckets.delete(key);
      }
      return result;
    },
    async close() {
      buckets.clear();
    },
  };
}
