import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRepositories, type Repositories } from '../src/data/repositories.ts';
import { StockService } from '../src/domain/stock.service.ts';
import { ReservationService } from '../src/domain/reservation.service.ts';
import { openStockDatabase, type StockDatabase } from './support/stock-database.ts';

/**
 * Every repository query is scoped by tenant in its WHERE (row-level security is the second guard; these tests
 * connect as the tables' owner, whom it does not restrict, so they prove the WHERE alone). Tenants here share
 * skus, and another tenant holds rows under the same item and location ids (the schema's foreign keys are on
 * ids only), which is what a missing tenant condition would reach.
 */
let store: StockDatabase;
let repos: Repositories;
let stock: StockService;
let reservations: ReservationService;

beforeAll(async () => {
  store = await openStockDatabase('tenant_scope');
  repos = createRepositories(store.db);
  stock = new StockService(store.db);
  reservations = new ReservationService(store.db);
});
afterAll(async () => {
  await store?.close();
});

/** Tenant A with stock, and tenant B with its own items of the same skus plus a level of its own on A's ids. */
async function twoTenants(label: string) {
  const a = await store.seedTenant(`${label}-a`);
  const b = await store.seedTenant(`${label}-b`);
  const actorA = { tenantId: a.tenantId, userId: 'user-a' };
  await stock.adjustStock(actorA, { itemId: a.items[0], locationId: a.locations[0], delta: 5, reason: 'RECEIVED' });
  await store.pool.query(`INSERT INTO inventory.stock_levels (tenant_id, item_id, location_id, on_hand, reserved, reorder_point) VALUES ($1, $2, $3, 100, 0, 1000)`, [
    b.tenantId,
    a.items[0],
    a.locations[0],
  ]);
  return { a, b, actorA, actorB: { tenantId: b.tenantId, userId: 'user-b' } };
}

async function levelOf(tenantId: string, itemId: string, locationId: string) {
  const { rows } = await store.pool.query(`SELECT on_hand AS "onHand", reserved, reorder_point AS "reorderPoint", version FROM inventory.stock_levels WHERE tenant_id = $1 AND item_id = $2 AND location_id = $3`, [tenantId, itemId, locationId]);
  return rows[0];
}

describe('item repository', () => {
  it("renames only the upserting tenant's item when two tenants share a sku", async () => {
    const { a, b } = await twoTenants('items-upsert');
    const changed = await repos.items.updateChanged({ tenantId: b.tenantId, rows: [{ sku: 'SKU-1', name: 'Renamed by B', description: null, categoryId: null, expectedVersion: null }] });
    expect(changed.map((i) => [i.tenantId, i.name, i.version])).toEqual([[b.tenantId, 'Renamed by B', 2]]);
    expect((await repos.items.findBySku({ tenantId: a.tenantId, sku: 'SKU-1' }))!.name).toBe('Item 1');
    expect(await repos.items.insertMissing({ tenantId: b.tenantId, rows: [{ sku: 'SKU-1', name: 'x', description: null, categoryId: null, expectedVersion: 0 }] })).toEqual([]);
  });

  it("finds, lists, counts and archives only the tenant's items", async () => {
    const { a, b } = await twoTenants('items-read');
    expect((await repos.items.findBySku({ tenantId: b.tenantId, sku: 'SKU-1' }))!.tenantId).toBe(b.tenantId);
    expect((await repos.items.findBySkus({ tenantId: b.tenantId, skus: ['SKU-1', 'SKU-2'] })).map((i) => i.tenantId)).toEqual([b.tenantId, b.tenantId]);
    expect(await repos.items.findByIds({ tenantId: b.tenantId, ids: a.items })).toEqual([]);
    expect((await repos.items.findByIds({ tenantId: a.tenantId, ids: a.items })).map((i) => i.id).sort()).toEqual([...a.items].sort());
    expect(await repos.items.findExisting({ tenantId: b.tenantId, itemIds: a.items, locationIds: a.locations })).toEqual({ items: new Set(), locations: new Set() });
    const page = await repos.items.list({ tenantId: b.tenantId, filter: {}, afterSku: null, limit: 10 });
    expect(page.map((i) => i.sku)).toEqual(['SKU-1', 'SKU-2']);
    expect(page.every((i) => i.tenantId === b.tenantId)).toBe(true);
    expect(await repos.items.count({ tenantId: b.tenantId, filter: {} })).toBe(2);
    expect(await repos.items.count({ tenantId: b.tenantId, filter: { inStock: true } })).toBe(0);
    expect(await repos.items.count({ tenantId: a.tenantId, filter: { inStock: true } })).toBe(1);
    expect(await repos.items.count({ tenantId: b.tenantId, filter: { belowReorderPoint: true } })).toBe(0);
    expect(await repos.items.archive({ tenantId: b.tenantId, id: a.items[0] })).toBeNull();
    expect((await repos.items.findBySku({ tenantId: a.tenantId, sku: 'SKU-1' }))!.archivedAt).toBeNull();
  });
});

