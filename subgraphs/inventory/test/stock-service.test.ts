import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BULK_STOCK_INPUTS, StockService } from '../src/domain/stock.service.ts';
import { MAX_QUANTITY } from '../src/domain/stock-validation.ts';
import { openStockDatabase, type StockDatabase } from './support/stock-database.ts';

let store: StockDatabase;
let stock: StockService;
let committed = 0;

beforeAll(async () => {
  store = await openStockDatabase('stock_service');
  stock = new StockService(store.db, () => committed++);
});
afterAll(async () => {
  await store?.close();
});

const MISSING = '00000000-0000-4000-8000-000000000000';

async function tenant(label: string, counts?: { items?: number; locations?: number }) {
  const t = await store.seedTenant(label, counts);
  return { ...t, actor: { tenantId: t.tenantId, userId: `user-${label}` } };
}

/** The stored level and the sums of its ledger lines, read from the tables. */
async function stored(tenantId: string, itemId: string, locationId: string) {
  const { rows } = await store.pool.query(
    `SELECT l.on_hand AS "onHand", l.reserved, l.reorder_point AS "reorderPoint", l.version,
            (SELECT count(*)::int FROM inventory.stock_movements m WHERE m.tenant_id = l.tenant_id AND m.item_id = l.item_id AND m.location_id = l.location_id) AS lines,
            (SELECT COALESCE(sum(on_hand_delta), 0)::int FROM inventory.stock_movements m WHERE m.tenant_id = l.tenant_id AND m.item_id = l.item_id AND m.location_id = l.location_id) AS "ledgerOnHand"
     FROM inventory.stock_levels l WHERE l.tenant_id = $1 AND l.item_id = $2 AND l.location_id = $3`,
    [tenantId, itemId, locationId],
  );
  return rows[0] ?? null;
}

async function events(tenantId: string, type?: string) {
  const { rows } = await store.pool.query(`SELECT type, payload FROM inventory.outbox_events WHERE tenant_id = $1 ${type ? 'AND type = $2' : ''} ORDER BY id`, type ? [tenantId, type] : [tenantId]);
  return rows as { type: string; payload: Record<string, unknown> }[];
}

async function keysOf(tenantId: string) {
  const { rows } = await store.pool.query(`SELECT operation, key, response FROM inventory.idempotency_keys WHERE tenant_id = $1 ORDER BY key`, [tenantId]);
  return rows as { operation: string; key: string; response: unknown }[];
}

