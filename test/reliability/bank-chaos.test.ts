/**
 * Issue 14, item 1: the bank invariant under chaos (Jepsen's bank test, adapted). 20 clients make random
 * transfers, adjustments, reservations and orders through the gateway for 35 s while the launcher's
 * inventory and orders processes are SIGKILLed at random every 2–5 s (and restarted by it); a failed
 * request is retried with the same idempotency key. Then every invariant of the ledger and the orders
 * is checked with SQL. test/reliability/full/bank-chaos.full.ts runs the same for 3 minutes.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { bankChaos } from './support/bank-chaos-scenario.ts';
import { startServiceModePlatform, type ServiceModePlatform } from './support/service-mode-platform.ts';

let platform: ServiceModePlatform;

beforeAll(async () => {
  platform = await startServiceModePlatform({ label: 'rel_bank' });
}, 340_000);
afterAll(async () => {
  platform?.saveOutput('/tmp/rel-bank-chaos.log');
  await platform?.stop();
});

it('keeps every level its ledger, every order its holds and every answered request while inventory and orders are SIGKILLed for 35 s', async () => {
  const result = await bankChaos(platform, { chaosMs: 35_000, clients: 20 });
  console.log(`bank chaos: ${JSON.stringify({ ...result, requests: undefined, violations: result.violations.length })}`);
  expect(result.violations).toEqual([]);
  // Every request was answered in the end: none is left in doubt.
  expect(result.requests.filter((r) => r.outcome === 'gave-up').map((r) => `${r.op} ${r.key}: ${r.failures.slice(-3).join(' ')}`)).toEqual([]);
  // The chaos happened and the test could have seen a loss: both services were killed, requests were
  // retried through it, and many succeeded.
  expect(result.killed.inventory!.length).toBeGreaterThan(0);
  expect(result.killed.orders!.length).toBeGreaterThan(0);
  expect(platform.restarts('inventory') + platform.restarts('orders')).toBe(result.killed.inventory!.length + result.killed.orders!.length);
  expect(result.summary.retried).toBeGreaterThan(0);
  const ok = result.requests.filter((r) => r.outcome === 'ok');
  expect(ok.length).toBeGreaterThanOrEqual(10);
  expect(ok.some((r) => ['adjust', 'transfer', 'reserve'].includes(r.op)) && ok.some((r) => r.op === 'place')).toBe(true);
  // A killed service is a reason to retry (SERVICE_UNAVAILABLE), never an internal error.
  expect(Object.keys(result.summary.failures).filter((f) => f.includes('INTERNAL_SERVER_ERROR'))).toEqual([]);
}, 300_000);
