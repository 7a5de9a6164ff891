/**
 * Issue 14, item 11: tenant B holding tenant A's ids gets NOT_FOUND, null or nothing — for every
 * Query, Mutation and Subscription field of schema/supergraph.graphql (generated, so a new field is
 * swept the day it lands). Nothing B does with A's ids changes A's data.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql, tokenFor, uniqueTenant } from '@stockline/testkit';
import { startTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { isIdName, operationFor, rootFields, sampleArgs, type FieldOf } from './support/api-schema.ts';
import { wsAttempt } from './support/ws-attempt.ts';

let platform: TestPlatform;
const a = uniqueTenant('iso-a');
const b = uniqueTenant('iso-b');
const marker = `ZQX${randomBytes(4).toString('hex')}`; // in every name/sku/code A writes
const ids: Record<string, string> = {};
const codesOf = (r: { errors?: { extensions?: { code?: string } }[] }) => (r.errors ?? []).map((e) => String(e.extensions?.code));
const ALLOWED_REFUSALS = new Set(['NOT_FOUND', 'BAD_USER_INPUT', 'INVALID_INPUT']);

/**
 * What tenant A must never see leave its tenant: the marker in its names, and its ids other than the
 * ones the caller sent (an error may repeat what it was given). Short ids (movements are numbered)
 * would match any digit, so only ids of 8 characters or more count.
 */
const leaks = (value: unknown, sent: unknown = null) => {
  const text = JSON.stringify(value ?? null);
  const given = JSON.stringify(sent);
  return [marker, ...Object.values(ids).filter((id) => id.length >= 8 && !given.includes(id))].filter((secret) => text.includes(secret));
};

async function asA(query: string, variables?: Record<string, unknown>) {
  const r = await platform.as(a, ['admin'], query, variables);
  if (r.errors?.length) throw new Error(`${query}: ${JSON.stringify(r.errors)}`);
  return r.data;
}

/** A's state that B must not be able to change. */
async function stateOfA() {
  return asA(`query($item: ID!, $order: ID!, $res: ID!) {
    item(id: $item) { sku name archivedAt stock { onHand reserved } }
    order(id: $order) { status lines { quantity fulfilledQuantity } }
    reservation(id: $res) { status quantity }
    apiKeys { id revokedAt }
    locations { id code name }
    categories { id name }
  }`, { item: ids.item, order: ids.order, res: ids.reservation });
}

beforeAll(async () => {
  platform = await startTestPlatform({ label: 'rel_iso' });
  const category = await asA(`mutation($n: String!) { createCategory(name: $n) { category { id } } }`, { n: `${marker}-cat` });
  ids.category = category.createCategory.category.id;
  const location = await asA(`mutation($c: String!) { createLocation(code: $c, name: $c) { location { id } } }`, { c: `${marker}-LOC` });
  ids.location = location.createLocation.location.id;
  const item = await asA(`mutation($i: UpsertItemInput!) { upsertItem(input: $i) { item { id } userErrors { code field } } }`, { i: { sku: `${marker}-SKU`, name: `${marker} widget`, categoryId: ids.category } });
  ids.item = item.upsertItem.item.id;
  const adjust = await asA(`mutation($i: AdjustStockInput!) { adjustStock(input: $i) { movement { id } userErrors { code } } }`, { i: { itemId: ids.item, locationId: ids.location, delta: 20, reason: 'RECEIVED', reference: marker } });
  ids.movement = adjust.adjustStock.movement.id;
  const res = await asA(`mutation($i: ReserveStockInput!) { reserveStock(input: $i) { reservation { id } userErrors { code } } }`, { i: { itemId: ids.item, locationId: ids.location, quantity: 2, ttlSeconds: 3600, reference: marker } });
  ids.reservation = res.reserveStock.reservation.id;
  const order = await asA(`mutation($i: PlaceOrderInput!) { placeOrder(input: $i) { order { id lines { id } } userErrors { code } } }`, {
    i: { lines: [{ itemId: ids.item, quantity: 3, locationId: ids.location }], shippingAddress: { name: marker, line1: '1 St', city: 'X', postalCode: '1', country: 'GB' }, customerEmail: `${marker.toLowerCase()}@example.com` },
  });
  ids.order = order.placeOrder.order.id;
  ids.orderLine = order.placeOrder.order.lines[0].id;
  const ship = await asA(`mutation($i: FulfillOrderInput!) { fulfillOrder(input: $i) { shipment { id } userErrors { code } } }`, { i: { orderId: ids.order, lines: [{ orderLineId: ids.orderLine, quantity: 1 }], carrier: marker, trackingNumber: marker } });
  ids.shipment = ship.fulfillOrder.shipment.id;
  const key = await asA(`mutation($n: String!) { createApiKey(name: $n, scopes: ["read_inventory"]) { apiKey { id } } }`, { n: `${marker} key` });
  ids.apiKey = key.createApiKey.apiKey.id;
  const upload = await asA(`mutation($item: ID!) { createMediaUpload(itemId: $item, filename: "a.png", contentType: "image/png", byteSize: 68) { upload { mediaId } userErrors { code } } }`, { item: ids.item });
  if (upload.createMediaUpload.upload?.mediaId) ids.media = upload.createMediaUpload.upload.mediaId;
  expect(Object.keys(ids).length).toBeGreaterThanOrEqual(9);
}, 120_000);
afterAll(async () => {
  await platform?.stop();
});

