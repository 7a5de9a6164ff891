import { gqlBody, noUserErrors } from '../lib/graphql.ts';
import type { Scenario } from '../lib/types.ts';

export const ORDERS_READ = `query { orders(first: 20) { nodes { number status lines { quantity item { sku name stock { onHand available } } location { code } } } } }`;
export const CATALOG_READ = `query { items(first: 50) { nodes { id sku name stock { onHand reserved available } } } }`;
const ADDRESS = { name: 'Bench', line1: '1 Load Street', city: 'Leeds', postalCode: 'LS1 1AA', country: 'GB' };

/** Orders to read: `count` placed orders of two lines each. */
async function seedOrders(ctx: Parameters<Scenario['run']>[0], count: number) {
  const { itemIds, locationIds } = await ctx.fixture();
  for (let i = 0; i < count; i++) {
    const lines = [0, 1].map((k) => ({ itemId: itemIds[(i * 2 + k) % itemIds.length], quantity: 1 + k, locationId: locationIds[0] }));
    const { placeOrder } = await ctx.gql(`mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { order { id } userErrors { code message } } }`, {
      input: { lines, shippingAddress: ADDRESS },
    });
    noUserErrors('placeOrder', placeOrder);
  }
}

export const scenario: Scenario = {
  id: 'P1',
  title: 'Federated reads: 20 orders with lines, items, stock and locations; 50 items with stock',
  async run(ctx) {
    await seedOrders(ctx, 40);
    const hive = await ctx.peerGatewayUrl();
    // Both gateways answer the same document the same way before they are loaded.
    const [ours, theirs] = await Promise.all([ctx.gql(ORDERS_READ), ctx.gql(ORDERS_READ, {}, { url: hive })]);
    if (JSON.stringify(ours) !== JSON.stringify(theirs)) throw new Error('our gateway and Hive Gateway answer the orders read differently');
    if (ours.orders.nodes.length !== 20) throw new Error(`expected 20 orders, got ${ours.orders.nodes.length}`);
    const measurements = [];
    for (const [name, query] of [['orders', ORDERS_READ], ['catalog', CATALOG_READ]] as const) {
      measurements.push(await ctx.load({ name: `${name}: ours`, body: gqlBody(query) }));
      measurements.push(await ctx.load({ name: `${name}: hive`, url: hive, body: gqlBody(query) }));
    }
    return {
      measurements,
      comparisons: ['orders', 'catalog'].map((name) => ({
        label: `${name} read vs Hive Gateway`,
        ours: `${name}: ours`,
        baseline: `${name}: hive`,
        goal: { text: '≥ 1.0× Hive, p99 ≤ Hive p99', minRatio: 1, p99AtMostBaseline: true, zeroErrors: true },
      })),
      notes: ['50 connections each; both gateways in one process each over the same two subgraph processes.'],
    };
  },
};
