/**
 * Subscriptions through the gateway, end to end: real Redis, real subgraphs, real graphql-ws clients
 * over real WebSockets (see ws-clients.ts). One platform for the file; each test has its own tenant.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_JWT_SECRET } from '@stockline/auth';
import { decodeCursor, encodeCursor } from '@stockline/events';
import { uniqueTenant } from '@stockline/testkit';
import { startTestPlatform, type TestPlatform } from '../../../test/support/test-platform.ts';
import { seedCatalog } from '../../../test/support/fixtures.ts';
import { CloseCode } from '../../src/subscriptions/close-code.ts';
import { collect, connect, startExtraGateway, tokenFor, until, wsUrlOf } from './ws-clients.ts';

const PREFIX = `test.${randomBytes(4).toString('hex')}.`;
let platform: TestPlatform;
let url: string;

beforeAll(async () => {
  platform = await startTestPlatform({ env: { EVENTS_CHANNEL_PREFIX: PREFIX, WS_INIT_TIMEOUT_MS: '1000' } });
  url = wsUrlOf(platform.gatewayUrl);
});
afterAll(async () => platform?.stop());

const STOCK_CHANGED = `subscription($after: String, $itemIds: [ID!]) { stockChanged(after: $after, itemIds: $itemIds) { cursor reason onHand onHandDelta item { id sku } location { code } } }`;

async function adjust(tenant: string, itemId: string, locationId: string, delta: number) {
  const { data, errors } = await platform.as(tenant, ['clerk'], `mutation($i: AdjustStockInput!) { adjustStock(input: $i) { stockLevel { onHand } userErrors { code } } }`, {
    i: { itemId, locationId, delta, reason: delta > 0 ? 'RECEIVED' : 'CORRECTION' },
  });
  expect(errors).toBeUndefined();
  expect(data.adjustStock.userErrors).toEqual([]);
  return data.adjustStock.stockLevel.onHand as number;
}

async function placeOrder(tenant: string, itemId: string, quantity: number) {
  const { data, errors } = await platform.as(tenant, ['clerk'], `mutation($i: PlaceOrderInput!) { placeOrder(input: $i) { order { id status } userErrors { code } } }`, {
    i: { lines: [{ itemId, quantity }], shippingAddress: { name: 'Ada', line1: '1 St', city: 'London', postalCode: 'SW1', country: 'GB' } },
  });
  expect(errors).toBeUndefined();
  expect(data.placeOrder.userErrors).toEqual([]);
  return data.placeOrder.order as { id: string; status: string };
}

/** A client of `tenant` with a subscriber whose starting point is fixed on the gateway before returning. */
async function subscribed(server: { subscriptions: { listenerCount: number } | null }, wsUrl: string, tenant: string, query: string, variables?: Record<string, unknown>) {
  const before = server.subscriptions!.listenerCount;
  const client = connect(wsUrl, await tokenFor(tenant, ['viewer']));
  const sub = collect(client, query, variables);
  await until(() => server.subscriptions!.listenerCount > before);
  return { client, sub };
}

describe('stockChanged', () => {
  it('reaches a subscriber of another gateway instance when the change is made through the first', async () => {
    const tenant = uniqueTenant('multi');
    const { itemIds, locationIds } = await seedCatalog(platform, tenant);
    const other = await startExtraGateway(platform, PREFIX);
    try {
      const { client, sub } = await subscribed(other.server, other.url, tenant, STOCK_CHANGED);
      await adjust(tenant, itemIds[0], locationIds[0], 7);
      const [event] = await sub.waitFor(1);
      expect(event).toMatchObject({ reason: 'RECEIVED', onHand: 7, onHandDelta: 7, item: { id: itemIds[0], sku: 'SKU-0' }, location: { code: 'A' } });
      expect(decodeCursor('inventory', event.cursor)).toBeGreaterThan(0);
      await client.dispose();
    } finally {
      await other.server.stop();
    }
  });

  it('hydrates fields of two subgraphs exactly as a query returns them right after', async () => {
    const tenant = uniqueTenant('hydrate');
    const { itemIds, locationIds } = await seedCatalog(platform, tenant, { onHand: 10 });
    const selection = `order { number status lines { quantity location { code } item { sku name stock { onHand reserved available } stockLevels { available } } } }`;
    const { client, sub } = await subscribed(platform.gateway, url, tenant, `subscription { orderStatusChanged { previousStatus ${selection} } }`);
    const order = await placeOrder(tenant, itemIds[0], 3);
    const events = await sub.waitFor(2);
    expect(events.map((e) => e.previousStatus)).toEqual([null, 'PENDING']);
    const { data } = await platform.as(tenant, ['viewer'], `query($id: ID!) { ${selection.replace('order {', 'order(id: $id) {')} }`, { id: order.id });
    expect(events[1].order).toEqual(data.order);
    expect(events[1].order.lines[0].item.stock).toEqual({ onHand: 10, reserved: 3, available: 7 });
    expect(locationIds).toHaveLength(1);
    await client.dispose();
  });

  it('applies itemIds before anything else: other items are never delivered', async () => {
    const tenant = uniqueTenant('filter');
    const { itemIds, locationIds } = await seedCatalog(platform, tenant, { items: 2 });
    const { client, sub } = await subscribed(platform.gateway, url, tenant, STOCK_CHANGED, { itemIds: [itemIds[1]] });
    await adjust(tenant, itemIds[0], locationIds[0], 1);
    await adjust(tenant, itemIds[1], locationIds[0], 2);
    const [event] = await sub.waitFor(1);
    expect(event.item.id).toBe(itemIds[1]);
    await client.dispose();
  });
});

