import { expect } from 'vitest';
import { until } from '../../support/spawn-process.ts';
import { brokenLevels, levelChecks } from './invariants.ts';
import { streamEffects, type StreamRequest } from './mutation-stream.ts';

/**
 * After a fault: once no order is PENDING, every request of the stream (acknowledged or retried with its
 * key) is stored exactly once, each level is its ledger and the seed plus every change once, and every
 * order agrees with its reservations.
 */
export async function expectStreamAppliedOnce({ databaseUrl, tenant, requests, initial }: { databaseUrl: string; tenant: string; requests: StreamRequest[]; initial: number }) {
  await until(async () => (await streamEffects(databaseUrl, tenant)).pendingOrders === 0, 'no order left PENDING', { timeoutMs: 30_000 });
  const effects = await streamEffects(databaseUrl, tenant);
  for (const r of requests) {
    if (r.op === 'adjustStock') expect(effects.movementsByKey.get(r.key), r.key).toBe(1);
    else expect(effects.ordersByKey.get(r.key)?.n, r.key).toBe(1);
  }
  const levels = await levelChecks(databaseUrl, tenant);
  expect(brokenLevels(levels)).toEqual([]);
  for (const level of levels) {
    const deltas = requests.filter((r) => r.op === 'adjustStock' && r.itemId === level.item_id).reduce((s, r) => s + r.delta!, 0);
    expect(level.on_hand).toBe(initial + deltas);
  }
  expect(effects.disagreeingOrders).toEqual([]);
}
