import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { Topic } from '@stockline/events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRepositories, type Repositories } from '../src/data/repositories.ts';
import { Database, sql } from '../src/data/sql.ts';
import { StockService } from '../src/domain/stock.service.ts';
import { openStockDatabase, type StockDatabase } from './support/stock-database.ts';

/**
 * What the repositories' queries answer, filter by filter, and what the `pg` layer under them (sql.ts) does:
 * the parts the service tests reach only through the gateway's end-to-end suites. Run under Stryker too
 * (vitest.mutation.config.ts), so each filter and guard has a test that fails without it.
 */
let store: StockDatabase;
let repos: Repositories;
let stock: StockService;

beforeAll(async () => {
  store = await openStockDatabase('repository_queries');
  repos = createRepositories(store.db);
  stock = new StockService(store.db);
});
afterAll(async () => {
  await store?.close();
});

/**
 * Items SKU-1..4 at locations L1, L2: SKU-1 has 5 at L1 with reorder point 10 (below it), SKU-2 has 5 at L2,
 * SKU-3 is archived, SKU-4 is in a category; SKU-3 and SKU-4 have no stock.
 */
async function catalog(label: string) {
  const t = await store.seedTenant(label, { items: 4, locations: 2 });
  const actor = { tenantId: t.tenantId, userId: 'user' };
  const [i1, i2, i3, i4] = t.items;
  const [l1, l2] = t.locations;
  await stock.adjustStock(actor, { itemId: i1, locationId: l1, delta: 5, reason: 'RECEIVED' });
  await stock.adjustStock(actor, { itemId: i2, locationId: l2, delta: 5, reason: 'RECEIVED' });
  await stock.setReorderPoint(actor, { itemId: i1, locationId: l1, reorderPoint: 10 });
  await repos.items.archive({ tenantId: t.tenantId, id: i3 });
  const category = (await repos.categories.create({ tenantId: t.tenantId, name: 'Tools' }))!;
  await repos.items.updateChanged({ tenantId: t.tenantId, rows: [{ sku: 'SKU-4', name: 'Item 4', description: null, categoryId: category.id, expectedVersion: null }] });
  return { ...t, actor, category, i1, i2, i3, i4, l1, l2 };
}

