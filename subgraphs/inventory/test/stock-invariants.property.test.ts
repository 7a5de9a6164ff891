import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '@stockline/db';
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
  return new Map(levels.map((l) => [`${l.item_id}/${l.location_id}`, { onHand: l.on_hand as number, reserved: l.reserved as number }]));
}

/**
 * The rules of the ledger, decided here without asking the service: a change is allowed when
 * onHand, reserved and available all stay at or above zero; a hold consumes at most what it
 * still holds. The service must accept exactly what this model accepts, and end in its state.
 */
class LedgerModel {
  readonly levels = new Map<string, { onHand: number; reserved: number }>();
  readonly holds: { key: string; quantity: number; consumed: number; status: 'ACTIVE' | 'RELEASED' | 'CONSUMED' }[] = [];

  level(key: string) {
    return this.levels.get(key) ?? { onHand: 0, reserved: 0 };
  }
  /** Applies the change when the invariants allow it; says whether they did. */
  apply(key: string, onHandDelta: number, reservedDelta: number, dryRun = false): boolean {
    const l = this.level(key);
    const onHand = l.onHand + onHandDelta;
    const reserved = l.reserved + reservedDelta;
    const ok = onHand >= 0 && reserved >= 0 && onHand - reserved >= 0;
    if (ok && !dryRun) this.levels.set(key, { onHand, reserved });
    return ok;
  }
  clone() {
    const copy = new LedgerModel();
    for (const [k, v] of this.levels) copy.levels.set(k, { ...v });
    copy.holds.push(...this.holds.map((h) => ({ ...h })));
    return copy;
  }
}

describe('stock invariants under random interleaved operations', () => {
  it('accept exactly what an independent model of the ledger accepts, and keep the levels, the ledger and the holds in agreement after every step', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 5, maxLength: 25 }), (ops) => {
        const tenantId = uniqueTenant('prop');
        // The services are called as a request would call them: in the tenant's scope (row-level security).
        return withTenant(tenantId, async () => {
          const actor = { tenantId, userId: 'property' };
          const { catalog, stock, reservations } = server.services;
          const locations: string[] = [];
          for (let l = 0; l < LOCATIONS; l++) locations.push((await catalog.createLocation(actor, `L${l}`, `L${l}`)).location!.id);
          const { items } = await catalog.bulkUpsertItems(actor, Array.from({ length: ITEMS }, (_, i) => ({ sku: `P-${i}`, name: `P ${i}` })), 'ATOMIC');
          const itemIds = items.map((i) => i!.id);
          const holdIds: string[] = [];
          const ids = (a: { item: number; location: number }) => ({ itemId: itemIds[a.item], locationId: locations[a.location] });
          const k = (a: { item: number; location: number }) => `${itemIds[a.item]}/${locations[a.location]}`;
          const model = new LedgerModel();
          for (const o of ops) {
            switch (o.kind) {
              case 'adjust': {
                const allowed = model.apply(k(o.at), o.delta, 0);
                const r = await stock.adjustStock(actor, { ...ids(o.at), delta: o.delta, reason: o.delta > 0 ? 'RECEIVED' : 'DAMAGED' });
                expect({ op: o, accepted: r.movement !== null && r.userErrors.length === 0 }).toEqual({ op: o, accepted: allowed });
                if (!allowed) expect(r.userErrors[0].code).toBe('INSUFFICIENT_STOCK');
                break;
              }
              case 'set': {
                const current = model.level(k(o.at)).onHand;
                const allowed = o.onHand === current || model.apply(k(o.at), o.onHand - current, 0);
                const r = await stock.setStock(actor, { ...ids(o.at), onHand: o.onHand });
                expect({ op: o, accepted: r.userErrors.length === 0 }).toEqual({ op: o, accepted: allowed });
                break;
              }
              case 'transfer': {
                const from = k({ item: o.item, location: 0 });
                const to = k({ item: o.item, location: 1 });
                const allowed = model.apply(from, -o.quantity, 0);
                if (allowed) model.apply(to, o.quantity, 0);
                const r = await stock.transferStock(actor, { itemId: itemIds[o.item], fromLocationId: locations[0], toLocationId: locations[1], quantity: o.quantity });
                expect({ op: o, accepted: r.userErrors.length === 0 }).toEqual({ op: o, accepted: allowed });
                break;
              }
              case 'reserve': {
                const allowed = model.apply(k(o.at), 0, o.quantity);
                const r = await reservations.reserveStock(actor, { ...ids(o.at), quantity: o.quantity });
                expect({ op: o, accepted: Boolean(r.reservation) }).toEqual({ op: o, accepted: allowed });
                if (allowed) {
                  model.holds.push({ key: k(o.at), quantity: o.quantity, consumed: 0, status: 'ACTIVE' });
                  holdIds.push(r.reservation!.id);
                }
                break;
              }
              case 'release': {
                if (!model.holds.length) break;
                const i = o.pick % model.holds.length;
                const hold = model.holds[i];
                if (hold.status === 'ACTIVE') {
                  model.apply(hold.key, 0, -(hold.quantity - hold.consumed));
                  hold.status = 'RELEASED';
                }
                await reservations.releaseReservation(actor, holdIds[i]);
                break;
              }
              case 'consume': {
                if (!model.holds.length) break;
                const i = o.pick % model.holds.length;
                const hold = model.holds[i];
                const allowed = hold.status === 'ACTIVE' && o.quantity <= hold.quantity - hold.consumed && model.apply(hold.key, -o.quantity, -o.quantity);
                if (allowed) {
                  hold.consumed += o.quantity;
                  if (hold.consumed === hold.quantity) hold.status = 'CONSUMED';
                }
                const r = await reservations.consume(actor, { consumptions: [{ reservationId: holdIds[i], quantity: o.quantity }] });
                expect({ op: o, accepted: r.userErrors.length === 0 }).toEqual({ op: o, accepted: allowed });
                break;
              }
              case 'bulk': {
                const trial = model.clone();
                const each = o.changes.map((c) => trial.apply(k(c.at), c.delta, 0));
                const r = await stock.bulkAdjustStock(actor, o.changes.map((c) => ({ ...ids(c.at), delta: c.delta, reason: c.delta > 0 ? 'RECEIVED' : 'DAMAGED' })), o.atomic ? 'ATOMIC' : 'PER_ITEM');
                const applied = o.changes.map((_, i) => Boolean(r.stockLevels[i]));
                if (o.atomic) {
                  const all = each.every(Boolean);
                  expect({ op: o, applied }).toEqual({ op: o, applied: o.changes.map(() => all) });
                  if (all) o.changes.forEach((c) => model.apply(k(c.at), c.delta, 0));
                } else {
                  expect({ op: o, applied }).toEqual({ op: o, applied: each });
                  o.changes.forEach((c, i) => each[i] && model.apply(k(c.at), c.delta, 0));
                }
                break;
              }
              case 'reorder':
                await stock.setReorderPoint(actor, { ...ids(o.at), reorderPoint: o.point });
                break;
            }
            const actual = await checkInvariants(tenantId);
            for (const [key, level] of model.levels) expect({ key, onHand: actual.get(key)?.onHand ?? 0, reserved: actual.get(key)?.reserved ?? 0 }).toEqual({ key, ...level });
            for (const [key, level] of actual) if (!model.levels.has(key)) expect({ key, ...level }).toEqual({ key, onHand: 0, reserved: 0 });
          }
        });
      }),
      { numRuns: 25 },
    );
  }, 240_000);
});
