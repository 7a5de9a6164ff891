import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, uniqueTenant, type TestDatabase } from '@stockline/testkit';
import { loadInventoryConfig } from '../src/config.ts';
import { createInventoryServer, type InventoryServer } from '../src/server.ts';

let database: TestDatabase;
let server: InventoryServer;
let sql: pg.Client;

beforeAll(async () => {
  database = await createTestDatabase('property');
  server = await createInventoryServer({ config: loadInventoryConfig({ env: {}, overrides: { DATABASE_URL: database.url, LOG_LEVEL: 'silent' } }) });
  sql = new pg.Client({ connectionString: database.url });
  await sql.connect();
});
afterAll(async () => {
  await sql?.end();
  await server?.stop();
  await database?.drop();
});

const ITEMS = 2;
const LOCATIONS = 2;
const at = fc.record({ item: fc.nat(ITEMS - 1), location: fc.nat(LOCATIONS - 1) });
const qty = fc.integer({ min: 1, max: 15 });
const op = fc.oneof(
  fc.record({ kind: fc.constant('adjust' as const), at, delta: fc.integer({ min: -15, max: 15 }).filter((d) => d !== 0) }),
  fc.record({ kind: fc.constant('set' as const), at, onHand: fc.integer({ min: 0, max: 30 }) }),
  fc.record({ kind: fc.constant('transfer' as const), item: fc.nat(ITEMS - 1), quantity: qty }),
  fc.record({ kind: fc.constant('reserve' as const), at, quantity: qty }),
  fc.record({ kind: fc.constant('release' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('consume' as const), pick: fc.nat(), quantity: qty }),
  fc.record({ kind: fc.constant('bulk' as const), changes: fc.array(fc.record({ at, delta: fc.integer({ min: -10, max: 10 }).filter((d) => d !== 0) }), { minLength: 1, maxLength: 4 }), atomic: fc.boolean() }),
  fc.record({ kind: fc.constant('reorder' as const), at, point: fc.option(fc.nat(20), { nil: null }) }),
);

/** Every invariant the ledger promises, read straight from the tables. */
async function checkInvariants(tenantId: string) {
  const { rows: levels } = await sql.query(
    `SELECT l.item_id, l.location_id, l.on_hand, l.reserved,
            COALESCE((SELECT sum(on_hand_delta) FROM inventory.stock_movements m WHERE m.tenant_id = l.tenant_id AND m.item_id = l.item_id AND m.location_id = l.location_id), 0)::int AS ledger_on_hand,
            COALESCE((SELECT sum(reserved_delta) FROM inventory.stock_movements m WHERE m.tenant_id = l.tenant_id AND m.item_id = l.item_id AND m.location_id = l.location_id), 0)::int AS ledger_reserved,
            COALESCE((SELECT sum(quantity - consumed_quantity) FROM inventory.reservations r WHERE r.tenant_id = l.tenant_id AND r.item_id = l.item_id AND r.location_id = l.location_id AND r.status = 'ACTIVE'), 0)::int AS held
     FROM inventory.stock_levels l WHERE l.tenant_id = $1`,
    [tenantId],
  );
  for (const level of levels) {
    expect(level.on_hand).toBeGreaterThanOrEqual(0);
    expect(level.reserved).toBeGreaterThanOrEqual(0);
    expect(level.on_hand - level.reserved).toBeGreaterThanOrEqual(0);
    expect(level.ledger_on_hand).toBe(level.on_hand);
    expect(level.ledger_reserved).toBe(level.reserved);
    expect(level.held).toBe(level.reserved);
  }
  return new Map(levels.map((l) => [`${l.item_id}/${l.location_id}`, l.on_hand as number]));
}

describe('stock invariants under random interleaved operations', () => {
  it('keep onHand, reserved and available non-negative, the ledger summing to the levels and holds matching reserved, after every step', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 5, maxLength: 25 }), async (ops) => {
        const tenantId = uniqueTenant('prop');
        const actor = { tenantId, userId: 'property' };
        const { catalog, stock, reservations } = server.services;
        const locations: string[] = [];
        for (let l = 0; l < LOCATIONS; l++) locations.push((await catalog.createLocation(actor, `L${l}`, `L${l}`)).location!.id);
        const { items } = await catalog.bulkUpsertItems(actor, Array.from({ length: ITEMS }, (_, i) => ({ sku: `P-${i}`, name: `P ${i}` })), 'ATOMIC');
        const itemIds = items.map((i) => i!.id);
        const held: string[] = [];
        const key = (a: { item: number; location: number }) => ({ itemId: itemIds[a.item], locationId: locations[a.location] });
        let model = new Map<string, number>();
        for (const o of ops) {
          const expected = new Map(model);
          const k = (a: { item: number; location: number }) => `${itemIds[a.item]}/${locations[a.location]}`;
          switch (o.kind) {
            case 'adjust': {
              const r = await stock.adjustStock(actor, { ...key(o.at), delta: o.delta, reason: o.delta > 0 ? 'RECEIVED' : 'DAMAGED' });
              if (r.movement) expected.set(k(o.at), (expected.get(k(o.at)) ?? 0) + o.delta);
              break;
            }
            case 'set': {
              const r = await stock.setStock(actor, { ...key(o.at), onHand: o.onHand });
              if (!r.userErrors.length) expected.set(k(o.at), o.onHand);
              break;
            }
            case 'transfer': {
              const from = { item: o.item, location: 0 };
              const to = { item: o.item, location: 1 };
              const r = await stock.transferStock(actor, { itemId: itemIds[o.item], fromLocationId: locations[0], toLocationId: locations[1], quantity: o.quantity });
              if (!r.userErrors.length) {
                expected.set(k(from), (expected.get(k(from)) ?? 0) - o.quantity);
                expected.set(k(to), (expected.get(k(to)) ?? 0) + o.quantity);
              }
              break;
            }
            case 'reserve': {
              const r = await reservations.reserveStock(actor, { ...key(o.at), quantity: o.quantity });
              if (r.reservation) held.push(r.reservation.id);
              break;
            }
            case 'release': {
              if (held.length) await reservations.releaseReservation(actor, held[o.pick % held.length]);
              break;
            }
            case 'consume': {
              if (!held.length) break;
              const id = held[o.pick % held.length];
              const r = await reservations.consume(actor, { consumptions: [{ reservationId: id, quantity: o.quantity }] });
              if (!r.userErrors.length) {
                const res = r.reservations[0];
                const lk = `${res.itemId}/${res.locationId}`;
                expected.set(lk, (expected.get(lk) ?? 0) - o.quantity);
              }
              break;
            }
            case 'bulk': {
              const r = await stock.bulkAdjustStock(actor, o.changes.map((c) => ({ ...key(c.at), delta: c.delta, reason: c.delta > 0 ? 'RECEIVED' : 'DAMAGED' })), o.atomic ? 'ATOMIC' : 'PER_ITEM');
              o.changes.forEach((c, i) => {
                if (r.stockLevels[i]) expected.set(k(c.at), (expected.get(k(c.at)) ?? 0) + c.delta);
              });
              break;
            }
            case 'reorder':
              await stock.setReorderPoint(actor, { ...key(o.at), reorderPoint: o.point });
              break;
          }
          const actual = await checkInvariants(tenantId);
          for (const [lk, onHand] of expected) expect(actual.get(lk) ?? 0).toBe(onHand);
          model = expected;
        }
      }),
      { numRuns: 25 },
    );
  });
});