describe('adjustStock', () => {
  it('receives stock into a level that does not exist yet, writing the level, one ledger line and a StockChanged event', async () => {
    const { actor, items: [item], locations: [loc] } = await tenant('adj-new');
    const before = committed;
    const result = await stock.adjustStock(actor, { itemId: item, locationId: loc, delta: 7, reason: 'RECEIVED', reference: 'po-1' });
    expect(result.userErrors).toEqual([]);
    expect(result.stockLevel).toMatchObject({ tenantId: actor.tenantId, itemId: item, locationId: loc, onHand: 7, reserved: 0, reorderPoint: null, version: 2 });
    expect(result.movement).toMatchObject({ itemId: item, locationId: loc, reason: 'RECEIVED', onHandDelta: 7, reservedDelta: 0, onHandAfter: 7, reservedAfter: 0, reference: 'po-1', reservationId: null, actorId: 'user-adj-new' });
    expect(result.movement!.id).toMatch(/^\d+$/);
    expect(await stored(actor.tenantId, item, loc)).toMatchObject({ onHand: 7, reserved: 0, version: 2, lines: 1, ledgerOnHand: 7 });
    const [changed] = await events(actor.tenantId, 'StockChanged');
    expect(changed.payload).toMatchObject({ itemId: item, locationId: loc, reason: 'RECEIVED', onHand: 7, reserved: 0, available: 7, onHandDelta: 7, reservedDelta: 0, reorderPoint: null, reference: 'po-1', actorId: 'user-adj-new' });
    expect(committed).toBe(before + 1);
  });

  it('adjusts an existing level on the one-statement path, with the ledger and the answer agreeing', async () => {
    const { actor, items: [item], locations: [loc] } = await tenant('adj-fast');
    await stock.adjustStock(actor, { itemId: item, locationId: loc, delta: 10, reason: 'RECEIVED' });
    const result = await stock.adjustStock(actor, { itemId: item, locationId: loc, delta: -4, reason: 'DAMAGED', reference: 'broken' });
    expect(result.userErrors).toEqual([]);
    expect(result.stockLevel).toMatchObject({ onHand: 6, reserved: 0, version: 3 });
    expect(result.movement).toMatchObject({ reason: 'DAMAGED', onHandDelta: -4, onHandAfter: 6, reference: 'broken', reservationId: null, actorId: 'user-adj-fast', tenantId: actor.tenantId });
    expect(await stored(actor.tenantId, item, loc)).toMatchObject({ onHand: 6, lines: 2, ledgerOnHand: 6 });
  });

  it('refuses to take more than is on hand with INSUFFICIENT_STOCK, what is available, and changes nothing', async () => {
    const { actor, items: [item], locations: [loc] } = await tenant('adj-short');
    await stock.adjustStock(actor, { itemId: item, locationId: loc, delta: 3, reason: 'RECEIVED' });
    for (const idempotencyKey of [undefined, 'short-1']) {
      const result = await stock.adjustStock(actor, { itemId: item, locationId: loc, delta: -5, reason: 'DAMAGED', idempotencyKey });
      expect(result).toMatchObject({ stockLevel: null, movement: null });
      expect(result.userErrors).toEqual([
        { code: 'INSUFFICIENT_STOCK', field: ['input', 'delta'], message: `Only 3 available of item ${item} at location ${loc}; 5 needed`, itemId: item, available: 3 },
      ]);
    }
    expect(await stored(actor.tenantId, item, loc)).toMatchObject({ onHand: 3, lines: 1 });
  });

  it('refuses to take stock from a level that does not exist, and creates none', async () => {
    const { actor, items: [item], locations: [loc] } = await tenant('adj-none');
    const result = await stock.adjustStock(actor, { itemId: item, locationId: loc, delta: -1, reason: 'CORRECTION' });
    expect(result.userErrors).toEqual([
      { code: 'INSUFFICIENT_STOCK', field: ['input', 'delta'], message: `Item ${item} has no stock at location ${loc}`, itemId: item, available: 0 },
    ]);
    expect(await stored(actor.tenantId, item, loc)).toBeNull();
  });

  it('refuses invalid input with INVALID_INPUT naming the field, before touching the database', async () => {
    const { actor, items: [item], locations: [loc] } = await tenant('adj-invalid');
    const base = { itemId: item, locationId: loc, delta: 1, reason: 'RECEIVED' as const };
    const cases = [
      [{ delta: 0 }, ['input', 'delta'], 'delta must be non-zero; got 0'],
      [{ delta: 1.5 }, ['input', 'delta'], 'delta must be a whole number'],
      [{ delta: MAX_QUANTITY + 1 }, ['input', 'delta'], `delta must be at most ${MAX_QUANTITY}`],
      [{ delta: -MAX_QUANTITY - 1 }, ['input', 'delta'], `delta must be at most ${MAX_QUANTITY}`],
      [{ reason: 'SHIPPED' }, ['input', 'reason'], 'reason SHIPPED is recorded by reservations, fulfillment and transfers; use one of RECEIVED, CORRECTION, DAMAGED, RETURNED'],
      [{ changeFromQuantity: -1 }, ['input', 'changeFromQuantity'], 'changeFromQuantity must be zero or more; got -1'],
      [{ reference: 'x'.repeat(501) }, ['input', 'reference'], 'reference must be at most 500 characters'],
    ] as const;
    for (const [change, field, message] of cases) {
      const result = await stock.adjustStock(actor, { ...base, ...change } as never);
      expect(result.userErrors, JSON.stringify(change)).toEqual([{ code: 'INVALID_INPUT', field, message }]);
    }
    expect(await stored(actor.tenantId, item, loc)).toBeNull();
  });

  it('accepts the largest quantity, a zero changeFromQuantity and a reference of exactly 500 characters', async () => {
    const { actor, items: [item], locations: [loc] } = await tenant('adj-edges');
    const result = await stock.adjustStock(actor, { itemId: item, locationId: loc, delta: MAX_QUANTITY, reason: 'RECEIVED', changeFromQuantity: 0, reference: 'r'.repeat(500) });
    expect(result.userErrors).toEqual([]);
    expect(result.stockLevel!.onHand).toBe(MAX_QUANTITY);
    for (const reason of ['CORRECTION', 'DAMAGED', 'RETURNED'] as const) {
      expect((await stock.adjustStock(actor, { itemId: item, locationId: loc, delta: -1, reason })).userErrors).toEqual([]);
    }
  });

  it("answers NOT_FOUND for an item or a location of another tenant, and leaves that tenant's stock alone", async () => {
    const a = await tenant('adj-owner');
    const b = await tenant('adj-other');
    await stock.adjustStock(a.actor, { itemId: a.items[0], locationId: a.locations[0], delta: 5, reason: 'RECEIVED' });
    for (const idempotencyKey of [undefined, 'cross-1']) {
      const foreignItem = await stock.adjustStock(b.actor, { itemId: a.items[0], locationId: b.locations[0], delta: -1, reason: 'DAMAGED', idempotencyKey });
      expect(foreignItem.userErrors).toEqual([{ code: 'NOT_FOUND', field: ['input', 'itemId'], message: `No item with id "${a.items[0]}"`, itemId: a.items[0] }]);
      const foreignLevel = await stock.adjustStock(b.actor, { itemId: a.items[0], locationId: a.locations[0], delta: -1, reason: 'DAMAGED', idempotencyKey });
      expect(foreignLevel.userErrors[0]).toMatchObject({ code: 'NOT_FOUND', field: ['input', 'itemId'] });
      const foreignLocation = await stock.adjustStock(b.actor, { itemId: b.items[0], locationId: a.locations[0], delta: 1, reason: 'RECEIVED', idempotencyKey });
      expect(foreignLocation.userErrors).toEqual([{ code: 'NOT_FOUND', field: ['input', 'locationId'], message: `No location with id "${a.locations[0]}"`, itemId: b.items[0] }]);
    }
    const malformed = await stock.adjustStock(b.actor, { itemId: 'not-a-uuid', locationId: b.locations[0], delta: 1, reason: 'RECEIVED' });
    expect(malformed.userErrors[0]).toMatchObject({ code: 'NOT_FOUND', field: ['input', 'itemId'] });
    const badLocation = await stock.adjustStock(b.actor, { itemId: b.items[0], locationId: 'not-a-uuid', delta: 1, reason: 'RECEIVED' });
    expect(badLocation.userErrors[0]).toMatchObject({ code: 'NOT_FOUND', field: ['input', 'locationId'] });
    const bothBad = await stock.adjustStock(b.actor, { itemId: 'x', locationId: 'y', delta: 1, reason: 'RECEIVED' });
    expect(bothBad.userErrors[0]).toMatchObject({ code: 'NOT_FOUND', field: ['input', 'itemId'] });
    expect(await stored(a.tenantId, a.items[0], a.locations[0])).toMatchObject({ onHand: 5, lines: 1 });
    expect(await stored(b.tenantId, a.items[0], a.locations[0])).toBeNull();
    expect(await keysOf(b.tenantId)).toEqual([]);
  });

  it('applies a compare-and-set change only when onHand still is changeFromQuantity, else QUANTITY_STALE with the current onHand', async () => {
    const { actor, items: [item], locations: [loc] } = await tenant('adj-cas');
    const fresh = await stock.adjustStock(actor, { itemId: item, locationId: loc, delta: 4, reason: 'RECEIVED', changeFromQuantity: 1 });
    expect(fresh.userErrors).toEqual([{ code: 'QUANTITY_STALE', field: ['input', 'changeFromQuantity'], message: 'changeFromQuantity is 1 but onHand is 0', itemId: item, current: 0 }]);
    const staleNothing = await stock.adjustStock(actor, { itemId: item, locationId: loc, delta: -1, reason: 'DAMAGED', changeFromQuantity: 2 });
    expect(staleNothing.userErrors).toEqual([{ code: 'QUANTITY_STALE', field: ['input', 'changeFromQuantity'], message: 'changeFromQuantity is 2 but onHand is 0', itemId: item, current: 0 }]);
    expect(await stored(actor.tenantId, item, loc)).toBeNull();
    expect((await stock.adjustStock(actor, { itemId: item, locationId: loc, delta: 4, reason: 'RECEIVED', changeFromQuantity: 0 })).stockLevel!.onHand).toBe(4);
    for (const idempotencyKey of [undefined, 'cas-1']) {
      const stale = await stock.adjustStock(actor, { itemId: item, locationId: loc, delta: 1, reason: 'RECEIVED', changeFromQuantity: 3, idempotencyKey });
      expect(stale.userErrors).toEqual([{ code: 'QUANTITY_STALE', field: ['input', 'changeFromQuantity'], message: 'changeFromQuantity is 3 but onHand is 4', itemId: item, current: 4 }]);
    }
    expect((await stock.adjustStock(actor, { itemId: item, locationId: loc, delta: 1, reason: 'RECEIVED', changeFromQuantity: 4 })).stockLevel!.onHand).toBe(5);
    expect(await stored(actor.tenantId, item, loc)).toMatchObject({ onHand: 5, lines: 2 });
  });

  it('stores an accepted change under its key with the ledger line id, and replays it without applying it again', async () => {
    const { actor, items: [item], locations: [loc] } = await tenant('adj-key');
    const input = { itemId: item, locationId: loc, delta: 2, reason: 'RECEIVED' as const, idempotencyKey: 'k-1' };
    const first = await stock.adjustStock(actor, input);
    expect(first.userErrors).toEqual([]);
    const again = await stock.adjustStock(actor, input);
    expect(again.stockLevel!.onHand).toBe(2);
    expect(again.movement!.id).toBe(first.movement!.id);
    expect(await stored(actor.tenantId, item, loc)).toMatchObject({ onHand: 2, lines: 1 });
    const [key] = await keysOf(actor.tenantId);
    expect(key).toMatchObject({ operation: 'adjustStock', key: 'k-1', response: { movement: { id: first.movement!.id, onHandAfter: 2 }, stockLevel: { onHand: 2 }, userErrors: [] } });
    const reused = await stock.adjustStock(actor, { ...input, delta: 3 });
    expect(reused.userErrors).toEqual([{ code: 'IDEMPOTENCY_KEY_REUSED', field: ['input', 'idempotencyKey'], message: 'This idempotencyKey was already used with a different input' }]);
    expect(reused.stockLevel).toBeNull();
  });

  it('stores a refusal for insufficient stock under its key and replays it, but stores nothing for a validation refusal', async () => {
    const { actor, items: [item], locations: [loc] } = await tenant('adj-refusals');
    const short = await stock.adjustStock(actor, { itemId: item, locationId: loc, delta: -1, reason: 'DAMAGED', idempotencyKey: 'short' });
    expect(short.userErrors[0].code).toBe('INSUFFICIENT_STOCK');
    await stock.adjustStock(actor, { itemId: item, locationId: loc, delta: 5, reason: 'RECEIVED' });
    expect((await stock.adjustStock(actor, { itemId: item, locationId: loc, delta: -1, reason: 'DAMAGED', idempotencyKey: 'short' })).userErrors[0].code).toBe('INSUFFICIENT_STOCK');
    const missing = await stock.adjustStock(actor, { itemId: MISSING, locationId: loc, delta: 1, reason: 'RECEIVED', idempotencyKey: 'typo' });
    expect(missing.userErrors[0].code).toBe('NOT_FOUND');
    expect((await keysOf(actor.tenantId)).map((k) => k.key)).toEqual(['short']);
    const corrected = await stock.adjustStock(actor, { itemId: item, locationId: loc, delta: 1, reason: 'RECEIVED', idempotencyKey: 'typo' });
    expect(corrected.userErrors).toEqual([]);
    expect(corrected.stockLevel!.onHand).toBe(6);
  });
});

