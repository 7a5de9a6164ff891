/**
 * Issue 14, item 2: 500 concurrent ±1 adjustments through two gateway instances; the final level is
 * the initial one plus the sum of the accepted deltas, and the ledger agrees.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { graphql, tokenFor, uniqueTenant, type GraphQLResponse } from '@stockline/testkit';
import { startTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { seedCatalog, readLevel } from '../support/fixtures.ts';
import { startSecondGateway } from './support/second-gateway.ts';
import { brokenLevels, levelChecks } from './support/invariants.ts';

let platform: TestPlatform;
let second: Awaited<ReturnType<typeof startSecondGateway>>;
const tenant = uniqueTenant('lost-updates');
const ADJUST = `mutation($input: AdjustStockInput!) { adjustStock(input: $input) { stockLevel { onHand } userErrors { code } } }`;
const INITIAL = 10;
const CALLS = 500;
/** Concurrent clients: 25 in CI; with --full every one of the 500 at once. */
const CLIENTS = process.env.RELIABILITY_FULL === '1' ? 500 : 25;
let logs = '';

beforeAll(async () => {
  platform = await startTestPlatform({ label: 'rel_lost', env: { LOG_LEVEL: 'error' }, logDestination: { write: (l: string) => void (logs += l) } });
  second = await startSecondGateway(platform);
}, 120_000);
afterAll(async () => {
  await second?.stop();
  await platform?.stop();
});

it('loses no update among 500 concurrent ±1 adjustments through two gateways (final = initial + accepted, ledger agrees)', async () => {
  const { itemIds: [itemId], locationIds: [locationId] } = await seedCatalog(platform, tenant, { items: 1, onHand: INITIAL });
  const token = await tokenFor(tenant, ['clerk']);
  // A fixed pattern with more −1 than +1, so the level reaches 0 and some −1 are refused.
  const deltas = Array.from({ length: CALLS }, (_, i) => (i % 5 < 3 ? -1 : 1));
  // 500 changes from CLIENTS concurrent clients (back to back), alternating gateways. Sent all at once,
  // 500 requests wait on one row lock longer than the pool's 10 s acquire timeout on a loaded 2-core
  // machine; those are answered SERVICE_UNAVAILABLE (and must have changed nothing).
  const answers: GraphQLResponse[] = new Array(CALLS);
  await Promise.all(Array.from({ length: CLIENTS }, async (_, c) => {
    for (let i = c; i < CALLS; i += CLIENTS) {
      answers[i] = await graphql(i % 2 ? second.url : platform.url, { query: ADJUST, token, variables: { input: { itemId, locationId, delta: deltas[i], reason: 'CORRECTION' } } });
    }
  }));

  let accepted = 0;
  let acceptedCount = 0;
  const outcomes = new Map<string, number>();
  const count = (code: string) => outcomes.set(code, (outcomes.get(code) ?? 0) + 1);
  answers.forEach((r, i) => {
    if (r.errors?.length) return void r.errors.forEach((e) => count(String(e.extensions?.code)));
    const errors = r.data!.adjustStock.userErrors as { code: string }[];
    if (errors.length === 0) (accepted += deltas[i]!, acceptedCount++, count('OK'));
    else errors.forEach((e) => count(e.code));
  });
  // Only shortage may refuse a ±1 change without compare-and-set; a saturated database says so.
  const unexpected = [...outcomes.keys()].filter((c) => !['OK', 'INSUFFICIENT_STOCK', 'SERVICE_UNAVAILABLE'].includes(c));
  expect(unexpected, `outcomes ${JSON.stringify([...outcomes])}; first errors logged:\n${logs.split('\n').filter(Boolean).slice(0, 3).map((l) => l.slice(0, 1500)).join('\n')}`).toEqual([]);
  // The figure docs/reliability.md records (defect 4: how many a saturated database refused).
  console.info(`lost-updates: ${CLIENTS} clients, outcomes ${JSON.stringify(Object.fromEntries(outcomes))}`);
  const level = await readLevel(platform, tenant, itemId!, locationId!);
  expect(level!.onHand).toBe(INITIAL + accepted);
  const [row] = await levelChecks(platform.databaseUrl, tenant);
  expect(brokenLevels([row!])).toEqual([]);
  // One RECEIVED line from the seed plus one per accepted change.
  expect(row!.movements).toBe(1 + acceptedCount);
  expect(outcomes.get('INSUFFICIENT_STOCK') ?? 0).toBeGreaterThan(0);
  expect(acceptedCount).toBeGreaterThan(CALLS / 2);
});