describe('resume with after', () => {
  it('delivers exactly the 5 changes made while disconnected, in order, then live ones', async () => {
    const tenant = uniqueTenant('resume');
    const { itemIds, locationIds } = await seedCatalog(platform, tenant);
    const first = await subscribed(platform.gateway, url, tenant, STOCK_CHANGED);
    await adjust(tenant, itemIds[0], locationIds[0], 1);
    const [seen] = await first.sub.waitFor(1);
    await first.client.dispose();
    for (let delta = 2; delta <= 6; delta++) await adjust(tenant, itemIds[0], locationIds[0], delta);

    const client = connect(url, await tokenFor(tenant, ['viewer']));
    const sub = collect(client, STOCK_CHANGED, { after: seen.cursor });
    const missed = await sub.waitFor(5);
    expect(missed.map((e) => e.onHandDelta)).toEqual([2, 3, 4, 5, 6]);
    await adjust(tenant, itemIds[0], locationIds[0], 7);
    const all = await sub.waitFor(6);
    expect(all.map((e) => e.onHandDelta)).toEqual([2, 3, 4, 5, 6, 7]);
    expect(all.map((e) => e.onHand)).toEqual([3, 6, 10, 15, 21, 28]);
    expectIncreasingCursors(all);
    await client.dispose();
  });

  it('delivers the missed changes across a gateway restart', async () => {
    const tenant = uniqueTenant('restart');
    const { itemIds, locationIds } = await seedCatalog(platform, tenant);
    const before = await startExtraGateway(platform, PREFIX);
    const first = await subscribed(before.server, before.url, tenant, STOCK_CHANGED);
    await adjust(tenant, itemIds[0], locationIds[0], 1);
    const [seen] = await first.sub.waitFor(1);
    await before.server.stop();
    await until(() => first.sub.error !== null || first.sub.completed);
    for (let delta = 2; delta <= 6; delta++) await adjust(tenant, itemIds[0], locationIds[0], delta);

    const after = await startExtraGateway(platform, PREFIX);
    try {
      const client = connect(after.url, await tokenFor(tenant, ['viewer']));
      const sub = collect(client, STOCK_CHANGED, { after: seen.cursor });
      expect((await sub.waitFor(5)).map((e) => e.onHandDelta)).toEqual([2, 3, 4, 5, 6]);
      await adjust(tenant, itemIds[0], locationIds[0], 7);
      expect((await sub.waitFor(6)).map((e) => e.onHandDelta)).toEqual([2, 3, 4, 5, 6, 7]);
      await client.dispose();
    } finally {
      await after.server.stop();
    }
  });

  it('loses and repeats nothing when 20 changes race the resubscription', async () => {
    const tenant = uniqueTenant('race');
    const { itemIds, locationIds } = await seedCatalog(platform, tenant);
    const first = await subscribed(platform.gateway, url, tenant, STOCK_CHANGED);
    await adjust(tenant, itemIds[0], locationIds[0], 1);
    const [seen] = await first.sub.waitFor(1);
    await first.client.dispose();

    const changes = (async () => {
      for (let delta = 2; delta <= 21; delta++) await adjust(tenant, itemIds[0], locationIds[0], delta);
    })();
    const client = connect(url, await tokenFor(tenant, ['viewer']));
    const sub = collect(client, STOCK_CHANGED, { after: seen.cursor });
    await changes;
    const all = await sub.waitFor(20);
    expect(all.map((e) => e.onHandDelta)).toEqual(Array.from({ length: 20 }, (_, i) => i + 2));
    expectIncreasingCursors(all);
    await client.dispose();
  });

  it('refuses a malformed cursor or one of another stream with BAD_USER_INPUT', async () => {
    const tenant = uniqueTenant('badcursor');
    const client = connect(url, await tokenFor(tenant, ['viewer']));
    for (const after of ['not-a-cursor', encodeCursor('orders', 1)]) {
      const sub = collect(client, STOCK_CHANGED, { after });
      const errors = (await sub.failure()) as { extensions?: { code?: string } }[];
      expect(errors[0].extensions?.code).toBe('BAD_USER_INPUT');
    }
    await client.dispose();
  });

  it('refuses a cursor older than retention with CURSOR_EXPIRED', async () => {
    const tenant = uniqueTenant('expired');
    const { itemIds, locationIds } = await seedCatalog(platform, tenant);
    for (let i = 0; i < 3; i++) await adjust(tenant, itemIds[0], locationIds[0], 1);
    // What the relay's pruning records once events older than retention are deleted.
    const db = new pg.Client({ connectionString: platform.databaseUrl });
    await db.connect();
    await db.query('UPDATE inventory.tenant_sequences SET pruned_through_seq = 2 WHERE tenant_id = $1', [tenant]);
    await db.end();
    const client = connect(url, await tokenFor(tenant, ['viewer']));
    const sub = collect(client, STOCK_CHANGED, { after: encodeCursor('inventory', 1) });
    const errors = (await sub.failure()) as { extensions?: { code?: string } }[];
    expect(errors[0].extensions?.code).toBe('CURSOR_EXPIRED');
    await client.dispose();
  });
});

