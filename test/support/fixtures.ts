import type { TestPlatform } from './test-platform.ts';

/** Creates locations and items for `tenant` through the API; returns their ids. */
export async function seedCatalog(platform: TestPlatform, tenant: string, { locations = ['A'], items = 1, onHand = 0 }: { locations?: string[]; items?: number; onHand?: number } = {}) {
  const locationIds: string[] = [];
  for (const code of locations) {
    const { data } = await platform.as(tenant, ['admin'], `mutation($code: String!) { createLocation(code: $code, name: $code) { location { id } userErrors { code } } }`, { code });
    locationIds.push(data.createLocation.location.id);
  }
  const inputs = Array.from({ length: items }, (_, i) => ({ sku: `SKU-${i}`, name: `Item ${i}` }));
  const { data } = await platform.as(tenant, ['admin'], `mutation($inputs: [UpsertItemInput!]!) { bulkUpsertItems(inputs: $inputs, mode: ATOMIC) { items { id } userErrors { code } } }`, { inputs });
  const itemIds: string[] = data.bulkUpsertItems.items.map((i: { id: string }) => i.id);
  if (onHand > 0) {
    const adjustments = itemIds.flatMap((itemId) => locationIds.map((locationId) => ({ itemId, locationId, delta: onHand, reason: 'RECEIVED' })));
    const result = await platform.as(tenant, ['admin'], `mutation($inputs: [AdjustStockInput!]!) { bulkAdjustStock(inputs: $inputs, mode: ATOMIC) { userErrors { code } } }`, { inputs: adjustments });
    if (result.data?.bulkAdjustStock.userErrors.length) throw new Error(JSON.stringify(result.data.bulkAdjustStock.userErrors));
  }
  return { locationIds, itemIds };
}

export const LEVEL = `query($id: ID!, $loc: ID) { item(id: $id) { stock { onHand reserved available } stockLevels(locationId: $loc) { onHand reserved available version reorderPoint } } }`;

/** onHand/reserved/available of one level, read through the gateway. */
export async function readLevel(platform: TestPlatform, tenant: string, itemId: string, locationId: string) {
  const { data } = await platform.as(tenant, ['viewer'], LEVEL, { id: itemId, loc: locationId });
  return data.item.stockLevels[0] as { onHand: number; reserved: number; available: number; version: number; reorderPoint: number | null } | undefined;
}

/** Sum of the ledger's deltas for one level, paging through every movement. */
export async function ledgerSums(platform: TestPlatform, tenant: string, itemId: string, locationId: string) {
  let after: string | null = null;
  let onHand = 0;
  let reserved = 0;
  let count = 0;
  for (;;) {
    const { data }: { data?: any } = await platform.as(tenant, ['viewer'],
      `query($item: ID, $loc: ID, $after: String) { stockMovements(first: 250, after: $after, itemId: $item, locationId: $loc) { nodes { onHandDelta reservedDelta } pageInfo { hasNextPage endCursor } } }`,
      { item: itemId, loc: locationId, after });
    for (const m of data.stockMovements.nodes) {
      onHand += m.onHandDelta;
      reserved += m.reservedDelta;
      count++;
    }
    if (!data.stockMovements.pageInfo.hasNextPage) break;
    after = data.stockMovements.pageInfo.endCursor;
  }
  return { onHand, reserved, count };
}
