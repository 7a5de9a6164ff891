import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenFor, graphql, uniqueTenant } from '@stockline/testkit';
import { ledgerSums, readLevel, seedCatalog } from '../support/fixtures.ts';
import { startTestPlatform, type TestPlatform } from '../support/test-platform.ts';

let platform: TestPlatform;
let token: string;
const tenant = uniqueTenant('concurrency');

const ADJUST = `mutation($input: AdjustStockInput!) { adjustStock(input: $input) { stockLevel { onHand } movement { id } userErrors { code available } } }`;
const RESERVE = `mutation($input: ReserveStockInput!) { reserveStock(input: $input) { reservation { id } userErrors { code available } } }`;
/** Fires every request at once over real HTTP (no client-side queueing). */
const burst = <T>(n: number, make: (i: number) => Promise<T>) => Promise.all(Array.from({ length: n }, (_, i) => make(i)));
const call = (query: string, variables: Record<string, unknown>) => graphql(platform.url, { query, variables, token });

beforeAll(async () => {
  platform = await startTestPlatform();
  token = await tokenFor(tenant, ['clerk']);
});
afterAll(async () => {
  await platform?.stop();
});

describe('concurrent stock changes', () => {
  it('lets exactly 100 of 200 concurrent adjustStock(-1) through against onHand 100 and never goes negative', async () => {
    const { itemIds: [itemId], locationIds: [locationId] } = await seedCatalog(platform, tenant, { onHand: 100 });
    const results = await burst(200, () => call(ADJUST, { input: { itemId, locationId, delta: -1, reason: 'DAMAGED' } }));
    expect(results.filter((r) => r.errors)).toEqual([]);
    const ok = results.filter((r) => r.data.adjustStock.movement);
    const refused = results.filter((r) => r.data.adjustStock.userErrors[0]?.code === 'INSUFFICIENT_STOCK');
    expect(ok).toHaveLength(100);
    expect(refused).toHaveLength(100);
    expect(refused.every((r) => r.data.adjustStock.userErrors[0].available === 0)).toBe(true);
    expect(await readLevel(platform, tenant, itemId, locationId)).toMatchObject({ onHand: 0, reserved: 0, available: 0 });
    expect(await ledgerSums(platform, tenant, itemId, locationId)).toMatchObject({ onHand: 0, reserved: 0, count: 101 });
  });

  it('lets exactly 33 of 50 concurrent reserveStock(3) through against 100 available', async () => {
    const { itemIds: [itemId], locationIds: [locationId] } = await seedCatalog(platform, uniqueTenantFor('res'), { onHand: 100 });
    const clerk = await tokenFor(lastTenant, ['clerk']);
    const results = await burst(50, () => graphql(platform.url, { query: RESERVE, variables: { input: { itemId, locationId, quantity: 3 } }, token: clerk }));
    expect(results.filter((r) => r.errors)).toEqual([]);
    const held = results.filter((r) => r.data.reserveStock.reservation);
    expect(held).toHaveLength(33);
    expect(results.filter((r) => r.data.reserveStock.userErrors[0]?.code === 'INSUFFICIENT_STOCK')).toHaveLength(17);
    const level = await readLevel(platform, lastTenant, itemId, locationId);
    expect(level).toMatchObject({ onHand: 100, reserved: 99, available: 1 });
    expect(await ledgerSums(platform, lastTenant, itemId, locationId)).toMatchObject({ onHand: 100, reserved: 99 });
  });

  it('ends 500 concurrent ±1 changes at the start plus the sum of the accepted deltas', async () => {
    const { itemIds: [itemId], locationIds: [locationId] } = await seedCatalog(platform, tenant, { items: 1, locations: ['PM'], onHand: 10 });
    const deltas = Array.from({ length: 500 }, (_, i) => (i % 3 === 0 ? 1 : -1));
    const results = await burst(500, (i) => call(ADJUST, { input: { itemId, locationId, delta: deltas[i], reason: deltas[i] > 0 ? 'RECEIVED' : 'DAMAGED' } }).then((r) => ({ r, delta: deltas[i] })));
    expect(results.filter(({ r }) => r.errors)).toEqual([]);
    const accepted = results.filter(({ r }) => r.data.adjustStock.movement).reduce((sum, { delta }) => sum + delta, 0);
    const level = await readLevel(platform, tenant, itemId, locationId);
    expect(level!.onHand).toBe(10 + accepted);
    expect(level!.onHand).toBeGreaterThanOrEqual(0);
    expect((await ledgerSums(platform, tenant, itemId, locationId)).onHand).toBe(level!.onHand);
  });
});