describe('stock level repository', () => {
  it("reads and locks only the tenant's levels of an item, though another tenant has one on the same ids", async () => {
    const { a, b } = await twoTenants('levels');
    const key = { itemId: a.items[0], locationId: a.locations[0] };
    expect((await repos.levels.findForItems({ tenantId: a.tenantId, itemIds: [key.itemId] })).map((l) => [l.tenantId, l.onHand])).toEqual([[a.tenantId, 5]]);
    expect((await repos.levels.findForItems({ tenantId: a.tenantId, itemIds: [key.itemId], locationId: key.locationId })).map((l) => l.onHand)).toEqual([5]);
    expect(await repos.levels.findForItems({ tenantId: a.tenantId, itemIds: [key.itemId], locationId: a.locations[1] })).toEqual([]);
    await store.db.transaction(async (tx) => {
      expect((await repos.levels.lock({ tenantId: a.tenantId, keys: [key] }, tx)).map((l) => [l.tenantId, l.onHand])).toEqual([[a.tenantId, 5]]);
      expect((await repos.levels.lockForItems({ tenantId: a.tenantId, itemIds: [key.itemId] }, tx)).map((l) => [l.tenantId, l.onHand])).toEqual([[a.tenantId, 5]]);
      expect((await repos.levels.lockForItems({ tenantId: b.tenantId, itemIds: [key.itemId] }, tx)).map((l) => l.onHand)).toEqual([100]);
    });
  });
});

describe('ledger writes', () => {
  it("change only the acting tenant's level on both the one-statement path and the general path", async () => {
    const { a, b, actorA } = await twoTenants('ledger');
    const item = a.items[0];
    const loc = a.locations[0];
    await stock.adjustStock(actorA, { itemId: item, locationId: loc, delta: -1, reason: 'DAMAGED' });
    await stock.adjustStock(actorA, { itemId: item, locationId: loc, delta: -1, reason: 'DAMAGED', idempotencyKey: 'general' });
    await stock.setReorderPoint(actorA, { itemId: item, locationId: loc, reorderPoint: 2 });
    await reservations.reserveLines(actorA, { lines: [{ itemId: item, quantity: 1 }] });
    expect(await levelOf(a.tenantId, item, loc)).toEqual({ onHand: 3, reserved: 1, reorderPoint: 2, version: 6 });
    expect(await levelOf(b.tenantId, item, loc)).toEqual({ onHand: 100, reserved: 0, reorderPoint: 1000, version: 1 });
    const { rows } = await store.pool.query(`SELECT count(*)::int AS n FROM inventory.stock_movements WHERE tenant_id = $1`, [b.tenantId]);
    expect(rows[0].n).toBe(0);
  });

  it("lists and counts only the tenant's movements by id", async () => {
    const { a, b, actorA } = await twoTenants('movements');
    const { movement } = await stock.adjustStock(actorA, { itemId: a.items[0], locationId: a.locations[0], delta: 1, reason: 'RECEIVED' });
    expect(await repos.movements.findByIds({ tenantId: b.tenantId, ids: [movement!.id] })).toEqual([]);
    expect((await repos.movements.findByIds({ tenantId: a.tenantId, ids: [movement!.id] })).map((m) => m.id)).toEqual([movement!.id]);
    expect(await repos.movements.count({ tenantId: b.tenantId, filter: { itemId: a.items[0] } })).toBe(0);
    expect(await repos.movements.list({ tenantId: b.tenantId, filter: {}, beforeId: null, limit: 5 })).toEqual([]);
  });
});

describe('reservation repository', () => {
  it("finds and locks only the tenant's reservations", async () => {
    const { a, b, actorA } = await twoTenants('reservations');
    const { reservation } = await reservations.reserveStock(actorA, { itemId: a.items[0], locationId: a.locations[0], quantity: 1 });
    expect(await repos.reservations.findByIds({ tenantId: b.tenantId, ids: [reservation!.id] })).toEqual([]);
    expect((await repos.reservations.findByIds({ tenantId: a.tenantId, ids: [reservation!.id] })).map((r) => r.id)).toEqual([reservation!.id]);
    await store.db.transaction(async (tx) => {
      expect(await repos.reservations.lock({ tenantId: b.tenantId, ids: [reservation!.id] }, tx)).toEqual([]);
    });
  });
});

describe('category and location repositories', () => {
  it("list and find only the tenant's categories and locations, and let each tenant use the same name or code", async () => {
    const { a, b } = await twoTenants('catalog');
    expect((await repos.locations.listAll({ tenantId: b.tenantId })).map((l) => l.id).sort()).toEqual([...b.locations].sort());
    expect(await repos.locations.findByIds({ tenantId: b.tenantId, ids: a.locations })).toEqual([]);
    expect((await repos.locations.create({ tenantId: b.tenantId, code: 'L1', name: 'taken' }))).toBeNull();
    const mine = await repos.categories.create({ tenantId: a.tenantId, name: 'Tools' });
    const theirs = await repos.categories.create({ tenantId: b.tenantId, name: 'Tools' });
    expect(mine!.id).not.toBe(theirs!.id);
    expect(await repos.categories.create({ tenantId: b.tenantId, name: 'Tools' })).toBeNull();
    expect((await repos.categories.listAll({ tenantId: b.tenantId })).map((c) => c.id)).toEqual([theirs!.id]);
    expect(await repos.categories.findByIds({ tenantId: b.tenantId, ids: [mine!.id] })).toEqual([]);
  });
});
