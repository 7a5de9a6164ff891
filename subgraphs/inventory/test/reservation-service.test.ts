import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_LINES, MAX_TTL_SECONDS, ReservationService, SWEEPER_ACTOR } from '../src/domain/reservation.service.ts';
import { StockService } from '../src/domain/stock.service.ts';
import { openStockDatabase, type StockDatabase } from './support/stock-database.ts';

let store: StockDatabase;
let stock: StockService;
let reservations: ReservationService;
let committed = 0;

beforeAll(async () => {
  store = await openStockDatabase('reservation_service');
  stock = new StockService(store.db);
  reservations = new ReservationService(store.db, () => committed++);
});
afterAll(async () => {
  await store?.close();
});

const MISSING = '00000000-0000-4000-8000-000000000000';

/** A tenant whose item i has `stock[i][j]` on hand at location j. */
async function tenant(label: string, stockAt: number[][] = [[10, 0]]) {
  const t = await store.seedTenant(label, { items: stockAt.length, locations: stockAt[0].length });
  const actor = { tenantId: t.tenantId, userId: `user-${label}` };
  for (const [i, row] of stockAt.entries()) {
    for (const [j, onHand] of row.entries()) if (onHand > 0) await stock.adjustStock(actor, { itemId: t.items[i], locationId: t.locations[j], delta: onHand, reason: 'RECEIVED' });
  }
  return { ...t, actor };
}

async function level(tenantId: string, itemId: string, locationId: string) {
  const { rows } = await store.pool.query(`SELECT on_hand AS "onHand", reserved FROM inventory.stock_levels WHERE tenant_id = $1 AND item_id = $2 AND location_id = $3`, [tenantId, itemId, locationId]);
  return rows[0] ?? null;
}

async function row(id: string) {
  const { rows } = await store.pool.query(`SELECT status::text, quantity, consumed_quantity AS consumed, expires_at AS "expiresAt" FROM inventory.reservations WHERE id = $1`, [id]);
  return rows[0] ?? null;
}

async function lines(tenantId: string) {
  const { rows } = await store.pool.query(
    `SELECT reason::text, on_hand_delta AS "onHand", reserved_delta AS reserved, reservation_id AS "reservationId", actor_id AS actor, reference FROM inventory.stock_movements WHERE tenant_id = $1 AND reason::text NOT IN ('RECEIVED') ORDER BY id`,
    [tenantId],
  );
  return rows;
}