describe('setStock', () => {
  it('accepts changeFromQuantity 0 for a level that holds nothing yet, and can set a level to zero', async () => {
    const { actor, items: [item], locations: [loc] } = await tenant('set-zero');
    expect((await stock.setStock(actor, { itemId: item, locationId: loc, onHand: 3, changeFromQuantity: 0 })).stockLevel!.onHand).toBe(3);
    const zero = await stock.setStock(actor, { itemId: item, locationId: loc, onHand: 0 });
    expect(zero.userErrors).toEqual([]);
    expect(zero.movement).toMatchObject({ onHandDelta: -3, onHandAfter: 0 });
  });

  it('replays a set made under a key, keeps its keys apart from adjustStock\'s, and stores nothing for an unknown item', async () => {
    const { actor, items: [item], locations: [loc] } = await tenant('set-key');
    const input = { itemId: item, locationId: loc, onHand: 6, idempotencyKey: 'count-1' };
    const first = await stock.setStock(actor, input);
    await stock.adjustStock(actor, { itemId: item, locationId: loc, delta: 1, reason: 'RECEIVED' });
    const again = await stock.setStock(actor, input);
    expect(again.movement!.id).toBe(first.movement!.id);
    expect(await stored(actor.tenantId, item, loc)).toMatchObject({ onHand: 7, lines: 2 });
    expect((await stock.adjustStock(actor, { itemId: item, locationId: loc, delta: 2, reason: 'RECEIVED', idempotencyKey: 'count-1' })).userErrors).toEqual([]);
    expect((await stock.setStock(actor, { ...input, itemId: MISSING, idempotencyKey: 'typo' })).userErrors[0].code).toBe('NOT_FOUND');
    expect((await keysOf(actor.tenantId)).map((k) => `${k.operation}/${k.key}`).sort()).toEqual(['adjustStock/count-1', 'setStock/count-1']);
  });

  it('sets onHand by writing the difference as one CORRECTION line, and writes nothing when it already is that', async () => {
    const { actor, items: [item], locations: [loc] } = await tenant('set');
    const up = await stock.setStock(actor, { itemId: item, locationId: loc, onHand: 9, reference: 'count' });
    expect(up.userErrors).toEqual([]);
    expect(up.stockLevel).toMatchObject({ onHand: 9, reserved: 0, version: 2 });
    expect(up.movement).toMatchObject({ reason: 'CORRECTION', onHandDelta: 9, onHandAfter: 9, reference: 'count' });
    const down = await stock.setStock(actor, { itemId: item, locationId: loc, onHand: 4, reason: 'DAMAGED' });
    expect(down.movement).toMatchObject({ reason: 'DAMAGED', onHandDelta: -5, onHandAfter: 4 });
    const same = await stock.setStock(actor, { itemId: item, locationId: loc, onHand: 4 });
    expect(same).toMatchObject({ movement: null, userErrors: [], stockLevel: { onHand: 4, version: 3 } });
    expect(await stored(actor.tenantId, item, loc)).toMatchObject({ onHand: 4, version: 3, lines: 2, ledgerOnHand: 4 });
  });

  it('refuses a negative onHand, a reason it may not record, a bad changeFromQuantity or reference, and an unknown item', async () => {
    const { actor, items: [item], locations: [loc] } = await tenant('set-invalid');
    const base = { itemId: item, locationId: loc, onHand: 1 };
    expect((await stock.setStock(actor, { ...base, onHand: -1 })).userErrors).toEqual([{ code: 'INVALID_INPUT', field: ['input', 'onHand'], message: 'onHand must be zero or more; got -1' }]);
    expect((await stock.setStock(actor, { ...base, reason: 'TRANSFER_IN' })).userErrors[0]).toMatchObject({ code: 'INVALID_INPUT', field: ['input', 'reason'] });
    expect((await stock.setStock(actor, { ...base, changeFromQuantity: -2 })).userErrors[0]).toMatchObject({ code: 'INVALID_INPUT', field: ['input', 'changeFromQuantity'] });
    expect((await stock.setStock(actor, { ...base, reference: 'y'.repeat(501) })).userErrors[0]).toMatchObject({ code: 'INVALID_INPUT', field: ['input', 'reference'] });
    expect((await stock.setStock(actor, { ...base, itemId: MISSING })).userErrors[0]).toMatchObject({ code: 'NOT_FOUND', field: ['input', 'itemId'] });
    expect(await stored(actor.tenantId, item, loc)).toBeNull();
  });

  it('applies a set only when onHand is changeFromQuantity, and never below what is reserved', async () => {
    const { actor, items: [item], locations: [loc] } = await tenant('set-cas');
    await stock.setStock(actor, { itemId: item, locationId: loc, onHand: 5 });
    await store.pool.query(`UPDATE inventory.stock_levels SET reserved = 3 WHERE tenant_id = $1`, [actor.tenantId]);
    expect((await stock.setStock(actor, { itemId: item, locationId: loc, onHand: 8, changeFromQuantity: 4 })).userErrors).toEqual([
      { code: 'QUANTITY_STALE', field: ['input', 'changeFromQuantity'], message: 'changeFromQuantity is 4 but onHand is 5', itemId: item, current: 5 },
    ]);
    expect((await stock.setStock(actor, { itemId: item, locationId: loc, onHand: 2, changeFromQuantity: 5 })).userErrors).toEqual([
      { code: 'INSUFFICIENT_STOCK', field: ['input', 'onHand'], message: 'onHand cannot go below the 3 reserved', itemId: item, available: 2 },
    ]);
    expect((await stock.setStock(actor, { itemId: item, locationId: loc, onHand: 3, changeFromQuantity: 5 })).stockLevel).toMatchObject({ onHand: 3, reserved: 3 });
  });
});

