import { Redis } from 'ioredis';
import type { BucketSpec, TakeResult, TokenBucketStore } from './token-bucket-store.ts';

/**
 * Takes `cost` (ARGV[1]) from every bucket in KEYS, or from none; ARGV[2..] are each bucket's
 * capacity and refill per second. Redis's own clock, so every gateway instance agrees.
 * Returns { allowed, retryAfterMs, level1, level2, … } (levels as strings: Lua numbers → integers).
 */
const TAKE_TOKENS = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local cost = tonumber(ARGV[1])
local levels, wait = {}, 0
for i = 1, #KEYS do
  local cap, rate = tonumber(ARGV[2 * i]), tonumber(ARGV[2 * i + 1])
  local b = redis.call('HMGET', KEYS[i], 'tokens', 'at')
  local tokens = cap
  if b[1] then tokens = math.min(cap, tonumber(b[1]) + math.max(0, now - tonumber(b[2])) * rate / 1000) end
  levels[i] = tokens
  local need = math.min(cost, cap)
  if tokens < need then wait = math.max(wait, math.ceil((need - tokens) * 1000 / rate)) end
end
local out = { wait == 0 and 1 or 0, wait }
for i = 1, #KEYS do
  local cap, rate = tonumber(ARGV[2 * i]), tonumber(ARGV[2 * i + 1])
  if wait == 0 then levels[i] = math.min(cap, math.max(0, levels[i] - math.min(cost, cap))) end
  redis.call('HSET', KEYS[i], 'tokens', tostring(levels[i]), 'at', now)
  redis.call('PEXPIRE', KEYS[i], math.ceil((cap - levels[i]) * 1000 / rate) + 1000)
  out[#out + 1] = tostring(levels[i])
end
return out
`;

type TakeTokens = (keys: number, ...args: (string | number)[]) => Promise<[number, number, ...string[]]>;

/** Buckets in Redis, shared by every gateway instance: one Lua script per take (one round trip). */
export function createRedisTokenBucketStore({ url, keyPrefix }: { url: string; keyPrefix: string }): TokenBucketStore {
  const redis = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: true, lazyConnect: false });
  redis.on('error', () => {
    // reported by the failing take(); ioredis reconnects by itself
  });
  redis.defineCommand('takeTokens', { lua: TAKE_TOKENS });
  const takeTokens = (redis as unknown as { takeTokens: TakeTokens }).takeTokens.bind(redis);
  const inFlight = new Set<Promise<unknown>>();
  return {
    async take(specs: BucketSpec[], cost: number): Promise<TakeResult> {
      const args = specs.flatMap((s) => [s.capacity, s.refillPerSecond]);
      const call = takeTokens(specs.length, ...specs.map((s) => keyPrefix + s.key), cost, ...args);
      inFlight.add(call);
      try {
        const [allowed, wait, ...levels] = await call;
        return { allowed: allowed === 1, retryAfterMs: Number(wait), available: levels.map(Number) };
      } finally {
        inFlight.delete(call);
      }
    },
    async close() {
      // Refunds are not awaited by requests: let them land before the connection goes.
      await Promise.allSettled(inFlight);
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