/** Every call to make for `field`: once per kind of A's id in every id-like argument (once if it has none). */
function callsFor(field: FieldOf) {
  const hasIdArg = field.args.some((arg) => isIdName(arg.name));
  const kinds = hasIdArg ? Object.keys(ids) : ['-'];
  return kinds.map((kind) => {
    const args = sampleArgs(field, () => ids[kind] ?? ids.item!);
    // A's sku and names where a string names an entity (upsertItem by sku must not reach A's item).
    const text = JSON.stringify(args).replace(/"x-sku"/g, JSON.stringify(`${marker}-SKU`)).replace(/"x-code"/g, `"${marker}-LOC"`);
    return { kind, args: JSON.parse(text) as Record<string, unknown> };
  });
}

describe('queries', () => {
  const fields = rootFields('Query');

  it('finds A\'s data when A asks (the sweep can see a leak)', async () => {
    let seen = 0;
    for (const field of fields) {
      for (const { args } of callsFor(field)) {
        const r = await platform.as(a, ['admin'], operationFor('query', field, args), args);
        if (leaks(r.data).length) seen++;
      }
    }
    expect(seen).toBeGreaterThanOrEqual(8);
  });

  it.each(fields.map((f) => [f.name, f] as const))('%s: tenant B with A\'s ids gets nothing of A', async (_name, field) => {
    for (const { kind, args } of callsFor(field)) {
      const r = await platform.as(b, ['admin'], operationFor('query', field, args), args);
      const refused = codesOf(r).filter((c) => !ALLOWED_REFUSALS.has(c));
      expect({ kind, leaked: leaks(r, args), refused, answer: leaks(r, args).length || refused.length ? r : null }).toEqual({ kind, leaked: [], refused: [], answer: null });
    }
  });
});

describe('mutations', () => {
  const fields = rootFields('Mutation').filter((f) => f.args.some((arg) => isIdName(arg.name) || JSON.stringify(sampleArgs(f, () => 'id')).includes('Id"')));
  let before: unknown;
  beforeAll(async () => {
    before = await stateOfA();
  });

  it('sweeps every mutation that takes an id', () => {
    expect(fields.map((f) => f.name)).toEqual(expect.arrayContaining(['adjustStock', 'reserveStock', 'releaseReservation', 'archiveItem', 'cancelOrder', 'fulfillOrder', 'revokeApiKey', 'createMediaUpload', 'placeOrder']));
  });

  it.each(fields.map((f) => [f.name, f] as const))('%s: tenant B with A\'s ids gets NOT_FOUND or a refusal and leaks nothing', async (_name, field) => {
    for (const { kind, args } of callsFor(field)) {
      const r = await platform.as(b, ['admin'], operationFor('mutation', field, args), args);
      const refused = codesOf(r).filter((c) => !ALLOWED_REFUSALS.has(c));
      expect({ kind, leaked: leaks(r, args), refused, answer: leaks(r, args).length || refused.length ? r : null }).toEqual({ kind, leaked: [], refused: [], answer: null });
    }
  });

  it('B upserting A\'s sku makes B\'s own item and leaves A\'s alone', async () => {
    const r = await platform.as(b, ['admin'], `mutation($i: UpsertItemInput!) { upsertItem(input: $i) { item { id sku name } userErrors { code } } }`, { i: { sku: `${marker}-SKU`, name: 'renamed by B' } });
    expect(r.data.upsertItem.item.id).not.toBe(ids.item);
  });

  it('left all of A\'s data as it was', async () => {
    expect(await stateOfA()).toEqual(before);
  });
});

describe('subscriptions', () => {
  it('streams nothing of A to B subscribed with A\'s ids while A changes its data', async () => {
    const url = platform.url.replace(/^http/, 'ws');
    const tokenB = await tokenFor(b, ['admin']);
    const attempts = rootFields('Subscription').flatMap((field) => callsFor(field).map(({ kind, args }) =>
      wsAttempt(url, tokenB, operationFor('subscription', field, args, '{ __typename }'), args, 4_000).then((o) => ({ field: field.name, kind, o }))));
    const mine = wsAttempt(url, await tokenFor(a, ['admin']), `subscription { stockChanged { onHand } }`, {}, 4_000);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await asA(`mutation($i: AdjustStockInput!) { adjustStock(input: $i) { userErrors { code } } }`, { i: { itemId: ids.item, locationId: ids.location, delta: 1, reason: 'RECEIVED' } });
    await asA(`mutation($id: ID!) { cancelOrder(id: $id) { userErrors { code } } }`, { id: ids.order });
    const outcomes = await Promise.all(attempts);
    expect((await mine).gotData).toBe(true);
    expect(outcomes.filter(({ o }) => o.gotData || o.errorCodes.some((c) => !ALLOWED_REFUSALS.has(c))).map(({ field, kind, o }) => ({ field, kind, o }))).toEqual([]);
  });
});
