import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEventsAfter } from '@stockline/events';
import { TEST_REDIS_URL, uniqueTenant } from '@stockline/testkit';
import { ledgerSums, readLevel, seedCatalog } from '../support/fixtures.ts';
import { startTestPlatform, type TestPlatform } from '../support/test-platform.ts';

let platform: TestPlatform;
let subscriber: Redis;
const events: { tenantId: string; seq: number; type: string; id: string; payload: any }[] = [];
const tenant = uniqueTenant('stock');
const clerk = (query: string, variables?: Record<string, unknown>) => platform.as(tenant, ['clerk'], query, variables);
let items: string[];
let locations: string[];

const ADJUST = `mutation($input: AdjustStockInput!) { adjustStock(input: $input) { stockLevel { onHand reserved available version } movement { id reason onHandDelta reservedDelta onHandAfter reservedAfter reference actorId item { id } location { id } } userErrors { code field available current itemId } } }`;
const SET = `mutation($input: SetStockInput!) { setStock(input: $input) { stockLevel { onHand reserved available } movement { reason onHandDelta } userErrors { code field available current } } }`;
const TRANSFER = `mutation($input: TransferStockInput!) { transferStock(input: $input) { from { onHand location { id } } to { onHand location { id } } userErrors { code field available } } }`;
const RESERVE = `mutation($input: ReserveStockInput!) { reserveStock(input: $input) { reservation { id status quantity expiresAt reference item { id } location { id } } userErrors { code field available } } }`;
const RELEASE = `mutation($id: ID!) { releaseReservation(id: $id) { reservation { id status } userErrors { code field } } }`;
const REORDER = `mutation($itemId: ID!, $locationId: ID!, $reorderPoint: Int) { setReorderPoint(itemId: $itemId, locationId: $locationId, reorderPoint: $reorderPoint) { stockLevel { reorderPoint available } movement { id } userErrors { code field } } }`;
const BULK = `mutation($inputs: [AdjustStockInput!]!, $mode: BulkMode) { bulkAdjustStock(inputs: $inputs, mode: $mode) { stockLevels { onHand } userErrors { code field } } }`;

const waitFor = async <T>(check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 15_000): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
};

beforeAll(async () => {
  platform = await startTestPlatform();
  subscriber = new Redis(TEST_REDIS_URL);
  const channel = `${platform.inventory.relay['options'].channel}`;
  await subscriber.subscribe(channel);
  subscriber.on('message', (_channel, message) => events.push(JSON.parse(message)));
  ({ itemIds: items, locationIds: locations } = await seedCatalog(platform, tenant, { items: 4, locations: ['A', 'B'], onHand: 0 }));
});
afterAll(async () => {
  await subscriber?.quit();
  await platform?.stop();
});