describe('bulkAdjustStock', () => {
  it('applies every input in order in PER_ITEM mode, keeping what succeeded and saying why the others failed', async () => {
    const { actor, items: [i1, i2], locations: [l1, l2] } = await tenant('bulk-per-item');
    const result = await stock.bulkAdjustStock(
      actor,
      [
        { itemId: i1, locationId: l1, delta: 5, reason: 'RECEIVED' },
        { itemId: i1, locationId: l1, delta: -2, reason: 'DAMAGED' },
        { itemId: i2, locationId: l2, delta: -1, reason: 'DAMAGED' },
        { itemId: MISSING, locationId: l1, delta: 1, reason: 'RECEIVED' },
        { itemId: i2, locationId: l1, delta: 0, reason: 'RECEIVED' },
        { itemId: i1, locationId: l1, delta: 1, reason: 'RECEIVED', changeFromQuantity: 7 },
      ],
      'PER_ITEM',
    );
    expect(result.stockLevels.map((l) => l?.onHand ?? null)).toEqual([3, 3, null, null, null, null]);
    expect(result.stockLevels.slice(2)).toEqual([null, null, null, null]);
    expect(result.userErrors).toEqual([
      { code: 'INSUFFICIENT_STOCK', field: ['inputs', '2', 'delta'], message: `Item ${i2} has no stock at location ${l2}`, itemId: i2, available: 0 },
      { code: 'NOT_FOUND', field: ['inputs', '3', 'itemId'], message: `No item with id "${MISSING}"`, itemId: MISSING },
      { code: 'INVALID_INPUT', field: ['inputs', '4', 'delta'], message: 'delta must be non-zero; got 0' },
      { code: 'QUANTITY_STALE', field: ['inputs', '5', 'changeFromQuantity'], message: 'changeFromQuantity is 7 but onHand is 3', itemId: i1, current: 3 },
    ]);
    expect(await stored(actor.tenantId, i1, l1)).toMatchObject({ onHand: 3, lines: 2, version: 3 });
    expect(await stored(actor.tenantId, i2, l2)).toBeNull();
  });

  it('takes stock from existing levels only, names each invalid input by its position, and skips a malformed id', async () => {
    const { actor, items: [i1], locations: [l1, l2] } = await tenant('bulk-out');
    await stock.adjustStock(actor, { itemId: i1, locationId: l1, delta: 5, reason: 'RECEIVED' });
    await stock.adjustStock(actor, { itemId: i1, locationId: l2, delta: 5, reason: 'RECEIVED' });
    const result = await stock.bulkAdjustStock(
      actor,
      [
        { itemId: i1, locationId: l1, delta: -2, reason: 'DAMAGED' },
        { itemId: 'not-a-uuid', locationId: l1, delta: -1, reason: 'DAMAGED' },
        { itemId: i1, locationId: l2, delta: 1.5, reason: 'DAMAGED' },
        { itemId: i1, locationId: l2, delta: -MAX_QUANTITY - 1, reason: 'DAMAGED' },
        { itemId: i1, locationId: l2, delta: -5, reason: 'DAMAGED' },
      ],
      'PER_ITEM',
    );
    expect(result.stockLevels.map((l) => l?.onHand ?? null)).toEqual([3, null, null, null, 0]);
    expect(result.userErrors).toEqual([
      { code: 'NOT_FOUND', field: ['inputs', '1', 'itemId'], message: 'No item with id "not-a-uuid"', itemId: 'not-a-uuid' },
      { code: 'INVALID_INPUT', field: ['inputs', '2', 'delta'], message: 'delta must be a whole number' },
      { code: 'INVALID_INPUT', field: ['inputs', '3', 'delta'], message: `delta must be at most ${MAX_QUANTITY}` },
    ]);
  });

  it('shares idempotency keys with adjustStock: an input under a key adjustStock used replays its answer', async () => {
    const { actor, items: [item], locations: [loc] } = await tenant('bulk-shared-key');
    const input = { itemId: item, locationId: loc, delta: 4, reason: 'RECEIVED' as const, idempotencyKey: 'shared' };
    const single = await stock.adjustStock(actor, input);
    const bulk = await stock.bulkAdjustStock(actor, [input], 'PER_ITEM');
    expect(bulk.stockLevels[0]).toMatchObject({ onHand: 4, version: single.stockLevel!.version });
    expect(await stored(actor.tenantId, item, loc)).toMatchObject({ onHand: 4, lines: 1 });
  });

  it('keeps nothing in ATOMIC mode when one input fails, whether by validation or by stock', async () => {
    const { actor, items: [i1], locations: [l1, l2] } = await tenant('bulk-atomic');
    const invalid = await stock.bulkAdjustStock(actor, [{ itemId: i1, locationId: l1, delta: 5, reason: 'RECEIVED' }, { itemId: i1, locationId: l2, delta: 1, reason: 'SHIPPED' }], 'ATOMIC');
    expect(invalid.stockLevels).toEqual([null, null]);
    expect(invalid.userErrors.map((e) => [e.code, e.field])).toEqual([['INVALID_INPUT', ['inputs', '1', 'reason']]]);
    const short = await stock.bulkAdjustStock(
      actor,
      [{ itemId: i1, locationId: l1, delta: 5, reason: 'RECEIVED', idempotencyKey: 'atomic-1' }, { itemId: i1, locationId: l2, delta: -1, reason: 'DAMAGED' }],
      'ATOMIC',
    );
    expect(short.stockLevels).toEqual([null, null]);
    expect(short.userErrors.map((e) => [e.code, e.field])).toEqual([['INSUFFICIENT_STOCK', ['inputs', '1', 'delta']]]);
    expect(await stored(actor.tenantId, i1, l1)).toBeNull();
    expect(await keysOf(actor.tenantId)).toEqual([]);
    const ok = await stock.bulkAdjustStock(actor, [{ itemId: i1, locationId: l1, delta: 5, reason: 'RECEIVED' }, { itemId: i1, locationId: l2, delta: 2, reason: 'RECEIVED' }], 'ATOMIC');
    expect(ok.userErrors).toEqual([]);
    expect(ok.stockLevels.map((l) => l!.onHand)).toEqual([5, 2]);
  });

  it(`refuses more than ${MAX_BULK_STOCK_INPUTS} inputs with LIMIT_EXCEEDED and applies none of them`, async () => {
    const { actor, items: [item], locations: [loc] } = await tenant('bulk-limit');
    const inputs = Array.from({ length: MAX_BULK_STOCK_INPUTS + 1 }, () => ({ itemId: item, locationId: loc, delta: 1, reason: 'RECEIVED' as const }));
    const result = await stock.bulkAdjustStock(actor, inputs, 'PER_ITEM');
    expect(result.userErrors).toEqual([{ code: 'LIMIT_EXCEEDED', field: ['inputs'], message: `At most ${MAX_BULK_STOCK_INPUTS} inputs per call; got ${MAX_BULK_STOCK_INPUTS + 1}` }]);
    expect(result.stockLevels).toHaveLength(MAX_BULK_STOCK_INPUTS + 1);
    expect(result.stockLevels.every((l) => l === null)).toBe(true);
    expect(await stored(actor.tenantId, item, loc)).toBeNull();
  });

  it('replays a key seen before, answers a key repeated in the call with its first result, and refuses a reused key', async () => {
    const { actor, items: [item], locations: [loc] } = await tenant('bulk-keys');
    const a = { itemId: item, locationId: loc, delta: 2, reason: 'RECEIVED' as const, idempotencyKey: 'a' };
    const first = await stock.bulkAdjustStock(actor, [a, a, { ...a, delta: 9 }], 'PER_ITEM');
    expect(first.stockLevels.map((l) => l?.onHand ?? null)).toEqual([2, 2, null]);
    expect(first.userErrors).toEqual([{ code: 'IDEMPOTENCY_KEY_REUSED', field: ['inputs', '2', 'idempotencyKey'], message: 'This idempotencyKey was already used with a different input' }]);
    const second = await stock.bulkAdjustStock(actor, [{ itemId: item, locationId: loc, delta: 1, reason: 'RECEIVED' }, a, { ...a, delta: 3 }], 'PER_ITEM');
    expect(second.stockLevels.map((l) => l?.onHand ?? null)).toEqual([3, 2, null]);
    expect(second.userErrors.map((e) => [e.code, e.field])).toEqual([['IDEMPOTENCY_KEY_REUSED', ['inputs', '2', 'idempotencyKey']]]);
    expect(await stored(actor.tenantId, item, loc)).toMatchObject({ onHand: 3, lines: 2 });
  });

  it('replays a stored refusal at the position of the input that replays it, and repeats a refused first use', async () => {
    const { actor, items: [item], locations: [loc] } = await tenant('bulk-replay-refusal');
    const short = { itemId: item, locationId: loc, delta: -4, reason: 'DAMAGED' as const, idempotencyKey: 's' };
    const first = await stock.bulkAdjustStock(actor, [short, short], 'PER_ITEM');
    expect(first.userErrors.map((e) => [e.code, e.field])).toEqual([
      ['INSUFFICIENT_STOCK', ['inputs', '0', 'delta']],
      ['INSUFFICIENT_STOCK', ['inputs', '1', 'delta']],
    ]);
    await stock.adjustStock(actor, { itemId: item, locationId: loc, delta: 10, reason: 'RECEIVED' });
    const replay = await stock.bulkAdjustStock(actor, [{ itemId: item, locationId: loc, delta: 1, reason: 'RECEIVED' }, short], 'PER_ITEM');
    expect(replay.stockLevels.map((l) => l?.onHand ?? null)).toEqual([11, null]);
    expect(replay.userErrors.map((e) => [e.code, e.field])).toEqual([['INSUFFICIENT_STOCK', ['inputs', '1', 'delta']]]);
    expect(await stored(actor.tenantId, item, loc)).toMatchObject({ onHand: 11 });
  });
});