describe('reserveStock', () => {
  it('moves available stock to reserved with a RESERVED ledger line that names the reservation', async () => {
    const { actor, items: [item], locations: [loc] } = await tenant('reserve');
    const before = committed;
    const result = await reservations.reserveStock(actor, { itemId: item, locationId: loc, quantity: 4, reference: 'cart-1', ttlSeconds: 600 });
    expect(result.userErrors).toEqual([]);
    const r = result.reservation!;
    expect(r).toMatchObject({ tenantId: actor.tenantId, itemId: item, locationId: loc, quantity: 4, consumedQuantity: 0, reference: 'cart-1', status: 'ACTIVE' });
    const ttl = r.expiresAt!.getTime() - r.createdAt.getTime();
    expect(ttl).toBeGreaterThan(590_000);
    expect(ttl).toBeLessThanOrEqual(600_000);
    expect(await row(r.id)).toMatchObject({ status: 'ACTIVE', quantity: 4, consumed: 0 });
    expect(await level(actor.tenantId, item, loc)).toEqual({ onHand: 10, reserved: 4 });
    expect(await lines(actor.tenantId)).toEqual([{ reason: 'RESERVED', onHand: 0, reserved: 4, reservationId: r.id, actor: 'user-reserve', reference: 'cart-1' }]);
    expect(committed).toBe(before + 1);
    const { rows: changed } = await store.pool.query(`SELECT payload FROM inventory.outbox_events WHERE tenant_id = $1 AND type = 'StockChanged' ORDER BY id DESC LIMIT 1`, [actor.tenantId]);
    expect(changed[0].payload).toMatchObject({ reason: 'RESERVED', onHand: 10, reserved: 4, available: 6, reservationId: r.id });
    const forever = await reservations.reserveStock(actor, { itemId: item, locationId: loc, quantity: 1 });
    expect(forever.reservation).toMatchObject({ expiresAt: null, reference: null });
  });

  it('refuses to reserve more than is available with INSUFFICIENT_STOCK and changes nothing', async () => {
    const { actor, items: [item], locations: [loc, empty] } = await tenant('reserve-short');
    await reservations.reserveStock(actor, { itemId: item, locationId: loc, quantity: 8 });
    const result = await reservations.reserveStock(actor, { itemId: item, locationId: loc, quantity: 3 });
    expect(result).toEqual({
      reservation: null,
      userErrors: [{ code: 'INSUFFICIENT_STOCK', field: ['input', 'quantity'], message: `Only 2 available of item ${item} at location ${loc}; 3 needed`, itemId: item, available: 2 }],
    });
    expect((await reservations.reserveStock(actor, { itemId: item, locationId: empty, quantity: 1 })).userErrors[0]).toMatchObject({ code: 'INSUFFICIENT_STOCK', available: 0 });
    expect(await level(actor.tenantId, item, loc)).toEqual({ onHand: 10, reserved: 8 });
    expect(await level(actor.tenantId, item, empty)).toBeNull();
  });

  it('refuses a bad quantity, a bad ttl, a long reference or an unknown location with the field named', async () => {
    const { actor, items: [item], locations: [loc] } = await tenant('reserve-invalid');
    const base = { itemId: item, locationId: loc, quantity: 1 };
    expect((await reservations.reserveStock(actor, { ...base, quantity: 0 })).userErrors).toEqual([{ code: 'INVALID_INPUT', field: ['input', 'quantity'], message: 'quantity must be at least 1; got 0' }]);
    for (const ttlSeconds of [0, 1.5, MAX_TTL_SECONDS + 1]) {
      expect((await reservations.reserveStock(actor, { ...base, ttlSeconds })).userErrors).toEqual([
        { code: 'INVALID_INPUT', field: ['input', 'ttlSeconds'], message: `ttlSeconds must be between 1 and ${MAX_TTL_SECONDS}` },
      ]);
    }
    expect((await reservations.reserveStock(actor, { ...base, reference: 'x'.repeat(501) })).userErrors[0]).toMatchObject({ field: ['input', 'reference'] });
    expect((await reservations.reserveStock(actor, { ...base, locationId: MISSING })).userErrors[0]).toMatchObject({ code: 'NOT_FOUND', field: ['input', 'locationId'] });
    for (const ttlSeconds of [1, MAX_TTL_SECONDS]) expect((await reservations.reserveStock(actor, { ...base, ttlSeconds })).userErrors).toEqual([]);
    expect(await level(actor.tenantId, item, loc)).toEqual({ onHand: 10, reserved: 2 });
  });

  it('replays a reservation made under an idempotency key instead of holding twice', async () => {
    const { actor, items: [item], locations: [loc] } = await tenant('reserve-key');
    const input = { itemId: item, locationId: loc, quantity: 3, idempotencyKey: 'r-1' };
    const first = await reservations.reserveStock(actor, input);
    const again = await reservations.reserveStock(actor, input);
    expect(again.reservation!.id).toBe(first.reservation!.id);
    expect(await level(actor.tenantId, item, loc)).toEqual({ onHand: 10, reserved: 3 });
  });
});