describe('lowStock and orderStatusChanged', () => {
  it('fires lowStock once per crossing below the reorder point, with the level hydrated', async () => {
    const tenant = uniqueTenant('low');
    const { itemIds, locationIds } = await seedCatalog(platform, tenant, { onHand: 12 });
    const { errors } = await platform.as(tenant, ['admin'], `mutation($i: ID!, $l: ID!) { setReorderPoint(itemId: $i, locationId: $l, reorderPoint: 10) { userErrors { code } } }`, { i: itemIds[0], l: locationIds[0] });
    expect(errors).toBeUndefined();
    const changes = await subscribed(platform.gateway, url, tenant, STOCK_CHANGED);
    const low = collect(changes.client, `subscription { lowStock { cursor stockLevel { reorderPoint item { sku } location { code } } } }`);
    await until(() => platform.gateway.subscriptions!.listenerCount >= 2);
    for (const delta of [-3, -2, +10, -9]) await adjust(tenant, itemIds[0], locationIds[0], delta); // 9 (crosses), 7, 17, 8 (crosses)
    const stock = await changes.sub.waitFor(4);
    const alerts = await low.waitFor(2);
    // Each LowStock is written right after the StockChanged that crossed, in the same transaction.
    const seq = (e: { cursor: string }) => decodeCursor('inventory', e.cursor)!;
    expect(alerts.map(seq)).toEqual([seq(stock[0]) + 1, seq(stock[3]) + 1]);
    expect(alerts[0].stockLevel).toEqual({ reorderPoint: 10, item: { sku: 'SKU-0' }, location: { code: 'A' } });
    await changes.client.dispose();
  });

  it('sends orderStatusChanged for each status change of the order asked for', async () => {
    const tenant = uniqueTenant('orders');
    const { itemIds } = await seedCatalog(platform, tenant, { onHand: 10 });
    const other = await placeOrder(tenant, itemIds[0], 1);
    const mine = await placeOrder(tenant, itemIds[0], 2);
    const { client, sub } = await subscribed(platform.gateway, url, tenant, `subscription($id: ID) { orderStatusChanged(orderId: $id) { previousStatus order { id status } } }`, { id: mine.id });
    for (const id of [other.id, mine.id]) {
      const { data } = await platform.as(tenant, ['clerk'], `mutation($id: ID!) { cancelOrder(id: $id) { order { status } userErrors { code } } }`, { id });
      expect(data.cancelOrder.userErrors).toEqual([]);
    }
    const [event] = await sub.waitFor(1);
    expect(event).toEqual({ previousStatus: 'RESERVED', order: { id: mine.id, status: 'CANCELLED' } });
    await client.dispose();
  });
});