describe('transferStock', () => {
  it('moves all of a level, replays a transfer made under a key, and stores nothing for an unknown location', async () => {
    const { actor, items: [item], locations: [from, to] } = await tenant('transfer-key');
    await stock.adjustStock(actor, { itemId: item, locationId: from, delta: 3, reason: 'RECEIVED' });
    expect((await stock.transferStock(actor, { itemId: item, fromLocationId: from, toLocationId: MISSING, quantity: 3, idempotencyKey: 'move' })).userErrors[0].code).toBe('NOT_FOUND');
    const input = { itemId: item, fromLocationId: from, toLocationId: to, quantity: 3, idempotencyKey: 'move' };
    const first = await stock.transferStock(actor, input);
    expect(first.from).toMatchObject({ onHand: 0 });
    const again = await stock.transferStock(actor, input);
    expect(again).toMatchObject({ from: { onHand: 0 }, to: { onHand: 3 }, userErrors: [] });
    expect(await stored(actor.tenantId, item, to)).toMatchObject({ onHand: 3, lines: 1 });
    expect((await keysOf(actor.tenantId)).map((k) => [k.operation, k.key])).toEqual([['transferStock', 'move']]);
  });

  it('moves stock between two locations as a TRANSFER_OUT and a TRANSFER_IN line', async () => {
    const { actor, items: [item], locations: [from, to] } = await tenant('transfer');
    await stock.adjustStock(actor, { itemId: item, locationId: from, delta: 6, reason: 'RECEIVED' });
    const result = await stock.transferStock(actor, { itemId: item, fromLocationId: from, toLocationId: to, quantity: 4, reference: 'move' });
    expect(result.userErrors).toEqual([]);
    expect(result.from).toMatchObject({ locationId: from, onHand: 2 });
    expect(result.to).toMatchObject({ locationId: to, onHand: 4 });
    const { rows } = await store.pool.query(`SELECT location_id AS "locationId", reason, on_hand_delta AS delta, reference FROM inventory.stock_movements WHERE tenant_id = $1 ORDER BY id`, [actor.tenantId]);
    expect(rows.slice(1)).toEqual([
      { locationId: from, reason: 'TRANSFER_OUT', delta: -4, reference: 'move' },
      { locationId: to, reason: 'TRANSFER_IN', delta: 4, reference: 'move' },
    ]);
  });

  it('refuses a transfer to the same location, of a bad quantity, of more than is there, or from an unknown location, changing nothing', async () => {
    const { actor, items: [item], locations: [from, to] } = await tenant('transfer-refused');
    await stock.adjustStock(actor, { itemId: item, locationId: from, delta: 2, reason: 'RECEIVED' });
    const input = { itemId: item, fromLocationId: from, toLocationId: to, quantity: 1 };
    expect((await stock.transferStock(actor, { ...input, toLocationId: from })).userErrors).toEqual([
      { code: 'INVALID_INPUT', field: ['input', 'toLocationId'], message: 'fromLocationId and toLocationId must differ' },
    ]);
    expect((await stock.transferStock(actor, { ...input, quantity: 0 })).userErrors).toEqual([{ code: 'INVALID_INPUT', field: ['input', 'quantity'], message: 'quantity must be at least 1; got 0' }]);
    expect((await stock.transferStock(actor, { ...input, reference: 'z'.repeat(501) })).userErrors[0]).toMatchObject({ code: 'INVALID_INPUT', field: ['input', 'reference'] });
    const short = await stock.transferStock(actor, { ...input, quantity: 3 });
    expect(short).toMatchObject({ from: null, to: null });
    expect(short.userErrors).toEqual([{ code: 'INSUFFICIENT_STOCK', field: ['input', 'quantity'], message: `Only 2 available of item ${item} at location ${from}; 3 needed`, itemId: item, available: 2 }]);
    expect((await stock.transferStock(actor, { ...input, toLocationId: MISSING })).userErrors).toEqual([
      { code: 'NOT_FOUND', field: ['input', 'toLocationId'], message: `No location with id "${MISSING}"`, itemId: item },
    ]);
    expect((await stock.transferStock(actor, { ...input, fromLocationId: MISSING })).userErrors[0]).toMatchObject({ code: 'NOT_FOUND', field: ['input', 'fromLocationId'] });
    expect(await stored(actor.tenantId, item, from)).toMatchObject({ onHand: 2, lines: 1 });
    expect(await stored(actor.tenantId, item, to)).toBeNull();
  });
});