describe('releaseReservation', () => {
  it('gives back what a hold still holds, once, and answers the reservation as RELEASED', async () => {
    const { actor, items: [item], locations: [loc] } = await tenant('release');
    const { reservation } = await reservations.reserveStock(actor, { itemId: item, locationId: loc, quantity: 6, reference: 'hold' });
    await reservations.consume(actor, { consumptions: [{ reservationId: reservation!.id, quantity: 2 }] });
    const released = await reservations.releaseReservation(actor, reservation!.id);
    expect(released.userErrors).toEqual([]);
    expect(released.reservation).toMatchObject({ id: reservation!.id, status: 'RELEASED', consumedQuantity: 2 });
    expect(await level(actor.tenantId, item, loc)).toEqual({ onHand: 8, reserved: 0 });
    expect((await lines(actor.tenantId)).at(-1)).toEqual({ reason: 'RELEASED', onHand: 0, reserved: -4, reservationId: reservation!.id, actor: 'user-release', reference: 'hold' });
    const again = await reservations.releaseReservation(actor, reservation!.id);
    expect(again.reservation).toMatchObject({ status: 'RELEASED' });
    expect(await level(actor.tenantId, item, loc)).toEqual({ onHand: 8, reserved: 0 });
    expect(await lines(actor.tenantId)).toHaveLength(3);
  });

  it("answers NOT_FOUND for an unknown, malformed or other tenant's reservation and releases nothing", async () => {
    const a = await tenant('release-owner');
    const b = await tenant('release-other');
    const { reservation } = await reservations.reserveStock(a.actor, { itemId: a.items[0], locationId: a.locations[0], quantity: 2 });
    for (const id of [reservation!.id, MISSING, 'nope']) {
      expect(await reservations.releaseReservation(b.actor, id)).toEqual({ reservation: null, userErrors: [{ code: 'NOT_FOUND', field: ['id'], message: `No reservation with id "${id}"` }] });
    }
    const many = await reservations.releaseReservations(a.actor, { reservationIds: [reservation!.id, MISSING] });
    expect(many.userErrors).toEqual([{ code: 'NOT_FOUND', field: ['reservationIds', '1'], message: `No reservation with id "${MISSING}"` }]);
    expect(await row(reservation!.id)).toMatchObject({ status: 'ACTIVE' });
    expect(await level(a.tenantId, a.items[0], a.locations[0])).toEqual({ onHand: 10, reserved: 2 });
  });
});

describe('a level that holds less than its reservations', () => {
  it('refuses to release a hold its level no longer has reserved, and changes nothing', async () => {
    const { actor, items: [item], locations: [loc] } = await tenant('corrupt');
    const held = (await reservations.reserveStock(actor, { itemId: item, locationId: loc, quantity: 3 })).reservation!;
    await store.pool.query(`UPDATE inventory.stock_levels SET reserved = 1 WHERE tenant_id = $1`, [actor.tenantId]);
    await expect(reservations.releaseReservation(actor, held.id)).rejects.toThrow(`Reservation ${held.id} holds more than its level has reserved`);
    expect(await row(held.id)).toMatchObject({ status: 'ACTIVE' });
    expect(await level(actor.tenantId, item, loc)).toEqual({ onHand: 10, reserved: 1 });
  });
});

describe('expireDue', () => {
  it('expires the holds past their time, with the sweeper as actor, and leaves the others', async () => {
    const { actor, items: [item], locations: [loc] } = await tenant('expire');
    const due = (await reservations.reserveStock(actor, { itemId: item, locationId: loc, quantity: 3, ttlSeconds: 60 })).reservation!;
    const later = (await reservations.reserveStock(actor, { itemId: item, locationId: loc, quantity: 2, ttlSeconds: 3600 })).reservation!;
    const forever = (await reservations.reserveStock(actor, { itemId: item, locationId: loc, quantity: 1 })).reservation!;
    await store.pool.query(`UPDATE inventory.reservations SET expires_at = now() - interval '1 second' WHERE id = $1`, [due.id]);
    const before = committed;
    expect(await reservations.expireDue()).toBeGreaterThanOrEqual(1);
    expect(committed).toBe(before + 1);
    expect(await row(due.id)).toMatchObject({ status: 'EXPIRED' });
    expect(await row(later.id)).toMatchObject({ status: 'ACTIVE' });
    expect(await row(forever.id)).toMatchObject({ status: 'ACTIVE' });
    expect(await level(actor.tenantId, item, loc)).toEqual({ onHand: 10, reserved: 3 });
    expect((await lines(actor.tenantId)).at(-1)).toMatchObject({ reason: 'RELEASED', reserved: -3, reservationId: due.id, actor: SWEEPER_ACTOR });
    expect(await reservations.expireDue()).toBe(0);
    expect(committed).toBe(before + 1);
  });
});