describe('item repository queries', () => {
  it('lists and counts items by archive state, page, category, skus, stock, reorder point and location', async () => {
    const c = await catalog('item-filters');
    const tenantId = c.tenantId;
    const skus = async (filter: object, afterSku: string | null = null) => (await repos.items.list({ tenantId, filter, afterSku, limit: 10 })).map((i) => i.sku);
    const count = (filter: object) => repos.items.count({ tenantId, filter });
    expect(await skus({})).toEqual(['SKU-1', 'SKU-2', 'SKU-4']);
    expect(await skus({ includeArchived: true })).toEqual(['SKU-1', 'SKU-2', 'SKU-3', 'SKU-4']);
    expect(await skus({}, 'SKU-1')).toEqual(['SKU-2', 'SKU-4']);
    expect(await count({})).toBe(3);
    expect(await count({ categoryId: c.category.id })).toBe(1);
    expect(await count({ skus: ['SKU-2', 'SKU-3'] })).toBe(1);
    expect(await count({ inStock: true })).toBe(2);
    expect(await count({ inStock: false })).toBe(1);
    expect(await count({ belowReorderPoint: true })).toBe(1);
    expect(await count({ belowReorderPoint: false })).toBe(2);
    // A location alone: the items with a level there; with a stock filter, that filter at that location.
    expect(await skus({ locationId: c.l1 })).toEqual(['SKU-1']);
    expect(await skus({ locationId: c.l1, inStock: true })).toEqual(['SKU-1']);
    expect(await skus({ locationId: c.l2, inStock: false })).toEqual(['SKU-1', 'SKU-4']);
    expect(await skus({ locationId: c.l2, belowReorderPoint: false })).toEqual(['SKU-1', 'SKU-2', 'SKU-4']);
  });

  it('tells which of the given ids are items and which are locations', async () => {
    const c = await catalog('item-existing');
    expect(await repos.items.findExisting({ tenantId: c.tenantId, itemIds: c.items, locationIds: c.locations })).toEqual({ items: new Set(c.items), locations: new Set(c.locations) });
  });

  it('inserts only new skus, with their description and category, and updates an item only at its expected version', async () => {
    const c = await catalog('item-upsert');
    const tenantId = c.tenantId;
    const other = (await repos.categories.create({ tenantId, name: 'Parts' }))!;
    expect(await repos.items.insertMissing({ tenantId, rows: [] })).toEqual([]);
    const inserted = await repos.items.insertMissing({
      tenantId,
      rows: [
        { sku: 'SKU-1', name: 'taken', description: null, categoryId: null, expectedVersion: 0 },
        { sku: 'NEW', name: 'New', description: 'first', categoryId: c.category.id, expectedVersion: 0 },
      ],
    });
    expect(inserted.map((i) => [i.sku, i.name, i.description, i.categoryId, i.version])).toEqual([['NEW', 'New', 'first', c.category.id, 1]]);
    expect(await repos.items.updateChanged({ tenantId, rows: [] })).toEqual([]);
    const change = { sku: 'NEW', name: 'New', description: 'second', categoryId: other.id };
    expect(await repos.items.updateChanged({ tenantId, rows: [{ ...change, expectedVersion: 5 }] })).toEqual([]);
    const updated = await repos.items.updateChanged({ tenantId, rows: [{ ...change, expectedVersion: 1 }] });
    expect(updated.map((i) => [i.sku, i.description, i.categoryId, i.version])).toEqual([['NEW', 'second', other.id, 2]]);
  });

  it('archives an item once: the first call stamps it and bumps its version, a second changes nothing', async () => {
    const c = await catalog('item-archive');
    const first = (await repos.items.archive({ tenantId: c.tenantId, id: c.i2 }))!;
    expect(first.archivedAt).toBeInstanceOf(Date);
    expect(first.version).toBe(2);
    const again = (await repos.items.archive({ tenantId: c.tenantId, id: c.i2 }))!;
    expect([again.archivedAt, again.version]).toEqual([first.archivedAt, 2]);
  });
});

describe('movement repository queries', () => {
  it('lists and counts the ledger by location and reason, and pages back from an id', async () => {
    const c = await catalog('movements');
    const tenantId = c.tenantId;
    await stock.adjustStock(c.actor, { itemId: c.i1, locationId: c.l1, delta: -1, reason: 'DAMAGED' });
    const all = await repos.movements.list({ tenantId, filter: {}, beforeId: null, limit: 10 });
    expect(all.map((m) => [m.reason, m.locationId])).toEqual([['DAMAGED', c.l1], ['RECEIVED', c.l2], ['RECEIVED', c.l1]]);
    expect((await repos.movements.list({ tenantId, filter: {}, beforeId: all[0].id, limit: 10 })).map((m) => m.id)).toEqual([all[1].id, all[2].id]);
    expect(await repos.movements.count({ tenantId, filter: { locationId: c.l1 } })).toBe(2);
    expect(await repos.movements.count({ tenantId, filter: { reason: 'DAMAGED' } })).toBe(1);
    expect(await repos.movements.count({ tenantId, filter: { itemId: c.i2 } })).toBe(1);
  });
});