describe('adjustStock', () => {
  it('records a ledger line with reason, reference, actor and the quantities after it', async () => {
    const { data } = await clerk(ADJUST, { input: { itemId: items[0], locationId: locations[0], delta: 40, reason: 'RECEIVED', reference: 'PO-1001' } });
    expect(data.adjustStock.userErrors).toEqual([]);
    expect(data.adjustStock.stockLevel).toMatchObject({ onHand: 40, reserved: 0, available: 40 });
    expect(data.adjustStock.movement).toMatchObject({ reason: 'RECEIVED', onHandDelta: 40, reservedDelta: 0, onHandAfter: 40, reservedAfter: 0, reference: 'PO-1001', actorId: 'test-user', item: { id: items[0] }, location: { id: locations[0] } });
  });

  it('refuses a stale changeFromQuantity with QUANTITY_STALE and the current onHand', async () => {
    const { data } = await clerk(ADJUST, { input: { itemId: items[0], locationId: locations[0], delta: 1, reason: 'CORRECTION', changeFromQuantity: 39 } });
    expect(data.adjustStock.userErrors[0]).toMatchObject({ code: 'QUANTITY_STALE', current: 40, field: ['input', 'changeFromQuantity'] });
    const ok = await clerk(ADJUST, { input: { itemId: items[0], locationId: locations[0], delta: 1, reason: 'CORRECTION', changeFromQuantity: 40 } });
    expect(ok.data.adjustStock.stockLevel.onHand).toBe(41);
  });

  it('answers bad input with a specific code on the field and changes nothing', async () => {
    const before = await readLevel(platform, tenant, items[0], locations[0]);
    const cases = [
      [{ itemId: items[0], locationId: locations[0], delta: 0, reason: 'RECEIVED' }, 'INVALID_INPUT', ['input', 'delta']],
      [{ itemId: items[0], locationId: locations[0], delta: -5, reason: 'SHIPPED' }, 'INVALID_INPUT', ['input', 'reason']],
      [{ itemId: items[0], locationId: locations[0], delta: -500, reason: 'DAMAGED' }, 'INSUFFICIENT_STOCK', ['input', 'delta']],
      [{ itemId: '00000000-0000-0000-0000-000000000000', locationId: locations[0], delta: 1, reason: 'RECEIVED' }, 'NOT_FOUND', ['input', 'itemId']],
      [{ itemId: items[0], locationId: 'nope', delta: 1, reason: 'RECEIVED' }, 'NOT_FOUND', ['input', 'locationId']],
    ] as const;
    for (const [input, code, field] of cases) {
      const { data } = await clerk(ADJUST, { input });
      expect(data.adjustStock.userErrors[0]).toMatchObject({ code, field });
      expect(data.adjustStock.stockLevel).toBeNull();
    }
    expect(await readLevel(platform, tenant, items[0], locations[0])).toEqual(before);
  });

  it('returns INSUFFICIENT_STOCK with what was available, counting reservations', async () => {
    const hold = await clerk(RESERVE, { input: { itemId: items[0], locationId: locations[0], quantity: 30 } });
    const { data } = await clerk(ADJUST, { input: { itemId: items[0], locationId: locations[0], delta: -12, reason: 'DAMAGED' } });
    expect(data.adjustStock.userErrors[0]).toMatchObject({ code: 'INSUFFICIENT_STOCK', available: 11, itemId: items[0] });
    await clerk(RELEASE, { id: hold.data.reserveStock.reservation.id });
  });

  it('refuses a variable of the wrong type with BAD_USER_INPUT', async () => {
    const response = await clerk(ADJUST, { input: { itemId: items[0], locationId: locations[0], delta: 'ten', reason: 'RECEIVED' } });
    expect(response.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('setStock', () => {
  it('sets onHand through a ledger line of the difference, and a no-op writes nothing', async () => {
    const { data } = await clerk(SET, { input: { itemId: items[1], locationId: locations[0], onHand: 25 } });
    expect(data.setStock).toMatchObject({ stockLevel: { onHand: 25 }, movement: { reason: 'CORRECTION', onHandDelta: 25 }, userErrors: [] });
    const again = await clerk(SET, { input: { itemId: items[1], locationId: locations[0], onHand: 25 } });
    expect(again.data.setStock.movement).toBeNull();
    expect((await ledgerSums(platform, tenant, items[1], locations[0])).count).toBe(1);
  });

  it('refuses a negative onHand, or one below what is reserved', async () => {
    const negative = await clerk(SET, { input: { itemId: items[1], locationId: locations[0], onHand: -1 } });
    expect(negative.data.setStock.userErrors[0]).toMatchObject({ code: 'INVALID_INPUT', field: ['input', 'onHand'] });
    const hold = await clerk(RESERVE, { input: { itemId: items[1], locationId: locations[0], quantity: 10 } });
    const below = await clerk(SET, { input: { itemId: items[1], locationId: locations[0], onHand: 9 } });
    expect(below.data.setStock.userErrors[0]).toMatchObject({ code: 'INSUFFICIENT_STOCK', available: 15 });
    await clerk(RELEASE, { id: hold.data.reserveStock.reservation.id });
  });
});

describe('transferStock', () => {
  it('moves available quantity between locations with TRANSFER_OUT and TRANSFER_IN lines', async () => {
    const { data } = await clerk(TRANSFER, { input: { itemId: items[1], fromLocationId: locations[0], toLocationId: locations[1], quantity: 5, reference: 'TR-1' } });
    expect(data.transferStock.userErrors).toEqual([]);
    expect(data.transferStock.from).toMatchObject({ onHand: 20, location: { id: locations[0] } });
    expect(data.transferStock.to).toMatchObject({ onHand: 5, location: { id: locations[1] } });
    const { data: ledger } = await clerk(`query($item: ID) { stockMovements(first: 2, itemId: $item) { nodes { reason onHandDelta reference } } }`, { item: items[1] });
    expect(ledger.stockMovements.nodes).toEqual([
      { reason: 'TRANSFER_IN', onHandDelta: 5, reference: 'TR-1' },
      { reason: 'TRANSFER_OUT', onHandDelta: -5, reference: 'TR-1' },
    ]);
  });

  it('refuses more than is available, and the same location twice, changing neither', async () => {
    const short = await clerk(TRANSFER, { input: { itemId: items[1], fromLocationId: locations[0], toLocationId: locations[1], quantity: 21 } });
    expect(short.data.transferStock.userErrors[0]).toMatchObject({ code: 'INSUFFICIENT_STOCK', available: 20 });
    const same = await clerk(TRANSFER, { input: { itemId: items[1], fromLocationId: locations[0], toLocationId: locations[0], quantity: 1 } });
    expect(same.data.transferStock.userErrors[0]).toMatchObject({ code: 'INVALID_INPUT', field: ['input', 'toLocationId'] });
    expect((await readLevel(platform, tenant, items[1], locations[1]))!.onHand).toBe(5);
  });
});

describe('reservations', () => {
  it('moves quantity from available to reserved and back on release, which is idempotent', async () => {
    const { data } = await clerk(RESERVE, { input: { itemId: items[1], locationId: locations[1], quantity: 4, reference: 'cart-9' } });
    const reservation = data.reserveStock.reservation;
    expect(reservation).toMatchObject({ status: 'ACTIVE', quantity: 4, expiresAt: null, reference: 'cart-9' });
    expect(await readLevel(platform, tenant, items[1], locations[1])).toMatchObject({ onHand: 5, reserved: 4, available: 1 });
    const released = await clerk(RELEASE, { id: reservation.id });
    expect(released.data.releaseReservation.reservation.status).toBe('RELEASED');
    const twice = await clerk(RELEASE, { id: reservation.id });
    expect(twice.data.releaseReservation).toEqual({ reservation: { id: reservation.id, status: 'RELEASED' }, userErrors: [] });
    expect(await readLevel(platform, tenant, items[1], locations[1])).toMatchObject({ reserved: 0, available: 5 });
    expect(await ledgerSums(platform, tenant, items[1], locations[1])).toMatchObject({ onHand: 5, reserved: 0 });
  });

  it('expires a hold with ttlSeconds 2 within 15 s: EXPIRED, a RELEASED line, available again', async () => {
    const { data } = await clerk(RESERVE, { input: { itemId: items[1], locationId: locations[1], quantity: 3, ttlSeconds: 2 } });
    const id = data.reserveStock.reservation.id;
    expect(new Date(data.reserveStock.reservation.expiresAt).getTime()).toBeGreaterThan(Date.now());
    await waitFor(async () => (await clerk(`query($id: ID!) { reservation(id: $id) { status } }`, { id })).data.reservation.status === 'EXPIRED');
    expect(await readLevel(platform, tenant, items[1], locations[1])).toMatchObject({ reserved: 0, available: 5 });
    const { data: ledger } = await clerk(`query($item: ID) { stockMovements(first: 1, itemId: $item, reason: RELEASED) { nodes { reservedDelta actorId } } }`, { item: items[1] });
    expect(ledger.stockMovements.nodes[0]).toEqual({ reservedDelta: -3, actorId: 'system:reservation-sweeper' });
  });

  it('refuses quantity 0, a bad ttl, and unknown reservations', async () => {
    const zero = await clerk(RESERVE, { input: { itemId: items[1], locationId: locations[1], quantity: 0 } });
    expect(zero.data.reserveStock.userErrors[0]).toMatchObject({ code: 'INVALID_INPUT', field: ['input', 'quantity'] });
    const ttl = await clerk(RESERVE, { input: { itemId: items[1], locationId: locations[1], quantity: 1, ttlSeconds: 0 } });
    expect(ttl.data.reserveStock.userErrors[0]).toMatchObject({ code: 'INVALID_INPUT', field: ['input', 'ttlSeconds'] });
    const unknown = await clerk(RELEASE, { id: '00000000-0000-0000-0000-000000000000' });
    expect(unknown.data.releaseReservation.userErrors[0]).toMatchObject({ code: 'NOT_FOUND', field: ['id'] });
  });
});

describe('bulkAdjustStock', () => {
  it('applies 1,000 changes in one call, several to the same level in order', async () => {
    const inputs = Array.from({ length: 1000 }, (_, i) => ({ itemId: items[2 + (i % 2)], locationId: locations[i % 4 < 2 ? 0 : 1], delta: 2, reason: 'RECEIVED' }));
    const { data } = await clerk(BULK, { inputs });
    expect(data.bulkAdjustStock.userErrors).toEqual([]);
    expect(data.bulkAdjustStock.stockLevels).toHaveLength(1000);
    expect((await readLevel(platform, tenant, items[2], locations[0]))!.onHand).toBe(500);
    expect((await ledgerSums(platform, tenant, items[2], locations[0])).count).toBe(250);
  });

  it('in PER_ITEM mode keeps the good changes and points at the bad one', async () => {
    const inputs = [
      { itemId: items[2], locationId: locations[0], delta: -1, reason: 'DAMAGED' },
      { itemId: items[2], locationId: locations[0], delta: -10_000, reason: 'DAMAGED' },
      { itemId: items[2], locationId: locations[0], delta: -1, reason: 'DAMAGED' },
    ];
    const { data } = await clerk(BULK, { inputs, mode: 'PER_ITEM' });
    expect(data.bulkAdjustStock.stockLevels.map((l: { onHand: number } | null) => l?.onHand ?? null)).toEqual([498, null, 498]);
    expect(data.bulkAdjustStock.userErrors).toEqual([{ code: 'INSUFFICIENT_STOCK', field: ['inputs', '1', 'delta'] }]);
  });

  it('in ATOMIC mode changes nothing when one change fails', async () => {
    const inputs = [
      { itemId: items[2], locationId: locations[0], delta: -1, reason: 'DAMAGED' },
      { itemId: items[2], locationId: locations[0], delta: 1, reason: 'RECEIVED', changeFromQuantity: 3 },
    ];
    const { data } = await clerk(BULK, { inputs, mode: 'ATOMIC' });
    expect(data.bulkAdjustStock.stockLevels).toEqual([null, null]);
    expect(data.bulkAdjustStock.userErrors).toEqual([{ code: 'QUANTITY_STALE', field: ['inputs', '1', 'changeFromQuantity'] }]);
    expect((await readLevel(platform, tenant, items[2], locations[0]))!.onHand).toBe(498);
  });
});

describe('reorder points and low stock', () => {
  it('emits one LowStock event when available crosses below the reorder point, not on further falls', async () => {
    await clerk(SET, { input: { itemId: items[3], locationId: locations[1], onHand: 20 } });
    const set = await clerk(REORDER, { itemId: items[3], locationId: locations[1], reorderPoint: 10 });
    expect(set.data.setReorderPoint).toMatchObject({ stockLevel: { reorderPoint: 10, available: 20 }, movement: null, userErrors: [] });
    for (const delta of [-5, -6, -3]) await clerk(ADJUST, { input: { itemId: items[3], locationId: locations[1], delta, reason: 'DAMAGED', reference: `low-${delta}` } });
    const below = await clerk(`query($loc: ID) { items(first: 10, filter: { belowReorderPoint: true, locationId: $loc }) { nodes { id } } }`, { loc: locations[1] });
    expect(below.data.items.nodes.map((n: { id: string }) => n.id)).toEqual([items[3]]);
    // The last change is published after everything before it.
    await waitFor(() => events.some((e) => e.tenantId === tenant && e.payload.reference === 'low--3'));
    const lows = events.filter((e) => e.tenantId === tenant && e.type === 'LowStock' && e.payload.itemId === items[3]);
    expect(lows).toHaveLength(1);
    expect(lows[0].payload).toMatchObject({ available: 9, reorderPoint: 10, locationId: locations[1] });
  });

  it('refuses a negative reorder point and clears one with null', async () => {
    const bad = await clerk(REORDER, { itemId: items[3], locationId: locations[1], reorderPoint: -1 });
    expect(bad.data.setReorderPoint.userErrors[0]).toMatchObject({ code: 'INVALID_INPUT', field: ['reorderPoint'] });
    const cleared = await clerk(REORDER, { itemId: items[3], locationId: locations[1], reorderPoint: null });
    expect(cleared.data.setReorderPoint.stockLevel.reorderPoint).toBeNull();
  });
});

describe('the event stream', () => {
  it('publishes every change once, numbered strictly increasing per tenant with no gap', async () => {
    const { data } = await clerk(`{ stockMovements(first: 0) { totalCount } }`);
    const mine = await waitFor(() => {
      const list = events.filter((e) => e.tenantId === tenant && e.type === 'StockChanged');
      return list.length >= data.stockMovements.totalCount && list;
    });
    const all = events.filter((e) => e.tenantId === tenant);
    const seqs = all.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(all.map((e) => e.id)).size).toBe(all.length);
    expect(seqs.at(-1)! - seqs[0] + 1).toBe(seqs.length);
    expect(mine).toHaveLength(data.stockMovements.totalCount);
  });

  it('replays a tenant\'s events after any sequence number from the outbox, in order, as they were published', async () => {
    const published = events.filter((e) => e.tenantId === tenant);
    const from = published[Math.floor(published.length / 2)].seq;
    const last = published.at(-1)!.seq;
    const replayed = (await readEventsAfter(platform.inventory.pool, { stream: 'inventory', tenantId: tenant, afterSeq: from, limit: 10_000 })).filter((e) => e.seq <= last);
    const expected = published.filter((e) => e.seq > from);
    expect(replayed.map((e) => [e.seq, e.id, e.type])).toEqual(expected.map((e) => [e.seq, e.id, e.type]));
    const other = await readEventsAfter(platform.inventory.pool, { stream: 'inventory', tenantId: uniqueTenant('nobody'), afterSeq: 0 });
    expect(other).toEqual([]);
  });

  it('keeps the ledger immutable in the database itself', async () => {
    const client = new pg.Client({ connectionString: platform.databaseUrl });
    await client.connect();
    try {
      await expect(client.query(`UPDATE inventory.stock_movements SET on_hand_delta = 0 WHERE tenant_id = $1`, [tenant])).rejects.toThrow();
      await expect(client.query(`DELETE FROM inventory.stock_movements WHERE tenant_id = $1`, [tenant])).rejects.toThrow();
      await expect(client.query(`UPDATE inventory.stock_levels SET reserved = on_hand + 1 WHERE tenant_id = $1`, [tenant])).rejects.toThrow();
    } finally {
      await client.end();
    }
  });
});

describe('lists', () => {
  it('filters items in stock and out of stock, at a location or anywhere', async () => {
    const query = `query($f: ItemFilter) { items(first: 10, filter: $f) { nodes { id } } }`;
    const ids = async (f: Record<string, unknown>) => (await clerk(query, { f })).data.items.nodes.map((n: { id: string }) => n.id).sort();
    expect(await ids({ inStock: true, locationId: locations[1] })).toEqual([items[1], items[2], items[3]].sort());
    expect(await ids({ inStock: false })).toEqual([]);
    expect(await ids({ inStock: true })).toEqual([...items].sort());
  });

  it('refuses first beyond 250 on the ledger with BAD_USER_INPUT', async () => {
    expect((await clerk(`{ stockMovements(first: 1000) { totalCount } }`)).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('tenant isolation', () => {
  it('hides levels, movements and reservations from another tenant and refuses changes with NOT_FOUND', async () => {
    const other = uniqueTenant('intruder');
    const { data } = await clerk(RESERVE, { input: { itemId: items[2], locationId: locations[0], quantity: 1 } });
    const reservationId = data.reserveStock.reservation.id;
    const as = (query: string, variables?: Record<string, unknown>) => platform.as(other, ['admin'], query, variables);
    expect((await as(`query($id: ID!) { reservation(id: $id) { id } }`, { id: reservationId })).data.reservation).toBeNull();
    expect((await as(`query($item: ID) { stockMovements(first: 5, itemId: $item) { totalCount } }`, { item: items[2] })).data.stockMovements.totalCount).toBe(0);
    expect((await as(`query($id: ID!) { item(id: $id) { id } }`, { id: items[2] })).data.item).toBeNull();
    const adjust = await as(ADJUST, { input: { itemId: items[2], locationId: locations[0], delta: -1, reason: 'DAMAGED' } });
    expect(adjust.data.adjustStock.userErrors[0].code).toBe('NOT_FOUND');
    const release = await as(RELEASE, { id: reservationId });
    expect(release.data.releaseReservation.userErrors[0].code).toBe('NOT_FOUND');
    expect(await readLevel(platform, tenant, items[2], locations[0])).toMatchObject({ onHand: 498, reserved: 1 });
  });
});
