import type { ChildProcess } from 'node:child_process';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_JWT_SECRET, signToken } from '@stockline/auth';
import { TEST_DATABASE_URL, freeLoopbackPort, graphql, startOwnRedis, stopOwnRedis, tokenFor, uniqueTenant } from '@stockline/testkit';
import { seedCatalog } from '../support/fixtures.ts';
import { startTestPlatform, type TestPlatform } from '../support/test-platform.ts';

// Each claim docs/ makes that had no test of its own, here in one place, each on its own tenant.

let platform: TestPlatform;
const ADJUST = `mutation($input: AdjustStockInput!) { adjustStock(input: $input) { stockLevel { onHand available } movement { id } userErrors { code field available } } }`;
const BULK = `mutation($inputs: [AdjustStockInput!]!) { bulkAdjustStock(inputs: $inputs) { stockLevels { onHand } userErrors { code field } } }`;
const REORDER = `mutation($itemId: ID!, $locationId: ID!, $reorderPoint: Int) { setReorderPoint(itemId: $itemId, locationId: $locationId, reorderPoint: $reorderPoint) { stockLevel { reorderPoint available } userErrors { code } } }`;

beforeAll(async () => {
  platform = await startTestPlatform();
});
afterAll(async () => {
  await platform?.stop();
});