describe('ledger and stock level writes', () => {
  it('writes whatever it is given: a ledger line alone, an event alone, an `also` statement alone; nothing for nothing', async () => {
    const t = await store.seedTenant('ledger-parts');
    const tenantId = t.tenantId;
    const at = new Date();
    const nothing = { tenantId, at, levels: [], increments: [], movements: [], events: [] };
    expect(await repos.ledger.write(nothing)).toEqual([]);
    const line = {
      itemId: t.items[0], locationId: t.locations[0], reason: 'CORRECTION' as const, onHandDelta: 0, reservedDelta: 0, onHandAfter: 0, reservedAfter: 0,
      reference: 'alone', reservationId: null, actorId: 'user',
    };
    const ids = await repos.ledger.write({ ...nothing, movements: [line] });
    expect(ids).toHaveLength(1);
    expect((await repos.movements.findByIds({ tenantId, ids })).map((m) => m.reference)).toEqual(['alone']);
    await repos.ledger.write({ ...nothing, events: [{ type: Topic.LowStock, payload: { alone: true }, movement: null }] });
    const { rows } = await store.pool.query(`SELECT type, payload FROM inventory.outbox_events WHERE tenant_id = $1`, [tenantId]);
    expect(rows).toEqual([{ type: 'LowStock', payload: { alone: true } }]);
    await repos.ledger.write({ ...nothing, also: [sql`c AS (INSERT INTO inventory.categories (tenant_id, name) VALUES (${tenantId}, 'from also'))`] });
    expect((await repos.categories.listAll({ tenantId })).map((x) => x.name)).toEqual(['from also']);
  });

  it('locks no levels for no keys or no items', async () => {
    const t = await store.seedTenant('levels-empty');
    await store.db.transaction(async (tx) => {
      expect(await repos.levels.lock({ tenantId: t.tenantId, keys: [] }, tx)).toEqual([]);
      expect(await repos.levels.lockForItems({ tenantId: t.tenantId, itemIds: [] }, tx)).toEqual([]);
    });
  });
});

describe('the pg layer (sql.ts)', () => {
  it('rolls a transaction back and rethrows when its function throws', async () => {
    const t = await store.seedTenant('sql-rollback');
    await expect(
      store.db.transaction(async (tx) => {
        await repos.categories.create({ tenantId: t.tenantId, name: 'doomed' }, tx);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await repos.categories.listAll({ tenantId: t.tenantId })).toEqual([]);
  });

  it("destroys a connection whose ROLLBACK failed instead of pooling it, and throws the transaction's own error", async () => {
    // A real connection, with one fault: its ROLLBACK fails (as when the network drops it mid-transaction).
    let released: Error | undefined | 'not yet' = 'not yet';
    const pool = {
      async connect() {
        const client = await store.pool.connect();
        return {
          query: (text: string) => (text === 'ROLLBACK' ? Promise.reject(new Error('rollback failed')) : client.query(text)),
          release: (error?: Error) => {
            released = error;
            client.release(error ?? new Error('left in a transaction by this test'));
          },
        };
      },
    } as unknown as pg.Pool;
    await expect(new Database(pool).transaction(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(released).toEqual(new Error('rollback failed'));
  });

  it('answers how many rows a statement changed', async () => {
    const t = await store.seedTenant('sql-count');
    expect(await store.db.$executeRaw`UPDATE inventory.items SET name = name WHERE tenant_id = ${t.tenantId}`).toBe(2);
    expect(await store.db.$executeRawUnsafe('UPDATE inventory.items SET name = name WHERE tenant_id = $1', t.tenantId)).toBe(2);
  });

  it('prepares a statement with parameters once per connection under a name, and one without parameters not at all', async () => {
    const db = new Database(store.pool);
    const alias = `x_${randomUUID().replaceAll('-', '')}`;
    const withParameter = `SELECT $1::int AS ${alias}`;
    const without = `SELECT 1 AS ${alias}`;
    await db.transaction(async (tx) => {
      expect(await tx.$queryRawUnsafe(withParameter, 7)).toEqual([{ [alias]: 7 }]);
      expect(await tx.$queryRawUnsafe(withParameter, 8)).toEqual([{ [alias]: 8 }]);
      await tx.$queryRawUnsafe(without);
      const prepared = await tx.$queryRawUnsafe<{ name: string; statement: string }[]>('SELECT name, statement FROM pg_prepared_statements');
      const mine = prepared.filter((p) => p.statement.includes(alias));
      expect(mine).toHaveLength(1);
      expect(mine[0]).toEqual({ name: expect.stringMatching(/^inv_\d+$/), statement: withParameter });
    });
  });
});