describe('setReorderPoint', () => {
  it('raises LowStock when a new reorder point puts the level below it, once, and not when it is cleared', async () => {
    const { actor, items: [item], locations: [loc] } = await tenant('reorder');
    await stock.adjustStock(actor, { itemId: item, locationId: loc, delta: 5, reason: 'RECEIVED' });
    expect((await stock.setReorderPoint(actor, { itemId: item, locationId: loc, reorderPoint: 5 })).stockLevel).toMatchObject({ reorderPoint: 5, onHand: 5 });
    expect(await events(actor.tenantId, 'LowStock')).toEqual([]);
    const below = await stock.setReorderPoint(actor, { itemId: item, locationId: loc, reorderPoint: 6 });
    expect(below).toMatchObject({ movement: null, userErrors: [], stockLevel: { reorderPoint: 6 } });
    await stock.setReorderPoint(actor, { itemId: item, locationId: loc, reorderPoint: 7 });
    const low = await events(actor.tenantId, 'LowStock');
    expect(low.map((e) => e.payload)).toEqual([{ itemId: item, locationId: loc, onHand: 5, reserved: 0, available: 5, reorderPoint: 6, occurredAt: expect.any(String) }]);
    expect((await stock.setReorderPoint(actor, { itemId: item, locationId: loc, reorderPoint: null })).stockLevel!.reorderPoint).toBeNull();
    expect(await events(actor.tenantId, 'LowStock')).toHaveLength(1);
  });

  it('raises LowStock when a change takes available below the reorder point, with the level after it', async () => {
    const { actor, items: [item], locations: [loc] } = await tenant('reorder-change');
    await stock.adjustStock(actor, { itemId: item, locationId: loc, delta: 4, reason: 'RECEIVED' });
    await stock.setReorderPoint(actor, { itemId: item, locationId: loc, reorderPoint: 3 });
    await stock.adjustStock(actor, { itemId: item, locationId: loc, delta: -1, reason: 'DAMAGED', idempotencyKey: 'out-1' });
    expect(await events(actor.tenantId, 'LowStock')).toEqual([]);
    await stock.adjustStock(actor, { itemId: item, locationId: loc, delta: -1, reason: 'DAMAGED', idempotencyKey: 'out-2' });
    await stock.adjustStock(actor, { itemId: item, locationId: loc, delta: -1, reason: 'DAMAGED', idempotencyKey: 'out-3' });
    const low = await events(actor.tenantId, 'LowStock');
    expect(low.map((e) => e.payload)).toEqual([{ itemId: item, locationId: loc, onHand: 2, reserved: 0, available: 2, reorderPoint: 3, occurredAt: expect.any(String) }]);
    const changed = await events(actor.tenantId, 'StockChanged');
    expect(changed.at(-1)!.payload).toMatchObject({ onHand: 1, reorderPoint: 3, reason: 'DAMAGED' });
  });

  it('refuses a negative or fractional reorder point and an unknown location', async () => {
    const { actor, items: [item], locations: [loc] } = await tenant('reorder-invalid');
    expect((await stock.setReorderPoint(actor, { itemId: item, locationId: loc, reorderPoint: -1 })).userErrors).toEqual([
      { code: 'INVALID_INPUT', field: ['reorderPoint'], message: 'reorderPoint must be zero or more; got -1' },
    ]);
    expect((await stock.setReorderPoint(actor, { itemId: item, locationId: MISSING, reorderPoint: 1 })).userErrors).toEqual([
      { code: 'NOT_FOUND', field: ['locationId'], message: `No location with id "${MISSING}"`, itemId: item },
    ]);
    expect((await stock.setReorderPoint(actor, { itemId: item, locationId: loc, reorderPoint: 0 })).stockLevel!.reorderPoint).toBe(0);
  });
});

