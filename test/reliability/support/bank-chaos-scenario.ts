import { tokenFor, uniqueTenant } from '@stockline/testkit';
import { Catalog } from '../../../subgraphs/orders/test/support/catalog.ts';
import { until } from '../../support/spawn-process.ts';
import { bankViolations, unsettled } from './bank-chaos-invariants.ts';
import { runBankClients, summarize, type BankWorld } from './bank-chaos-workload.ts';
import type { ServiceModePlatform } from './service-mode-platform.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * For each of `services`, until `end`: waits until it is ready, lets it run `minMs`–`maxMs`, SIGKILLs
 * it (the launcher restarts it with its backoff). Returns the pids killed, by service.
 */
export async function killAtRandom(platform: ServiceModePlatform, services: string[], end: number, { minMs = 2_000, maxMs = 5_000 } = {}) {
  const killed: Record<string, number[]> = Object.fromEntries(services.map((s) => [s, []]));
  await Promise.all(services.map(async (name) => {
    for (let i = 0; i < 200 && Date.now() < end; i++) {
      await platform.waitReady(name, Math.max(1, end - Date.now())).catch(() => {});
      await sleep(minMs + Math.random() * (maxMs - minMs));
      if (Date.now() >= end) break;
      const pid = platform.kill(name);
      if (pid) killed[name]!.push(pid);
    }
  }));
  return killed;
}

/**
 * Issue 14, item 1 (Jepsen's bank test on the stock ledger): `clients` clients send random stock and
 * order mutations through the gateway for `calmMs`, then for `chaosMs` while inventory and orders are SIGKILLed at random;
 * then the services come back, the sagas finish, the relay drains, and the end state is checked.
 */
export async function bankChaos(platform: ServiceModePlatform, { chaosMs, calmMs = 10_000, clients = 20, settleMs = 120_000 }: { chaosMs: number; calmMs?: number; clients?: number; settleMs?: number }) {
  const tenant = uniqueTenant('bank');
  const catalog = await Catalog.for(platform.url, tenant);
  const world: BankWorld = { itemIds: [], locationIds: [] };
  for (let i = 0; i < 3; i++) world.locationIds.push(await catalog.createLocation());
  for (let i = 0; i < 4; i++) world.itemIds.push(await catalog.createItem());
  for (const itemId of world.itemIds) for (const locationId of world.locationIds) await catalog.receive(itemId, locationId, 30);
  const token = await tokenFor(tenant, ['admin']);

  // `calmMs` without faults first, so clients have orders to fulfil and cancel once the killing starts.
  const started = Date.now();
  const end = started + calmMs + chaosMs;
  const [requests, killed] = await Promise.all([
    runBankClients({ url: platform.url, token, world, clients, until: end, giveUpAt: end + settleMs }),
    sleep(calmMs).then(() => killAtRandom(platform, ['inventory', 'orders'], end)),
  ]);
  for (const name of ['inventory', 'orders', 'gateway']) await platform.waitReady(name, settleMs);
  let last = await unsettled(platform.databaseUrl, tenant);
  await until(async () => Object.values((last = await unsettled(platform.databaseUrl, tenant))).every((n) => n === 0), `settled (${JSON.stringify(last)})`, { timeoutMs: settleMs, everyMs: 500 })
    .catch((error: Error) => { throw new Error(`${error.message}: ${JSON.stringify(last)}`); });
  const violations = await bankViolations(platform.databaseUrl, tenant, requests);
  return { tenant, requests, killed, violations, summary: summarize(requests), seconds: Math.round((Date.now() - started) / 1000) };
}