async function outboxEvents(tenant: string, type: string) {
  const client = new pg.Client({ connectionString: platform.databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query(`SELECT payload FROM inventory.outbox_events WHERE tenant_id = $1 AND type = $2 ORDER BY id`, [tenant, type]);
    return rows.map((r) => r.payload);
  } finally {
    await client.end();
  }
}

describe('documented claims of the stock ledger', () => {
  it('replays a business refusal stored under its idempotency key, even after stock has arrived', async () => {
    const tenant = uniqueTenant('claims');
    const { itemIds: [itemId], locationIds: [locationId] } = await seedCatalog(platform, tenant, { onHand: 2 });
    const input = { itemId, locationId, delta: -5, reason: 'DAMAGED', idempotencyKey: 'refused-once' };
    const first = await platform.as(tenant, ['clerk'], ADJUST, { input });
    expect(first.data.adjustStock.userErrors[0]).toMatchObject({ code: 'INSUFFICIENT_STOCK', available: 2 });
    await platform.as(tenant, ['clerk'], ADJUST, { input: { itemId, locationId, delta: 10, reason: 'RECEIVED' } });
    const again = await platform.as(tenant, ['clerk'], ADJUST, { input });
    expect(again.data.adjustStock).toEqual(first.data.adjustStock);
  });

  it('emits LowStock when a new reorder point puts an existing level below it, and not when it stays above', async () => {
    const tenant = uniqueTenant('claims');
    const { itemIds: [itemId], locationIds: [locationId] } = await seedCatalog(platform, tenant, { onHand: 5 });
    await platform.as(tenant, ['admin'], REORDER, { itemId, locationId, reorderPoint: 3 });
    expect(await outboxEvents(tenant, 'LowStock')).toHaveLength(0);
    const r = await platform.as(tenant, ['admin'], REORDER, { itemId, locationId, reorderPoint: 8 });
    expect(r.data.setReorderPoint.userErrors).toEqual([]);
    const low = await outboxEvents(tenant, 'LowStock');
    expect(low).toHaveLength(1);
    expect(low[0]).toMatchObject({ itemId, locationId, available: 5, reorderPoint: 8 });
  });

  it('refuses a bulkAdjustStock of more than 5,000 changes with LIMIT_EXCEEDED and applies none', async () => {
    const tenant = uniqueTenant('claims');
    const { itemIds: [itemId], locationIds: [locationId] } = await seedCatalog(platform, tenant);
    const inputs = Array.from({ length: 5001 }, () => ({ itemId, locationId, delta: 1, reason: 'RECEIVED' }));
    const r = await platform.as(tenant, ['clerk'], BULK, { inputs });
    const code = r.data?.bulkAdjustStock.userErrors[0]?.code ?? r.errors?.[0]?.extensions?.code;
    expect(code).toBe('LIMIT_EXCEEDED');
    const level = await platform.as(tenant, ['viewer'], `query($id: ID!) { item(id: $id) { stock { onHand } } }`, { id: itemId });
    expect(level.data.item.stock.onHand).toBe(0);
  });

  it('pages items with no skip and no repeat while new items are inserted concurrently', async () => {
    const tenant = uniqueTenant('claims');
    await seedCatalog(platform, tenant, { items: 120 });
    const seen: string[] = [];
    let after: string | null = null;
    let inserted = 0;
    for (;;) {
      const page: any = await platform.as(tenant, ['viewer'], `query($after: String) { items(first: 25, after: $after) { nodes { id sku } pageInfo { hasNextPage endCursor } } }`, { after });
      seen.push(...page.data.items.nodes.map((n: { sku: string }) => n.sku));
      // Between pages, someone adds items (their place in the order is wherever their key falls).
      await platform.as(tenant, ['admin'], `mutation($inputs: [UpsertItemInput!]!) { bulkUpsertItems(inputs: $inputs) { userErrors { code } } }`, {
        inputs: Array.from({ length: 5 }, (_, i) => ({ sku: `NEW-${inserted + i}`, name: `New ${inserted + i}` })),
      });
      inserted += 5;
      if (!page.data.items.pageInfo.hasNextPage) break;
      after = page.data.items.pageInfo.endCursor;
    }
    expect(new Set(seen).size).toBe(seen.length);
    const original = Array.from({ length: 120 }, (_, i) => `SKU-${i}`);
    expect(original.filter((sku) => !seen.includes(sku))).toEqual([]);
  });
});

describe('documented claims of the service boundary', () => {
  it('refuses a user token on the internal API and a service token on the public API', async () => {
    const tenant = uniqueTenant('claims');
    const user = await tokenFor(tenant, ['admin']);
    const internal = await fetch(`${platform.inventoryUrl}/internal/v1/reservations/release`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${user}` },
      body: JSON.stringify({ actorId: 'x', reservationIds: [] }),
    });
    expect(internal.status).toBe(403);
    const events = await fetch(`${platform.inventoryUrl}/internal/v1/events/inventory?after=0`, { headers: { authorization: `Bearer ${user}` } });
    expect(events.status).toBe(403);
    const service = await signToken({ sub: 'service:orders', tenant, roles: ['service'], secret: DEV_JWT_SECRET });
    const publicCall = await graphql(platform.url, { query: '{ items(first: 1) { totalCount } }', token: service });
    expect(publicCall.errors?.[0]?.extensions?.code).toMatch(/^(FORBIDDEN|UNAUTHENTICATED)$/);
    expect(publicCall.data?.items ?? null).toBeNull();
  });
});

describe('/readyz', () => {
  it('fails while the database refuses connections and recovers after', async () => {
    const name = new URL(platform.databaseUrl).pathname.slice(1);
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    try {
      await admin.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS false`);
      await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [name]);
      await eventually(async () => expect((await fetch(`${platform.inventoryUrl}/readyz`)).status).toBe(503));
      expect((await fetch(`${platform.gatewayUrl}/readyz`)).status).toBe(503);
    } finally {
      await admin.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`);
      await admin.end();
    }
    await eventually(async () => expect((await fetch(`${platform.inventoryUrl}/readyz`)).status).toBe(200));
    await eventually(async () => expect((await fetch(`${platform.gatewayUrl}/readyz`)).status).toBe(200));
  });
});

describe('/readyz of a service whose bus is down', () => {
  let redis: ChildProcess;
  let own: TestPlatform;
  let port: number;
  beforeAll(async () => {
    port = await freeLoopbackPort();
    redis = await startOwnRedis(port);
    own = await startTestPlatform({ env: { REDIS_URL: `redis://127.0.0.1:${port}` } });
  });
  afterAll(async () => {
    await own?.stop();
    if (redis) await stopOwnRedis(redis, 'SIGKILL');
  });

  it('fails while Redis is down and recovers when it is back', async () => {
    expect((await fetch(`${own.inventoryUrl}/readyz`)).status).toBe(200);
    await stopOwnRedis(redis, 'SIGKILL');
    await eventually(async () => expect((await fetch(`${own.inventoryUrl}/readyz`)).status).toBe(503));
    redis = await startOwnRedis(port);
    await eventually(async () => expect((await fetch(`${own.inventoryUrl}/readyz`)).status).toBe(200), 20_000);
  }, 40_000);
});

async function eventually(check: () => Promise<void>, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}
