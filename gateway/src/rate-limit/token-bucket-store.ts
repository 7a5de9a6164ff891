/** One bucket to take from: its key and its limits. */
export interface BucketSpec {
  key: string;
  capacity: number;
  refillPerSecond: number;
}

export interface TakeResult {
  /** Whether `cost` was taken from every bucket (all or none). */
  allowed: boolean;
  /** When refused: how long until every bucket holds `cost`. */
  retryAfterMs: number;
  /** Each bucket's tokens after the call, in the order given. */
  available: number[];
}

/**
 * Token buckets taken from atomically: `cost` leaves every bucket or none. A negative cost gives
 * tokens back (never above capacity). A cost above a bucket's capacity needs that bucket full.
 */
export interface TokenBucketStore {
  take(buckets: BucketSpec[], cost: number): Promise<TakeResult>;
  close(): Promise<void>;
}

/** The refill/take arithmetic both stores share (the Lua script mirrors it). */
export function takeFrom(levels: number[], buckets: BucketSpec[], cost: number): TakeResult {
  let wait = 0;
  for (let i = 0; i < buckets.length; i++) {
    const need = Math.min(cost, buckets[i].capacity);
    if (levels[i] < need) wait = Math.max(wait, Math.ceil(((need - levels[i]) * 1000) / buckets[i].refillPerSecond));
  }
  const allowed = wait === 0;
  const available = levels.map((level, i) => (allowed ? Math.min(buckets[i].capacity, Math.max(0, level - Math.min(cost, buckets[i].capacity))) : level));
  return { allowed, retryAfterMs: wait, available };
}

/** Tokens in a bucket at `nowMs` that held `tokens` at `atMs`. */
export function refill(bucket: BucketSpec, tokens: number | undefined, atMs: number | undefined, nowMs: number): number {
  if (tokens === undefined || atMs === undefined) return bucket.capacity;
  return Math.min(bucket.capacity, tokens + (Math.max(0, nowMs - atMs) * bucket.refillPerSecond) / 1000);
}
