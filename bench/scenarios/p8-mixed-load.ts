import { gqlBody } from '../lib/graphql.ts';
import type { Measurement, Scenario } from '../lib/types.ts';

const ITEM = `query($id: ID!) { item(id: $id) { sku name stock { onHand reserved available } stockLevels { onHand available location { code } } } }`;
const ITEMS = `query { items(first: 20) { nodes { sku name stock { available } } } }`;
const ADJUST = `mutation($input: AdjustStockInput!) { adjustStock(input: $input) { stockLevel { onHand } userErrors { code message } } }`;
const PLACE = `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { order { id status } userErrors { code message } } }`;
const ADDRESS = { name: 'Bench', line1: '1 Load Street', city: 'Leeds', postalCode: 'LS1 1AA', country: 'GB' };

/** 70% reads, 20% stock changes, 10% orders, interleaved. */
export function mixedBody(itemIds: string[], locationId: string) {
  return (n: number) => {
    const slot = n % 10;
    const itemId = itemIds[(n * 7) % itemIds.length];
    if (slot < 5) return gqlBody(ITEM, { id: itemId });
    if (slot < 7) return gqlBody(ITEMS);
    if (slot < 9) return gqlBody(ADJUST, { input: { itemId, locationId, delta: slot === 7 ? 1 : -1, reason: slot === 7 ? 'RECEIVED' : 'DAMAGED' } });
    return gqlBody(PLACE, { input: { lines: [{ itemId, quantity: 1 }, { itemId: itemIds[(n * 7 + 1) % itemIds.length], quantity: 1 }], shippingAddress: ADDRESS } });
  };
}

export const scenario: Scenario = {
  id: 'P8',
  title: 'Design load: 70% reads, 20% stock changes, 10% orders at 400 operations/s',
  async run(ctx) {
    const { itemIds, locationIds } = await ctx.fixture();
    const body = mixedBody(itemIds.slice(0, 200), locationIds[0]);
    const full = ctx.mode === 'full';
    const steady = await ctx.load({ name: 'mixed at 400/s', body, rate: 400, durationS: full ? 600 : 20, warmupS: full ? 10 : 3, connections: 100 });
    // Then the highest offered rate whose p99 stays under 100 ms.
    const steps: Measurement[] = [];
    let best: number | null = steady.latencyMs.p99 < 100 && steady.errors === 0 ? 400 : null;
    if (best !== null) {
      for (let rate = 600; rate <= 3000; rate += full ? 200 : 400) {
        const m = await ctx.load({ name: `mixed at ${rate}/s`, body, rate, durationS: full ? 20 : 6, warmupS: 2, connections: 200 });
        steps.push(m);
        if (m.latencyMs.p99 >= 100 || m.errors > 0 || m.throughput < rate * 0.95) break;
        best = rate;
      }
    }
    return {
      measurements: [steady, ...steps],
      comparisons: [{ label: '400 ops/s steady', ours: steady.name, baseline: null, goal: { text: 'p99 < 50 ms, zero errors', p99BelowMs: 50, zeroErrors: true } }],
      notes: [
        `Steady run ${steady.durationS} s${full ? '' : ' (quick mode: the goal names 10 minutes, full mode runs them)'}.`,
        best === null ? 'No rate tried kept p99 < 100 ms with zero errors.' : `Highest offered rate tried that kept p99 < 100 ms, zero errors and ≥ 95% of the offered rate: ${best} ops/s.`,
      ],
    };
  },
};
