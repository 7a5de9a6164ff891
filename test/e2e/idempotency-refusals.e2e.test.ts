import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueTenant } from '@stockline/testkit';
import { readLevel, seedCatalog } from '../support/fixtures.ts';
import { startTestPlatform, type TestPlatform } from '../support/test-platform.ts';

// Stripe's rule: a request refused by validation never started and stores nothing under its key;
// a business outcome (success, INSUFFICIENT_STOCK, QUANTITY_STALE) is stored and replayed.
let platform: TestPlatform;
const ADJUST = `mutation($input: AdjustStockInput!) { adjustStock(input: $input) { stockLevel { onHand } movement { id } userErrors { code field current available } } }`;
const BULK = `mutation($inputs: [AdjustStockInput!]!) { bulkAdjustStock(inputs: $inputs) { stockLevels { onHand } userErrors { code field } } }`;
const PLACEHOLDER = '00000000-0000-0000-0000-000000000000';

beforeAll(async () => {
  platform = await startTestPlatform();
});
afterAll(async () => {
  await platform?.stop();
});

describe('idempotency keys of refused requests', () => {
  it('stores nothing for the README example sent with wrong ids: the corrected request with the same key applies', async () => {
    const tenant = uniqueTenant('refusal');
    const { itemIds: [itemId], locationIds: [locationId] } = await seedCatalog(platform, tenant, { onHand: 40 });
    const example = { delta: -3, reason: 'DAMAGED', reference: 'RMA-1042', changeFromQuantity: 40, idempotencyKey: 'rma-1042-damage' };
    const wrong = await platform.as(tenant, ['clerk'], ADJUST, { input: { ...example, itemId: PLACEHOLDER, locationId: PLACEHOLDER } });
    expect(wrong.data.adjustStock.userErrors).toMatchObject([{ code: 'NOT_FOUND', field: ['input', 'itemId'] }]);
    const wrongLocation = await platform.as(tenant, ['clerk'], ADJUST, { input: { ...example, itemId, locationId: PLACEHOLDER } });
    expect(wrongLocation.data.adjustStock.userErrors).toMatchObject([{ code: 'NOT_FOUND', field: ['input', 'locationId'] }]);

    const corrected = await platform.as(tenant, ['clerk'], ADJUST, { input: { ...example, itemId, locationId } });
    expect(corrected.data.adjustStock.userErrors).toEqual([]);
    expect(corrected.data.adjustStock.stockLevel.onHand).toBe(37);
    const replayed = await platform.as(tenant, ['clerk'], ADJUST, { input: { ...example, itemId, locationId } });
    expect(replayed.data.adjustStock.movement.id).toBe(corrected.data.adjustStock.movement.id);
    expect(await readLevel(platform, tenant, itemId, locationId)).toMatchObject({ onHand: 37 });
  });

  it('stores and replays a business refusal: INSUFFICIENT_STOCK and QUANTITY_STALE answer the same after the level changed', async () => {
    const tenant = uniqueTenant('business');
    const { itemIds: [itemId], locationIds: [locationId] } = await seedCatalog(platform, tenant, { onHand: 5 });
    const short = { itemId, locationId, delta: -10, reason: 'DAMAGED', idempotencyKey: 'short-1' };
    const first = await platform.as(tenant, ['clerk'], ADJUST, { input: short });
    expect(first.data.adjustStock.userErrors).toMatchObject([{ code: 'INSUFFICIENT_STOCK', available: 5 }]);
    const stale = { itemId, locationId, delta: 1, reason: 'CORRECTION', changeFromQuantity: 4, idempotencyKey: 'stale-1' };
    expect((await platform.as(tenant, ['clerk'], ADJUST, { input: stale })).data.adjustStock.userErrors).toMatchObject([{ code: 'QUANTITY_STALE', current: 5 }]);

    await platform.as(tenant, ['clerk'], ADJUST, { input: { itemId, locationId, delta: 20, reason: 'RECEIVED' } });
    const again = await platform.as(tenant, ['clerk'], ADJUST, { input: short });
    expect(again.data.adjustStock.userErrors).toMatchObject([{ code: 'INSUFFICIENT_STOCK', available: 5 }]);
    expect((await platform.as(tenant, ['clerk'], ADJUST, { input: stale })).data.adjustStock.userErrors).toMatchObject([{ code: 'QUANTITY_STALE', current: 5 }]);
    expect(await readLevel(platform, tenant, itemId, locationId)).toMatchObject({ onHand: 25 });
  });

  it('releases a bulkAdjustStock key whose input was NOT_FOUND, so the corrected input with that key applies', async () => {
    const tenant = uniqueTenant('bulk-refusal');
    const { itemIds: [itemId], locationIds: [locationId] } = await seedCatalog(platform, tenant, { onHand: 10 });
    const wrong = await platform.as(tenant, ['clerk'], BULK, { inputs: [{ itemId: PLACEHOLDER, locationId, delta: 2, reason: 'RECEIVED', idempotencyKey: 'bulk-1' }] });
    expect(wrong.data.bulkAdjustStock.userErrors).toMatchObject([{ code: 'NOT_FOUND', field: ['inputs', '0', 'itemId'] }]);
    const corrected = await platform.as(tenant, ['clerk'], BULK, { inputs: [{ itemId, locationId, delta: 2, reason: 'RECEIVED', idempotencyKey: 'bulk-1' }] });
    expect(corrected.data.bulkAdjustStock).toMatchObject({ stockLevels: [{ onHand: 12 }], userErrors: [] });
    const replayed = await platform.as(tenant, ['clerk'], BULK, { inputs: [{ itemId, locationId, delta: 2, reason: 'RECEIVED', idempotencyKey: 'bulk-1' }] });
    expect(replayed.data.bulkAdjustStock).toMatchObject({ stockLevels: [{ onHand: 12 }], userErrors: [] });
    expect(await readLevel(platform, tenant, itemId, locationId)).toMatchObject({ onHand: 12 });
  });
});