describe('reserveLines', () => {
  it('reserves each line at its location, or allocates one without a location from the levels that have stock', async () => {
    const { actor, items: [i1, i2], locations: [l1, l2] } = await tenant('lines', [[5, 8], [4, 4]]);
    const result = await reservations.reserveLines(actor, {
      lines: [{ itemId: i1, quantity: 2, locationId: l1 }, { itemId: i1, quantity: 8 }, { itemId: i2, quantity: 6 }],
      reference: 'order-1',
    });
    expect(result.userErrors).toEqual([]);
    expect(result.reservations.map((r) => [r.lineIndex, r.itemId, r.locationId, r.quantity, r.reference])).toEqual([
      [0, i1, l1, 2, 'order-1'],
      [1, i1, l2, 8, 'order-1'],
      [2, i2, [l1, l2].sort()[0], 4, 'order-1'],
      [2, i2, [l1, l2].sort()[1], 2, 'order-1'],
    ]);
    expect(await level(actor.tenantId, i1, l1)).toEqual({ onHand: 5, reserved: 2 });
    expect(await level(actor.tenantId, i1, l2)).toEqual({ onHand: 8, reserved: 8 });
    expect((await level(actor.tenantId, i2, l1)).reserved + (await level(actor.tenantId, i2, l2)).reserved).toBe(6);
    for (const r of result.reservations) expect(await row(r.id)).toMatchObject({ status: 'ACTIVE', quantity: r.quantity });
  });

  it('checks lines of one item against their sum, and reserves none when one line cannot be covered', async () => {
    const { actor, items: [i1, i2], locations: [l1, l2] } = await tenant('lines-short', [[3, 2], [1, 0]]);
    const result = await reservations.reserveLines(actor, { lines: [{ itemId: i1, quantity: 4 }, { itemId: i1, quantity: 2 }] });
    expect(result).toEqual({
      reservations: [],
      userErrors: [{ code: 'INSUFFICIENT_STOCK', field: ['lines', '1', 'quantity'], message: `Only 1 of item ${i1} available across locations; 2 needed`, itemId: i1, available: 1 }],
    });
    const pinned = await reservations.reserveLines(actor, { lines: [{ itemId: i2, quantity: 1 }, { itemId: i2, quantity: 1, locationId: l1 }] });
    expect(pinned.userErrors).toEqual([{ code: 'INSUFFICIENT_STOCK', field: ['lines', '1', 'quantity'], message: `Only 0 available of item ${i2} at location ${l1}; 1 needed`, itemId: i2, available: 0 }]);
    expect(await level(actor.tenantId, i1, l1)).toEqual({ onHand: 3, reserved: 0 });
    expect(await level(actor.tenantId, i1, l2)).toEqual({ onHand: 2, reserved: 0 });
    expect(await level(actor.tenantId, i2, l1)).toEqual({ onHand: 1, reserved: 0 });
  });

  it('refuses no lines, too many lines, a bad quantity and an unknown item or location, with the line named', async () => {
    const { actor, items: [item], locations: [loc] } = await tenant('lines-invalid');
    const none = { code: 'INVALID_INPUT', field: ['lines'], message: `An order needs 1 to ${MAX_LINES} lines` };
    expect((await reservations.reserveLines(actor, { lines: [] })).userErrors).toEqual([none]);
    expect((await reservations.reserveLines(actor, { lines: Array.from({ length: MAX_LINES + 1 }, () => ({ itemId: item, quantity: 1 })) })).userErrors).toEqual([none]);
    expect((await reservations.reserveLines(actor, { lines: [{ itemId: item, quantity: 1 }, { itemId: item, quantity: -1 }] })).userErrors).toEqual([
      { code: 'INVALID_INPUT', field: ['lines', '1', 'quantity'], message: 'quantity must be at least 1; got -1' },
    ]);
    expect((await reservations.reserveLines(actor, { lines: [{ itemId: item, quantity: 1 }, { itemId: MISSING, quantity: 1 }] })).userErrors).toEqual([
      { code: 'NOT_FOUND', field: ['lines', '1', 'itemId'], message: `No item with id "${MISSING}"`, itemId: MISSING },
    ]);
    expect((await reservations.reserveLines(actor, { lines: [{ itemId: item, quantity: 1, locationId: MISSING }] })).userErrors).toEqual([
      { code: 'NOT_FOUND', field: ['lines', '0', 'locationId'], message: `No location with id "${MISSING}"`, itemId: item },
    ]);
    const most = await reservations.reserveLines(actor, { lines: Array.from({ length: MAX_LINES }, () => ({ itemId: item, quantity: 1, locationId: loc })).slice(0, 10) });
    expect(most.userErrors).toEqual([]);
    expect(await level(actor.tenantId, item, loc)).toEqual({ onHand: 10, reserved: 10 });
  });

  it('answers a repeated call under the same key with the first reservations, and refuses the key with other lines', async () => {
    const { actor, items: [item] } = await tenant('lines-key');
    const input = { lines: [{ itemId: item, quantity: 3 }], idempotencyKey: 'order-7' };
    const first = await reservations.reserveLines(actor, input);
    const again = await reservations.reserveLines(actor, input);
    expect(again.reservations.map((r) => r.id)).toEqual(first.reservations.map((r) => r.id));
    expect(again.reservations[0].lineIndex).toBe(0);
    const other = await reservations.reserveLines(actor, { ...input, lines: [{ itemId: item, quantity: 4 }] });
    expect(other.userErrors).toEqual([{ code: 'IDEMPOTENCY_KEY_REUSED', field: ['idempotencyKey'], message: 'This idempotencyKey was already used with a different input' }]);
    const { rows } = await store.pool.query(`SELECT count(*)::int AS n FROM inventory.reservations WHERE tenant_id = $1`, [actor.tenantId]);
    expect(rows[0].n).toBe(1);
  });
});