describe('idempotency', () => {
  it('applies the same idempotencyKey sent 20 times concurrently once, and answers all 20 alike', async () => {
    const { itemIds: [itemId], locationIds: [locationId] } = await seedCatalog(platform, uniqueTenantFor('idem'), { onHand: 50 });
    const clerk = await tokenFor(lastTenant, ['clerk']);
    const input = { itemId, locationId, delta: -7, reason: 'DAMAGED', idempotencyKey: 'order-77-damage' };
    const results = await burst(20, () => graphql(platform.url, { query: ADJUST, variables: { input }, token: clerk }));
    expect(results.filter((r) => r.errors)).toEqual([]);
    const movementIds = new Set(results.map((r) => r.data.adjustStock.movement?.id));
    expect(movementIds.size).toBe(1);
    expect([...movementIds][0]).toBeTruthy();
    expect(new Set(results.map((r) => r.data.adjustStock.stockLevel.onHand))).toEqual(new Set([43]));
    expect(await readLevel(platform, lastTenant, itemId, locationId)).toMatchObject({ onHand: 43 });
    expect((await ledgerSums(platform, lastTenant, itemId, locationId)).count).toBe(2);
  });

  it('refuses the same key with a different input with IDEMPOTENCY_KEY_REUSED and changes nothing', async () => {
    const clerk = await tokenFor(lastTenant, ['clerk']);
    const { data } = await graphql(platform.url, { query: `{ items(first: 1) { nodes { id stockLevels { location { id } } } } }`, token: clerk });
    const itemId = data.items.nodes[0].id;
    const locationId = data.items.nodes[0].stockLevels[0].location.id;
    const reused = await graphql(platform.url, { query: ADJUST, variables: { input: { itemId, locationId, delta: -8, reason: 'DAMAGED', idempotencyKey: 'order-77-damage' } }, token: clerk });
    expect(reused.data.adjustStock.userErrors[0].code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await readLevel(platform, lastTenant, itemId, locationId)).toMatchObject({ onHand: 43 });
  });

  it('applies a key repeated within one bulkAdjustStock once, and a key already used answers from storage', async () => {
    const { itemIds: [itemId], locationIds: [locationId] } = await seedCatalog(platform, uniqueTenantFor('idem-bulk'), { onHand: 10 });
    const clerk = await tokenFor(lastTenant, ['clerk']);
    const change = { itemId, locationId, delta: -2, reason: 'DAMAGED', idempotencyKey: 'bulk-key' };
    const BULK = `mutation($inputs: [AdjustStockInput!]!) { bulkAdjustStock(inputs: $inputs) { stockLevels { onHand } userErrors { code field } } }`;
    const first = await graphql(platform.url, { query: BULK, variables: { inputs: [change, change, { ...change, delta: -3 }] }, token: clerk });
    expect(first.data.bulkAdjustStock.stockLevels).toEqual([{ onHand: 8 }, { onHand: 8 }, null]);
    expect(first.data.bulkAdjustStock.userErrors).toEqual([{ code: 'IDEMPOTENCY_KEY_REUSED', field: ['inputs', '2', 'idempotencyKey'] }]);
    const again = await graphql(platform.url, { query: BULK, variables: { inputs: [change] }, token: clerk });
    expect(again.data.bulkAdjustStock.stockLevels).toEqual([{ onHand: 8 }]);
    const single = await graphql(platform.url, { query: ADJUST, variables: { input: change }, token: clerk });
    expect(single.data.adjustStock.stockLevel.onHand).toBe(8);
    expect(await readLevel(platform, lastTenant, itemId, locationId)).toMatchObject({ onHand: 8 });
  });

  it('scopes keys by tenant: another tenant may use the same key', async () => {
    const { itemIds: [itemId], locationIds: [locationId] } = await seedCatalog(platform, uniqueTenantFor('idem2'), { onHand: 5 });
    const clerk = await tokenFor(lastTenant, ['clerk']);
    const result = await graphql(platform.url, { query: ADJUST, variables: { input: { itemId, locationId, delta: -1, reason: 'DAMAGED', idempotencyKey: 'order-77-damage' } }, token: clerk });
    expect(result.data.adjustStock.userErrors).toEqual([]);
    expect(result.data.adjustStock.stockLevel.onHand).toBe(4);
  });
});

let lastTenant = tenant;
function uniqueTenantFor(label: string) {
  lastTenant = uniqueTenant(label);
  return lastTenant;
}
