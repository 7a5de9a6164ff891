/**
 * Issue 14, item 9: fast-check arguments generated from the schema's input types — huge and negative
 * numbers, long and unusual Unicode, nulls where allowed, unknown and foreign ids — into the stock and
 * order mutations. Never INTERNAL_SERVER_ERROR; afterwards no level is negative, every level is its
 * ledger's sum and reserved is what the active reservations hold.
 */
import fc from 'fast-check';
import { isEnumType, isInputObjectType, isListType, isNonNullType, isScalarType, type GraphQLInputType } from 'graphql';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { graphql, tokenFor, uniqueTenant } from '@stockline/testkit';
import { startTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { seedCatalog } from '../support/fixtures.ts';
import { isIdName, operationFor, rootFields } from './support/api-schema.ts';
import { brokenLevels, levelChecks } from './support/invariants.ts';

const TARGETS = ['adjustStock', 'setStock', 'bulkAdjustStock', 'transferStock', 'setReorderPoint', 'reserveStock', 'releaseReservation', 'placeOrder', 'fulfillOrder', 'cancelOrder'];
const RUNS = process.env.RELIABILITY_FULL === '1' ? 300 : 25;

let platform: TestPlatform;
const tenant = uniqueTenant('fuzz');
const foreign = uniqueTenant('fuzz-foreign');
const pool: { own: string[]; foreign: string[] } = { own: [], foreign: [] };

const weirdStrings = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('', ' ', '\u0000', 'a\u0000b', '\uD800', '\u202Eevil', 'ﷺ'.repeat(50), '𝕊'.repeat(300), "'; DROP TABLE stock_levels; --", '%s%n', '../../etc/passwd', '<script>alert(1)</script>'),
  fc.nat(100_000).map((n) => 'x'.repeat(n)),
);
const ints = fc.oneof(
  fc.integer({ min: -3, max: 30 }),
  fc.integer(),
  fc.constantFrom(0, -1, 2_147_483_647, -2_147_483_648, 1_000_000_000),
);
const idArb = () => fc.oneof(
  fc.constantFrom(...pool.own),
  fc.constantFrom(...pool.foreign),
  fc.uuid(),
  fc.constantFrom('', '0', '-1', 'null', '00000000-0000-0000-0000-000000000000', 'x'.repeat(5000)),
  weirdStrings,
);

/** An arbitrary for any input type, from the schema: nulls where allowed, wrong-ish values everywhere. */
function arbitraryFor(type: GraphQLInputType, name: string, depth = 0): fc.Arbitrary<unknown> {
  if (isNonNullType(type)) return arbitraryFor(type.ofType, name, depth);
  const value = ((): fc.Arbitrary<unknown> => {
    if (isListType(type)) return fc.array(arbitraryFor(type.ofType, name, depth + 1), { maxLength: depth ? 2 : 4 });
    if (isEnumType(type)) return fc.constantFrom(...type.getValues().map((v) => v.value));
    if (isInputObjectType(type)) {
      const fields = Object.values(type.getFields());
      return fc.record(Object.fromEntries(fields.map((f) => [f.name, arbitraryFor(f.type, f.name, depth + 1)])), { requiredKeys: fields.filter((f) => isNonNullType(f.type)).map((f) => f.name) });
    }
    if (isScalarType(type)) {
      if (type.name === 'ID' || isIdName(name)) return idArb();
      if (type.name === 'Int') return ints;
      if (type.name === 'Float') return fc.double();
      if (type.name === 'Boolean') return fc.boolean();
      if (type.name === 'DateTime') return fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), weirdStrings);
      return weirdStrings;
    }
    return fc.constant(null);
  })();
  return isNonNullType(type) ? value : fc.option(value, { nil: null });
}

beforeAll(async () => {
  platform = await startTestPlatform({ label: 'rel_fuzz' });
  const own = await seedCatalog(platform, tenant, { locations: ['A', 'B'], items: 2, onHand: 10 });
  const other = await seedCatalog(platform, foreign, { items: 1, onHand: 5 });
  pool.own.push(...own.itemIds, ...own.locationIds);
  pool.foreign.push(...other.itemIds, ...other.locationIds);
  const res = await platform.as(tenant, ['clerk'], `mutation($i: ReserveStockInput!) { reserveStock(input: $i) { reservation { id } } }`, { i: { itemId: own.itemIds[0], locationId: own.locationIds[0], quantity: 1 } });
  pool.own.push(res.data.reserveStock.reservation.id);
  const order = await platform.as(tenant, ['clerk'], `mutation($i: PlaceOrderInput!) { placeOrder(input: $i) { order { id lines { id } } } }`, {
    i: { lines: [{ itemId: own.itemIds[1], quantity: 2 }], shippingAddress: { name: 'A', line1: 'B', city: 'C', postalCode: 'D', country: 'GB' } },
  });
  pool.own.push(order.data.placeOrder.order.id, order.data.placeOrder.order.lines[0].id);
}, 120_000);
afterAll(async () => {
  await platform?.stop();
});

it.each(TARGETS)('%s never answers INTERNAL_SERVER_ERROR to generated input', async (name) => {
  const field = rootFields('Mutation').find((f) => f.name === name)!;
  const token = await tokenFor(tenant, ['admin']);
  const args = fc.record(Object.fromEntries(field.args.map((a) => [a.name, arbitraryFor(a.type, a.name)])));
  const query = operationFor('mutation', field, Object.fromEntries(field.args.map((a) => [a.name, 1])), '{ userErrors { code field } }');
  await fc.assert(
    fc.asyncProperty(args, async (variables) => {
      const r = await graphql(platform.url, { query, variables, token });
      const codes = (r.errors ?? []).map((e) => e.extensions?.code);
      expect(codes).not.toContain('INTERNAL_SERVER_ERROR');
      expect(r.status).toBeLessThan(500);
    }),
    { numRuns: RUNS, seed: 20261125, endOnFailure: true },
  );
});

it('keeps every invariant of both tenants afterwards', async () => {
  for (const t of [tenant, foreign]) {
    const levels = await levelChecks(platform.databaseUrl, t);
    expect(levels.length).toBeGreaterThan(0);
    expect(brokenLevels(levels)).toEqual([]);
  }
  // The foreign tenant's stock was never touched: only its seed line.
  const [foreignLevel] = await levelChecks(platform.databaseUrl, foreign);
  expect(foreignLevel).toMatchObject({ on_hand: 5, reserved: 0, movements: 1 });
});