describe('consume', () => {
  it('ships part of a hold and then the rest, taking it out of onHand and reserved, and marks it CONSUMED when whole', async () => {
    const { actor, items: [item], locations: [loc] } = await tenant('consume');
    const { reservation } = await reservations.reserveStock(actor, { itemId: item, locationId: loc, quantity: 5 });
    const part = await reservations.consume(actor, { consumptions: [{ reservationId: reservation!.id, quantity: 2 }], reference: 'ship-1' });
    expect(part.userErrors).toEqual([]);
    expect(part.reservations).toEqual([expect.objectContaining({ id: reservation!.id, status: 'ACTIVE', consumedQuantity: 2 })]);
    expect(await row(reservation!.id)).toMatchObject({ status: 'ACTIVE', consumed: 2 });
    const rest = await reservations.consume(actor, { consumptions: [{ reservationId: reservation!.id, quantity: 1 }, { reservationId: reservation!.id, quantity: 2 }] });
    expect(rest.reservations).toEqual([expect.objectContaining({ status: 'CONSUMED', consumedQuantity: 5 })]);
    expect(await row(reservation!.id)).toMatchObject({ status: 'CONSUMED', consumed: 5 });
    expect(await level(actor.tenantId, item, loc)).toEqual({ onHand: 5, reserved: 0 });
    expect((await lines(actor.tenantId))[1]).toEqual({ reason: 'SHIPPED', onHand: -2, reserved: -2, reservationId: reservation!.id, actor: 'user-consume', reference: 'ship-1' });
  });

  it('refuses to ship more than a hold has left, from a hold no longer active, or an unknown hold, and ships nothing', async () => {
    const { actor, items: [item], locations: [loc] } = await tenant('consume-refused');
    const held = (await reservations.reserveStock(actor, { itemId: item, locationId: loc, quantity: 3 })).reservation!;
    const gone = (await reservations.reserveStock(actor, { itemId: item, locationId: loc, quantity: 1 })).reservation!;
    await reservations.releaseReservation(actor, gone.id);
    expect((await reservations.consume(actor, { consumptions: [{ reservationId: held.id, quantity: 1 }, { reservationId: held.id, quantity: 3 }] })).userErrors).toEqual([
      { code: 'INVALID_INPUT', field: ['consumptions', '1', 'quantity'], message: `Reservation ${held.id} holds 2; cannot ship 3` },
    ]);
    expect((await reservations.consume(actor, { consumptions: [{ reservationId: gone.id, quantity: 1 }] })).userErrors).toEqual([
      { code: 'INVALID_STATE', field: ['consumptions', '0', 'reservationId'], message: `Reservation ${gone.id} is RELEASED` },
    ]);
    expect((await reservations.consume(actor, { consumptions: [{ reservationId: MISSING, quantity: 1 }] })).userErrors).toEqual([
      { code: 'NOT_FOUND', field: ['consumptions', '0', 'reservationId'], message: `No reservation with id "${MISSING}"` },
    ]);
    expect((await reservations.consume(actor, { consumptions: [{ reservationId: held.id, quantity: 0 }] })).userErrors).toEqual([
      { code: 'INVALID_INPUT', field: ['consumptions', '0', 'quantity'], message: 'quantity must be at least 1; got 0' },
    ]);
    expect(await row(held.id)).toMatchObject({ status: 'ACTIVE', consumed: 0 });
    expect(await level(actor.tenantId, item, loc)).toEqual({ onHand: 10, reserved: 3 });
  });

  it("cannot ship another tenant's hold", async () => {
    const a = await tenant('consume-owner');
    const b = await tenant('consume-other');
    const held = (await reservations.reserveStock(a.actor, { itemId: a.items[0], locationId: a.locations[0], quantity: 2 })).reservation!;
    expect((await reservations.consume(b.actor, { consumptions: [{ reservationId: held.id, quantity: 1 }] })).userErrors[0]).toMatchObject({ code: 'NOT_FOUND' });
    expect(await level(a.tenantId, a.items[0], a.locations[0])).toEqual({ onHand: 10, reserved: 2 });
  });

  it('replays a shipment made under a key instead of shipping twice', async () => {
    const { actor, items: [item], locations: [loc] } = await tenant('consume-key');
    const held = (await reservations.reserveStock(actor, { itemId: item, locationId: loc, quantity: 4 })).reservation!;
    const input = { consumptions: [{ reservationId: held.id, quantity: 1 }], idempotencyKey: 'ship-9' };
    await reservations.consume(actor, input);
    const again = await reservations.consume(actor, input);
    expect(again.reservations[0]).toMatchObject({ consumedQuantity: 1 });
    expect(await level(actor.tenantId, item, loc)).toEqual({ onHand: 9, reserved: 3 });
  });
});

