import type pg from 'pg';
import { gqlBody } from '../lib/graphql.ts';
import type { ChainStep, Scenario } from '../lib/types.ts';

const PLACE = `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { order { id status } userErrors { code message } } }`;
const FULFILL = `mutation($input: FulfillOrderInput!) { fulfillOrder(input: $input) { order { id status } userErrors { code message } } }`;
const ADDRESS = { name: 'Bench', line1: '1 Load Street', city: 'Leeds', postalCode: 'LS1 1AA', country: 'GB' };

/** placeOrder (2 lines) then fulfillOrder of what it placed, per connection, again and again. */
export function sagaChain(itemIds: string[]): ChainStep[] {
  let n = 0;
  return [
    {
      body: () => {
        const i = n++;
        const lines = [{ itemId: itemIds[(i * 2) % itemIds.length], quantity: 1 }, { itemId: itemIds[(i * 2 + 1) % itemIds.length], quantity: 1 }];
        return gqlBody(PLACE, { input: { lines, shippingAddress: ADDRESS } });
      },
      onBody: (body, context) => {
        const order = JSON.parse(body).data?.placeOrder?.order;
        context.orderId = order?.status === 'CONFIRMED' || order?.status === 'RESERVED' ? order.id : (order?.id ?? null);
        return !!order;
      },
    },
    {
      body: (context) => gqlBody(FULFILL, { input: { orderId: context.orderId ?? '00000000-0000-0000-0000-000000000000', carrier: 'bench', trackingNumber: 'T1' } }),
    },
  ];
}

/** The same four level changes as raw SQL: two transactions of two levels (lock, update, ledger, outbox). */
async function rawSaga(client: pg.PoolClient, tenant: string, itemIds: string[], locationId: string) {
  for (const [reservedDelta, onHandDelta, reason] of [[1, 0, 'RESERVED'], [-1, -1, 'SHIPPED']] as const) {
    await client.query('BEGIN');
    const { rows } = await client.query(
      `SELECT item_id, on_hand, reserved FROM inventory.stock_levels WHERE tenant_id = $1 AND location_id = $2 AND item_id = ANY($3::uuid[]) ORDER BY item_id FOR UPDATE`,
      [tenant, locationId, itemIds],
    );
    await client.query(
      `UPDATE inventory.stock_levels s SET on_hand = s.on_hand + $4, reserved = s.reserved + $5, version = s.version + 1, updated_at = now()
       WHERE s.tenant_id = $1 AND s.location_id = $2 AND s.item_id = ANY($3::uuid[])`,
      [tenant, locationId, itemIds, onHandDelta, reservedDelta],
    );
    await client.query(
      `INSERT INTO inventory.stock_movements (tenant_id, item_id, location_id, reason, on_hand_delta, reserved_delta, on_hand_after, reserved_after, actor_id)
       SELECT $1, u.item_id, $2, $3::inventory."MovementReason", $4, $5, u.on_hand + $4, u.reserved + $5, 'bench' FROM unnest($6::uuid[], $7::int[], $8::int[]) AS u(item_id, on_hand, reserved)`,
      [tenant, locationId, reason, onHandDelta, reservedDelta, rows.map((r) => r.item_id), rows.map((r) => r.on_hand), rows.map((r) => r.reserved)],
    );
    await client.query(`INSERT INTO inventory.outbox_events (tenant_id, type, payload) SELECT $1, 'StockChanged', jsonb_build_object('itemId', u) FROM unnest($2::uuid[]) AS u`, [
      tenant,
      itemIds,
    ]);
    await client.query('COMMIT');
  }
}

export const scenario: Scenario = {
  id: 'P3',
  title: 'placeOrder (2 lines) then fulfillOrder: the whole saga',
  async run(ctx) {
    const { tenant, itemIds, locationIds } = await ctx.fixture();
    const pool = itemIds.slice(0, 200);
    const rate = ctx.mode === 'quick' ? 100 : 400;
    const measurements = [
      await ctx.load({ name: 'saga: ours', chain: sagaChain(pool), body: '', unit: 'saga', requestsPerOperation: 2 }),
      await ctx.sqlLoad({ name: 'saga: raw SQL floor', unit: 'saga', run: (client, n) => rawSaga(client, tenant, [pool[(n * 2) % 200], pool[(n * 2 + 1) % 200]].sort(), locationIds[0]) }),
      await ctx.load({ name: `saga at ${rate} orders/s: ours`, chain: sagaChain(pool), body: '', unit: 'saga', requestsPerOperation: 2, rate: rate * 2 }),
    ];
    return {
      measurements,
      comparisons: [
        { label: 'saga vs P2 raw-SQL floor of the same level changes', ours: 'saga: ours', baseline: 'saga: raw SQL floor', goal: { text: 'ratio reported', zeroErrors: true } },
        { label: `p99 at ${rate} orders/s`, ours: `saga at ${rate} orders/s: ours`, baseline: null, goal: { text: 'p99 < 100 ms (per request)', p99BelowMs: 100, zeroErrors: true } },
      ],
      notes: [
        'One saga = two requests (placeOrder, fulfillOrder); latency percentiles are per request.',
        'The floor writes only the four stock-level changes, their ledger lines and outbox rows (no order, line, reservation, saga or shipment rows).',
        ...(ctx.mode === 'quick' ? ['Quick mode offers 100 orders/s; the goal names 400 (full mode).'] : []),
      ],
    };
  },
};