describe('isolation and security', () => {
  it("gives tenant B, subscribed to everything, nothing of tenant A's", async () => {
    const a = uniqueTenant('tenant-a');
    const b = uniqueTenant('tenant-b');
    const seededA = await seedCatalog(platform, a, { onHand: 5 });
    const seededB = await seedCatalog(platform, b, { onHand: 5 });
    const watchB = await subscribed(platform.gateway, url, b, `subscription { stockChanged { item { id } } }`);
    const ordersB = collect(watchB.client, `subscription { orderStatusChanged { order { id } } }`);
    const lowB = collect(watchB.client, `subscription { lowStock { stockLevel { item { id } } } }`);
    await until(() => platform.gateway.subscriptions!.listenerCount >= 3);
    await adjust(a, seededA.itemIds[0], seededA.locationIds[0], -5);
    await placeOrder(a, seededA.itemIds[0], 0 + 1).catch(() => {});
    // B's own changes come after A's in the log: anything of A's would have arrived first.
    await adjust(b, seededB.itemIds[0], seededB.locationIds[0], 1);
    const orderB = await placeOrder(b, seededB.itemIds[0], 1);
    expect((await watchB.sub.waitFor(1))[0].item.id).toBe(seededB.itemIds[0]);
    expect((await ordersB.waitFor(1))[0].order.id).toBe(orderB.id);
    const everything = [...watchB.sub.events(), ...ordersB.events(), ...lowB.events()];
    expect(JSON.stringify(everything)).not.toContain(seededA.itemIds[0]);
    await watchB.client.dispose();
  });

  it('closes with 4403 without a token and with a forged one', async () => {
    const forged = await tokenFor('t', ['admin'], { secret: `${DEV_JWT_SECRET}-forged` });
    for (const payload of [{}, { authorization: `Bearer ${forged}` }]) expect(await closeCodeOf(payload)).toBe(CloseCode.Forbidden);
  });

  it('closes with 4408 when no connection_init comes in time', async () => {
    expect(await closeCodeOf(null)).toBe(CloseCode.ConnectionInitialisationTimeout);
  });

  it('ends the connection when its token expires', async () => {
    const token = await tokenFor(uniqueTenant('expiring'), ['viewer'], { expiresIn: '2s' });
    expect(await closeCodeOf({ authorization: `Bearer ${token}` })).toBe(CloseCode.Forbidden);
  });

  it('refuses a subscription without the read scope of its field with FORBIDDEN', async () => {
    const client = connect(url, await tokenFor(uniqueTenant('service'), ['service']));
    const errors = (await collect(client, STOCK_CHANGED).failure()) as { extensions?: { code?: string } }[];
    expect(errors[0].extensions?.code).toBe('FORBIDDEN');
    await client.dispose();
  });
});

describe('scale', () => {
  it('delivers one event to 1,000 concurrent subscribers of one gateway, hydrated once', async () => {
    const tenant = uniqueTenant('thousand');
    const { itemIds, locationIds } = await seedCatalog(platform, tenant);
    const token = await tokenFor(tenant, ['viewer']);
    const before = platform.gateway.subscriptions!.listenerCount;
    const clients = Array.from({ length: 1_000 }, () => connect(url, token));
    const subs = clients.map((c) => collect(c, `subscription { stockChanged { cursor onHand item { sku } } }`));
    await until(() => platform.gateway.subscriptions!.listenerCount - before === 1_000, 60_000);
    expect(platform.gateway.subscriptions!.groupCount).toBe(1);
    await adjust(tenant, itemIds[0], locationIds[0], 3);
    const received = await Promise.all(subs.map((s) => s.waitFor(1, 60_000)));
    expect(received.every(([e]) => e.onHand === 3 && e.item.sku === 'SKU-0')).toBe(true);
    await Promise.all(clients.map((c) => c.dispose()));
  });
});

function expectIncreasingCursors(events: { cursor: string }[]) {
  const seqs = events.map((e) => decodeCursor('inventory', e.cursor)!);
  for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBeGreaterThan(seqs[i - 1]);
}

/** Opens a raw socket, sends connection_init with `payload` (nothing when null), returns the close code. */
function closeCodeOf(payload: Record<string, unknown> | null): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, 'graphql-transport-ws');
    socket.on('open', () => payload && socket.send(JSON.stringify({ type: 'connection_init', payload })));
    socket.on('close', (code) => resolve(code));
    socket.on('error', reject);
  });
}