describe('limits, names and keys', () => {
  it('holds for at most 30 days (2,592,000 s) and lets expired holds go as system:reservation-sweeper', async () => {
    const { actor, items: [item], locations: [loc] } = await tenant('limits');
    const base = { itemId: item, locationId: loc, quantity: 1 };
    expect((await reservations.reserveStock(actor, { ...base, ttlSeconds: 2_592_000 })).userErrors).toEqual([]);
    expect((await reservations.reserveStock(actor, { ...base, ttlSeconds: 2_592_001 })).userErrors[0]).toMatchObject({ field: ['input', 'ttlSeconds'] });
    const held = (await reservations.reserveStock(actor, { ...base, ttlSeconds: 60 })).reservation!;
    await store.pool.query(`UPDATE inventory.reservations SET expires_at = now() - interval '1 second' WHERE id = $1`, [held.id]);
    await reservations.expireDue();
    expect((await lines(actor.tenantId)).at(-1)).toMatchObject({ reason: 'RELEASED', reservationId: held.id, actor: 'system:reservation-sweeper' });
  });

  it('stores the expiry of a hold, and names each ledger line in its StockChanged event', async () => {
    const { actor, items: [item], locations: [l1, l2] } = await tenant('stored', [[3, 3]]);
    const held = (await reservations.reserveStock(actor, { itemId: item, locationId: l1, quantity: 1, ttlSeconds: 600 })).reservation!;
    expect((await row(held.id)).expiresAt).toEqual(held.expiresAt);
    await reservations.reserveLines(actor, { lines: [{ itemId: item, quantity: 2, locationId: l1 }, { itemId: item, quantity: 3, locationId: l2 }] });
    const { rows: moved } = await store.pool.query(`SELECT id::text, reservation_id AS "reservationId" FROM inventory.stock_movements WHERE tenant_id = $1 AND reason = 'RESERVED' ORDER BY id`, [actor.tenantId]);
    const { rows: events } = await store.pool.query(`SELECT payload FROM inventory.outbox_events WHERE tenant_id = $1 AND type = 'StockChanged' AND payload->>'reason' = 'RESERVED' ORDER BY id`, [actor.tenantId]);
    expect(moved).toHaveLength(3);
    expect(events.map((e) => [e.payload.movementId, e.payload.reservationId])).toEqual(moved.map((m) => [m.id, m.reservationId]));
  });

  it("keeps each operation's keys under its own name, and refuses a release key reused for other reservations", async () => {
    const { actor, items: [item], locations: [loc] } = await tenant('key-scope');
    const one = (await reservations.reserveStock(actor, { itemId: item, locationId: loc, quantity: 1, idempotencyKey: 'k' })).reservation!;
    const two = (await reservations.reserveStock(actor, { itemId: item, locationId: loc, quantity: 1 })).reservation!;
    expect((await reservations.releaseReservations(actor, { reservationIds: [one.id], idempotencyKey: 'k' })).userErrors).toEqual([]);
    expect(await reservations.releaseReservations(actor, { reservationIds: [two.id], idempotencyKey: 'k' })).toEqual({
      reservations: [],
      userErrors: [{ code: 'IDEMPOTENCY_KEY_REUSED', field: ['input', 'idempotencyKey'], message: 'This idempotencyKey was already used with a different input' }],
    });
    expect(await row(two.id)).toMatchObject({ status: 'ACTIVE' });
    const { rows } = await store.pool.query(`SELECT operation FROM inventory.idempotency_keys WHERE tenant_id = $1 AND key = 'k' ORDER BY operation`, [actor.tenantId]);
    expect(rows.map((r) => r.operation)).toEqual(['releaseReservations', 'reserveStock']);
  });

  it('leaves the key of a request refused as not found or invalid free for the corrected request', async () => {
    const { actor, items: [item], locations: [loc] } = await tenant('key-refused');
    const key = { idempotencyKey: 'retry' };
    expect((await reservations.reserveStock(actor, { itemId: item, locationId: MISSING, quantity: 1, ...key })).userErrors[0]).toMatchObject({ code: 'NOT_FOUND' });
    const held = (await reservations.reserveStock(actor, { itemId: item, locationId: loc, quantity: 3, ...key })).reservation!;
    expect(held).toMatchObject({ locationId: loc, quantity: 3 });

    expect((await reservations.reserveLines(actor, { lines: [{ itemId: MISSING, quantity: 1 }], ...key })).userErrors[0]).toMatchObject({ code: 'NOT_FOUND' });
    expect((await reservations.reserveLines(actor, { lines: [{ itemId: item, quantity: 1 }], ...key })).userErrors).toEqual([]);

    expect((await reservations.consume(actor, { consumptions: [{ reservationId: MISSING, quantity: 1 }], ...key })).userErrors[0]).toMatchObject({ code: 'NOT_FOUND' });
    expect((await reservations.consume(actor, { consumptions: [{ reservationId: held.id, quantity: 4 }], idempotencyKey: 'retry-2' })).userErrors[0]).toMatchObject({ code: 'INVALID_INPUT' });
    expect((await reservations.consume(actor, { consumptions: [{ reservationId: held.id, quantity: 1 }], ...key })).userErrors).toEqual([]);
    expect((await reservations.consume(actor, { consumptions: [{ reservationId: held.id, quantity: 2 }], idempotencyKey: 'retry-2' })).userErrors).toEqual([]);

    expect((await reservations.releaseReservations(actor, { reservationIds: [held.id, MISSING], ...key })).userErrors[0]).toMatchObject({ code: 'NOT_FOUND' });
    expect((await reservations.releaseReservations(actor, { reservationIds: [held.id], ...key })).userErrors).toEqual([]);
    expect(await level(actor.tenantId, item, loc)).toEqual({ onHand: 7, reserved: 1 });
  });
});

