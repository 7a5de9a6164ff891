import { tokenFor } from '@stockline/testkit';
import { gql, noUserErrors } from './graphql.ts';
import type { Fixture } from './types.ts';

/** Plenty of stock so that a whole run of -1 / reservations never runs out. */
export const STOCK_PER_ITEM = 1_000_000;

/** A tenant with two locations and `items` items holding STOCK_PER_ITEM at the first location. */
export async function seedFixture(gatewayUrl: string, { tenant, items }: { tenant: string; items: number }): Promise<Fixture> {
  const token = await tokenFor(tenant, ['admin'], { sub: 'bench', expiresIn: '24h' });
  const call = <T = any>(query: string, variables?: Record<string, unknown>) => gql<T>(gatewayUrl, token, query, variables);
  const locationIds: string[] = [];
  for (const code of ['MAIN', 'SPARE']) {
    const { createLocation } = await call(`mutation($code: String!) { createLocation(code: $code, name: $code) { location { id } userErrors { code message } } }`, { code });
    locationIds.push(noUserErrors('createLocation', createLocation).location.id);
  }
  const itemIds: string[] = [];
  for (let from = 0; from < items; from += 1000) {
    const inputs = Array.from({ length: Math.min(1000, items - from) }, (_, i) => ({ sku: `BENCH-${String(from + i).padStart(6, '0')}`, name: `Bench item ${from + i}` }));
    const { bulkUpsertItems } = await call(`mutation($inputs: [UpsertItemInput!]!) { bulkUpsertItems(inputs: $inputs) { items { id } userErrors { code message } } }`, { inputs });
    itemIds.push(...noUserErrors('bulkUpsertItems', bulkUpsertItems).items.map((i: { id: string }) => i.id));
  }
  const inputs = itemIds.map((itemId) => ({ itemId, locationId: locationIds[0], delta: STOCK_PER_ITEM, reason: 'RECEIVED' }));
  const { bulkAdjustStock } = await call(`mutation($inputs: [AdjustStockInput!]!) { bulkAdjustStock(inputs: $inputs, mode: ATOMIC) { userErrors { code message } } }`, { inputs });
  noUserErrors('bulkAdjustStock', bulkAdjustStock);
  return { tenant, token, locationIds, itemIds };
}
