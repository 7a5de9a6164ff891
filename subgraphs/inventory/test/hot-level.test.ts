/**
 * Docs/reliability.md, defect 4: changes queued on one hot stock level must not take every pooled
 * connection while they wait for its row lock; changes of other levels go on meanwhile.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReservationService } from '../src/domain/reservation.service.ts';
import { StockService } from '../src/domain/stock.service.ts';
import { createLevelGate } from '../src/domain/level-gate.ts';
import { openStockDatabase, type StockDatabase } from './support/stock-database.ts';

let store: StockDatabase;
let stock: StockService;
let reservations: ReservationService;

beforeAll(async () => {
  // The test database's pool has 4 connections: far fewer than the changes queued below.
  store = await openStockDatabase('hot_level');
  const gate = createLevelGate();
  stock = new StockService(store.db, () => {}, undefined, gate);
  reservations = new ReservationService(store.db, () => {}, undefined, gate);
});
afterAll(async () => {
  await store?.close();
});

const HOT = 300;

async function level(tenantId: string, itemId: string, locationId: string) {
  const { rows } = await store.pool.query(
    `SELECT on_hand AS "onHand", reserved,
            (SELECT count(*)::int FROM inventory.stock_movements m WHERE m.tenant_id = l.tenant_id AND m.item_id = l.item_id AND m.location_id = l.location_id) AS lines
     FROM inventory.stock_levels l WHERE tenant_id = $1 AND item_id = $2 AND location_id = $3`,
    [tenantId, itemId, locationId],
  );
  return rows[0];
}

describe('a hot stock level', () => {
  it.each([
    ['without idempotency keys (the one-statement path)', false],
    ['with idempotency keys (the transaction path)', true],
  ])('queues %s in the process, so a change of another level is not stuck behind them, and applies every one', async (_, keyed) => {
    const { tenantId, items: [hot, cold], locations: [loc] } = await store.seedTenant(`hot-${keyed}`, { items: 2, locations: 1 });
    const actor = { tenantId, userId: 'clerk' };
    await stock.adjustStock(actor, { itemId: hot!, locationId: loc!, delta: 1, reason: 'RECEIVED' });
    await stock.adjustStock(actor, { itemId: cold!, locationId: loc!, delta: 1, reason: 'RECEIVED' });

    let hotDone = 0;
    const hotChanges = Array.from({ length: HOT }, (_, i) =>
      stock.adjustStock(actor, { itemId: hot!, locationId: loc!, delta: 1, reason: 'RECEIVED', idempotencyKey: keyed ? `hot-${i}` : null }).then((r) => (hotDone++, r)),
    );
    const cold1 = await stock.adjustStock(actor, { itemId: cold!, locationId: loc!, delta: 1, reason: 'RECEIVED' });
    const doneWhenColdWas = hotDone;
    const answers = await Promise.all(hotChanges);

    expect(cold1.userErrors).toEqual([]);
    // Behind the queue on the pool it would have waited for nearly all of them.
    expect(doneWhenColdWas).toBeLessThan(HOT / 4);
    expect(answers.every((a) => a.userErrors.length === 0)).toBe(true);
    expect(await level(tenantId, hot!, loc!)).toEqual({ onHand: 1 + HOT, reserved: 0, lines: 1 + HOT });
  });

  it('queues reservations of one hot item likewise, and reserves no more than there is', async () => {
    const { tenantId, items: [hot, cold], locations: [loc] } = await store.seedTenant('hot-reserve', { items: 2, locations: 1 });
    const actor = { tenantId, userId: 'saga' };
    await stock.adjustStock(actor, { itemId: hot!, locationId: loc!, delta: 100, reason: 'RECEIVED' });
    await stock.adjustStock(actor, { itemId: cold!, locationId: loc!, delta: 5, reason: 'RECEIVED' });

    let hotDone = 0;
    const hotReservations = Array.from({ length: 150 }, (_, i) =>
      reservations.reserveLines(actor, { lines: [{ itemId: hot!, quantity: 1 }], reference: `order-${i}`, idempotencyKey: `reserve-${i}` }).then((r) => (hotDone++, r)),
    );
    const coldChange = await stock.adjustStock(actor, { itemId: cold!, locationId: loc!, delta: -1, reason: 'DAMAGED' });
    const doneWhenColdWas = hotDone;
    const answers = await Promise.all(hotReservations);

    expect(coldChange.userErrors).toEqual([]);
    expect(doneWhenColdWas).toBeLessThan(150 / 4);
    expect(answers.filter((a) => a.userErrors.length === 0)).toHaveLength(100);
    expect(await level(tenantId, hot!, loc!)).toMatchObject({ onHand: 100, reserved: 100 });
  });
});