describe('more reserveLines, expireDue and consume cases', () => {
  it('takes exactly MAX_LINES (500) lines', async () => {
    const { actor, items: [item], locations: [loc] } = await tenant('lines-max', [[500, 0]]);
    expect(MAX_LINES).toBe(500);
    const result = await reservations.reserveLines(actor, { lines: Array.from({ length: 500 }, () => ({ itemId: item, quantity: 1, locationId: loc })) });
    expect(result.userErrors).toEqual([]);
    expect(result.reservations).toHaveLength(500);
    expect(await level(actor.tenantId, item, loc)).toEqual({ onHand: 500, reserved: 500 });
  });

  it('answers INSUFFICIENT_STOCK, available 0, for a line of an item that no location has ever held', async () => {
    const { actor, items: [, fresh] } = await tenant('lines-no-levels', [[1, 0], [0, 0]]);
    expect(await reservations.reserveLines(actor, { lines: [{ itemId: fresh, quantity: 1 }] })).toEqual({
      reservations: [],
      userErrors: [{ code: 'INSUFFICIENT_STOCK', field: ['lines', '0', 'quantity'], message: `Only 0 of item ${fresh} available across locations; 1 needed`, itemId: fresh, available: 0 }],
    });
  });

  it('expires no more holds per call than its limit, oldest first', async () => {
    const { actor, items: [item], locations: [loc] } = await tenant('expire-limit');
    const older = (await reservations.reserveStock(actor, { itemId: item, locationId: loc, quantity: 1, ttlSeconds: 60 })).reservation!;
    const newer = (await reservations.reserveStock(actor, { itemId: item, locationId: loc, quantity: 1, ttlSeconds: 60 })).reservation!;
    // Long past, so that these two are the oldest due holds of any test sharing the database.
    await store.pool.query(`UPDATE inventory.reservations SET expires_at = '2000-01-01T00:00:00Z'::timestamptz + (CASE WHEN id = $1 THEN 0 ELSE 1 END) * interval '1 second' WHERE id IN ($1, $2)`, [older.id, newer.id]);
    expect(await reservations.expireDue({ limit: 1 })).toBe(1);
    expect(await row(older.id)).toMatchObject({ status: 'EXPIRED' });
    expect(await row(newer.id)).toMatchObject({ status: 'ACTIVE' });
    await reservations.expireDue();
    expect(await row(newer.id)).toMatchObject({ status: 'EXPIRED' });
  });

  it('answers a refused consume or release with no reservations, a malformed id as NOT_FOUND, and a reused consume key with its field', async () => {
    const { actor, items: [item], locations: [loc] } = await tenant('consume-answers');
    const held = (await reservations.reserveStock(actor, { itemId: item, locationId: loc, quantity: 3 })).reservation!;
    expect(await reservations.consume(actor, { consumptions: [{ reservationId: 'nope', quantity: 1 }] })).toEqual({
      reservations: [],
      userErrors: [{ code: 'NOT_FOUND', field: ['consumptions', '0', 'reservationId'], message: 'No reservation with id "nope"' }],
    });
    expect(await reservations.releaseReservations(actor, { reservationIds: [MISSING] })).toEqual({
      reservations: [],
      userErrors: [{ code: 'NOT_FOUND', field: ['reservationIds', '0'], message: `No reservation with id "${MISSING}"` }],
    });
    await reservations.consume(actor, { consumptions: [{ reservationId: held.id, quantity: 1 }], idempotencyKey: 'ship' });
    expect(await reservations.consume(actor, { consumptions: [{ reservationId: held.id, quantity: 2 }], idempotencyKey: 'ship' })).toEqual({
      reservations: [],
      userErrors: [{ code: 'IDEMPOTENCY_KEY_REUSED', field: ['idempotencyKey'], message: 'This idempotencyKey was already used with a different input' }],
    });
    expect(await level(actor.tenantId, item, loc)).toEqual({ onHand: 9, reserved: 2 });
  });

  it('refuses to ship a hold its level no longer has reserved, naming the quantity, and ships nothing', async () => {
    const { actor, items: [item], locations: [loc] } = await tenant('consume-corrupt');
    const held = (await reservations.reserveStock(actor, { itemId: item, locationId: loc, quantity: 3 })).reservation!;
    await store.pool.query(`UPDATE inventory.stock_levels SET reserved = 1 WHERE tenant_id = $1`, [actor.tenantId]);
    expect(await reservations.consume(actor, { consumptions: [{ reservationId: held.id, quantity: 3 }] })).toEqual({
      reservations: [],
      userErrors: [{ code: 'INSUFFICIENT_STOCK', field: ['consumptions', '0', 'quantity'], message: `Only 9 available of item ${item} at location ${loc}; 3 needed`, itemId: item, available: 9 }],
    });
    expect(await row(held.id)).toMatchObject({ status: 'ACTIVE', consumed: 0 });
    expect(await level(actor.tenantId, item, loc)).toEqual({ onHand: 10, reserved: 1 });
  });
});