describe('movements', () => {
  it("lists and counts only the tenant's ledger lines, newest first, and nothing for a malformed id filter", async () => {
    const a = await tenant('moves-a');
    const b = await tenant('moves-b');
    await stock.adjustStock(a.actor, { itemId: a.items[0], locationId: a.locations[0], delta: 1, reason: 'RECEIVED' });
    await stock.adjustStock(a.actor, { itemId: a.items[1], locationId: a.locations[0], delta: 2, reason: 'RECEIVED' });
    await stock.adjustStock(b.actor, { itemId: b.items[0], locationId: b.locations[0], delta: 3, reason: 'RECEIVED' });
    const all = await stock.listMovements(a.actor, { filter: {}, beforeId: null, limit: 10 });
    expect(all.map((m) => m.onHandDelta)).toEqual([2, 1]);
    expect(await stock.countMovements(a.actor, {})).toBe(2);
    expect(await stock.countMovements(a.actor, { itemId: a.items[0] })).toBe(1);
    expect((await stock.listMovements(a.actor, { filter: { itemId: a.items[0] }, beforeId: null, limit: 10 })).map((m) => m.onHandDelta)).toEqual([1]);
    expect(await stock.listMovements(a.actor, { filter: { itemId: 'nope' }, beforeId: null, limit: 10 })).toEqual([]);
    expect(await stock.listMovements(a.actor, { filter: { locationId: 'nope' }, beforeId: null, limit: 10 })).toEqual([]);
    expect(await stock.countMovements(a.actor, { locationId: 'nope' })).toBe(0);
    expect(await stock.countMovements(a.actor, { locationId: a.locations[0] })).toBe(2);
  });
});

// Last in the file: the slowest test (5,000 changes), run only when every other test passed.
describe('bulkAdjustStock at its limit', () => {
  it(`applies exactly ${MAX_BULK_STOCK_INPUTS} inputs in one call`, async () => {
    const { actor, items: [item], locations: [loc] } = await tenant('bulk-at-limit');
    const inputs = Array.from({ length: MAX_BULK_STOCK_INPUTS }, () => ({ itemId: item, locationId: loc, delta: 1, reason: 'RECEIVED' as const }));
    const exactly = await stock.bulkAdjustStock(actor, inputs, 'ATOMIC');
    expect(exactly.userErrors).toEqual([]);
    expect(exactly.stockLevels.at(-1)!.onHand).toBe(MAX_BULK_STOCK_INPUTS);
  });
});
