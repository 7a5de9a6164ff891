import { describe, expect, it } from 'vitest';
import { actualCost, createMemoryTokenBucketStore } from '../src/rate-limit/index.ts';

describe('token buckets in process', () => {
  it('takes from every bucket or from none, and refills with time', async () => {
    let now = 0;
    const store = createMemoryTokenBucketStore(() => now);
    const buckets = [
      { key: 't', capacity: 100, refillPerSecond: 10 },
      { key: 'u', capacity: 20, refillPerSecond: 10 },
    ];
    expect(await store.take(buckets, 15)).toEqual({ allowed: true, retryAfterMs: 0, available: [85, 5] });
    const refused = await store.take(buckets, 15);
    expect(refused).toEqual({ allowed: false, retryAfterMs: 1_000, available: [85, 5] });
    now = 1_000;
    expect(await store.take(buckets, 15)).toEqual({ allowed: true, retryAfterMs: 0, available: [80, 0] });
    expect((await store.take(buckets, -50)).available).toEqual([100, 20]);
  });
});

describe('actualCost', () => {
  it('counts the objects returned, never more than requested', () => {
    expect(actualCost({ items: { nodes: [{ id: 1 }, { id: 2 }] } }, { requested: 12, mutation: false })).toBe(3);
    expect(actualCost({ items: { nodes: [{ id: 1 }] } }, { requested: 1, mutation: false })).toBe(1);
    expect(actualCost({ adjustStock: { stockLevel: { onHand: 1 } } }, { requested: 30, mutation: true })).toBe(12);
    expect(actualCost(null, { requested: 5, mutation: false })).toBe(0);
  });
});
