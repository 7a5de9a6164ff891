/**
 * Issue 14, item 1, long run (`npm run test:reliability -- --full`): the bank test of
 * test/reliability/bank-chaos.test.ts with 3 minutes of SIGKILLs of inventory and orders.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { bankChaos } from '../support/bank-chaos-scenario.ts';
import { startServiceModePlatform, type ServiceModePlatform } from '../support/service-mode-platform.ts';

let platform: ServiceModePlatform;

beforeAll(async () => {
  platform = await startServiceModePlatform({ label: 'rel_bank_full' });
}, 340_000);
afterAll(async () => {
  platform?.saveOutput('/tmp/rel-bank-chaos-full.log');
  await platform?.stop();
});

it('keeps every level its ledger, every order its holds and every answered request through 3 minutes of SIGKILLs', async () => {
  const result = await bankChaos(platform, { chaosMs: 180_000, clients: 20, settleMs: 180_000 });
  console.log(`bank chaos (full): ${JSON.stringify({ ...result, requests: undefined, violations: result.violations.length })}`);
  expect(result.violations).toEqual([]);
  expect(result.requests.filter((r) => r.outcome === 'gave-up').map((r) => `${r.op} ${r.key}: ${r.failures.slice(-3).join(' ')}`)).toEqual([]);
  expect(result.killed.inventory!.length).toBeGreaterThan(1);
  expect(result.killed.orders!.length).toBeGreaterThan(1);
  expect(platform.restarts('inventory') + platform.restarts('orders')).toBe(result.killed.inventory!.length + result.killed.orders!.length);
  expect(Object.keys(result.summary.failures).filter((f) => f.includes('INTERNAL_SERVER_ERROR'))).toEqual([]);
  // How much gets done depends on how fast a killed service is back (tens of seconds on a loaded 2-core machine).
  const ok = result.requests.filter((r) => r.outcome === 'ok');
  expect(ok.length).toBeGreaterThanOrEqual(20);
  expect(ok.some((r) => ['adjust', 'transfer', 'reserve'].includes(r.op)) && ok.some((r) => r.op === 'place')).toBe(true);
}, 900_000);
