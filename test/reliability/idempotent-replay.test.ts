/**
 * Issue 14, item 3: a mutation retried because its answer was lost on the way back (a TCP proxy in
 * front of the gateway resets the client's connection once the response starts) takes effect exactly
 * once, and the same key with other parameters is refused with IDEMPOTENCY_KEY_REUSED (Stripe's promise).
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql, tokenFor, uniqueTenant } from '@stockline/testkit';
import { startTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { readLevel, seedCatalog } from '../support/fixtures.ts';
import { startFaultProxy, type FaultProxy } from './support/fault-proxy.ts';
import { brokenLevels, levelChecks } from './support/invariants.ts';

let platform: TestPlatform;
let proxy: FaultProxy;
let proxiedUrl: string;
let ids: { itemId: string; locationId: string };
const tenant = uniqueTenant('replay');
const ADJUST = `mutation($input: AdjustStockInput!) { adjustStock(input: $input) { stockLevel { onHand } movement { id } userErrors { code } } }`;
const PLACE = `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { order { id number status } userErrors { code } } }`;
const ADDRESS = { name: 'Ada', line1: '1 Main St', city: 'London', postalCode: 'SW1', country: 'GB' };

/** Sends through the proxy; a lost answer is a thrown fetch error, told apart from an answer. */
async function send(query: string, variables: Record<string, unknown>) {
  try {
    return { answer: await graphql(proxiedUrl, { query, variables, token: await tokenFor(tenant, ['clerk']) }) };
  } catch (error) {
    return { lost: error as Error };
  }
}

/** The same request, answer dropped `drops` times, then delivered. */
async function retriedThroughFaults(query: string, variables: Record<string, unknown>, drops = 3) {
  proxy.mode = 'drop-response';
  for (let i = 0; i < drops; i++) expect((await send(query, variables)).lost).toBeInstanceOf(Error);
  proxy.mode = 'pass';
  const { answer } = await send(query, variables);
  return answer!;
}

beforeAll(async () => {
  platform = await startTestPlatform({ label: 'rel_replay' });
  const { port } = new URL(platform.gatewayUrl);
  proxy = await startFaultProxy({ host: '127.0.0.1', port: Number(port) });
  proxiedUrl = `http://127.0.0.1:${proxy.port}/graphql`;
  const seeded = await seedCatalog(platform, tenant, { items: 1, onHand: 50 });
  ids = { itemId: seeded.itemIds[0]!, locationId: seeded.locationIds[0]! };
}, 120_000);
afterAll(async () => {
  await proxy?.close();
  await platform?.stop();
});

describe('adjustStock retried after lost answers', () => {
  const input = () => ({ ...ids, delta: -2, reason: 'DAMAGED', reference: 'RMA-9', idempotencyKey: 'replay-adjust-1' });

  it('applies once and answers the retry with the first result', async () => {
    const dropsBefore = proxy.dropped;
    const answer = await retriedThroughFaults(ADJUST, { input: input() });
    expect(proxy.dropped - dropsBefore).toBe(3);
    expect(answer.data.adjustStock.userErrors).toEqual([]);
    expect(answer.data.adjustStock.stockLevel.onHand).toBe(48);
    // Once more, answered: the same movement, not a new one.
    const again = await send(ADJUST, { input: input() });
    expect(again.answer!.data.adjustStock.movement.id).toBe(answer.data.adjustStock.movement.id);
    expect((await readLevel(platform, tenant, ids.itemId, ids.locationId))!.onHand).toBe(48);
    const [level] = await levelChecks(platform.databaseUrl, tenant);
    expect(level!.movements).toBe(2); // the seed's RECEIVED and one DAMAGED
    expect(brokenLevels([level!])).toEqual([]);
  });

  it('refuses the same key with other parameters with IDEMPOTENCY_KEY_REUSED, changing nothing', async () => {
    const { answer } = await send(ADJUST, { input: { ...input(), delta: -5 } });
    expect(answer!.data.adjustStock.userErrors.map((e: { code: string }) => e.code)).toEqual(['IDEMPOTENCY_KEY_REUSED']);
    expect((await readLevel(platform, tenant, ids.itemId, ids.locationId))!.onHand).toBe(48);
  });
});

describe('placeOrder retried after lost answers', () => {
  const input = (quantity = 3) => ({ lines: [{ itemId: ids.itemId, quantity }], shippingAddress: ADDRESS, idempotencyKey: 'replay-order-1' });

  it('places one order holding its stock once', async () => {
    const answer = await retriedThroughFaults(PLACE, { input: input() });
    expect(answer.data.placeOrder.userErrors).toEqual([]);
    expect(answer.data.placeOrder.order.status).toBe('RESERVED');
    const again = await send(PLACE, { input: input() });
    expect(again.answer!.data.placeOrder.order.id).toBe(answer.data.placeOrder.order.id);
    const sql = new pg.Client({ connectionString: platform.databaseUrl });
    await sql.connect();
    try {
      const { rows } = await sql.query(`SELECT count(*)::int AS n FROM orders.orders WHERE tenant_id = $1`, [tenant]);
      expect(rows[0].n).toBe(1);
    } finally {
      await sql.end();
    }
    expect((await readLevel(platform, tenant, ids.itemId, ids.locationId))!).toMatchObject({ onHand: 48, reserved: 3 });
    expect(brokenLevels(await levelChecks(platform.databaseUrl, tenant))).toEqual([]);
  });

  it('refuses the same key with other lines with IDEMPOTENCY_KEY_REUSED, reserving nothing more', async () => {
    const { answer } = await send(PLACE, { input: input(4) });
    const codes = [...(answer!.data?.placeOrder?.userErrors ?? []).map((e: { code: string }) => e.code), ...(answer!.errors ?? []).map((e) => e.extensions?.code)];
    expect(codes).toEqual(['IDEMPOTENCY_KEY_REUSED']);
    expect((await readLevel(platform, tenant, ids.itemId, ids.locationId))!).toMatchObject({ onHand: 48, reserved: 3 });
  });
});
