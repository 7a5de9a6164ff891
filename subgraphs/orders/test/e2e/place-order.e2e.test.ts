import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueTenant } from '@stockline/testkit';
import { Catalog } from '../support/catalog.ts';
import { ADDRESS, ORDERS, PLACE_ORDER } from '../support/operations.ts';
import { OrdersClient } from '../support/orders-client.ts';
import { startPlatform, type Platform } from '../support/platform.ts';

let platform: Platform;
let catalog: Catalog;
let clerk: OrdersClient;

beforeAll(async () => {
  platform = await startPlatform('orders_place');
  const tenant = uniqueTenant('place');
  catalog = await Catalog.for(platform.gatewayUrl, tenant);
  clerk = await OrdersClient.for(platform.gatewayUrl, tenant);
});

afterAll(async () => {
  await platform?.stop();
});

describe('placeOrder', () => {
  it('reserves exactly the available stock when 300 orders of 1 race for 100 units', async () => {
    const { itemId } = await catalog.stockedItem(100);
    const results = await Promise.all(Array.from({ length: 300 }, () => clerk.placeOrder([{ itemId, quantity: 1 }])));

    const reserved = results.filter((r) => r.order.status === 'RESERVED');
    const failed = results.filter((r) => r.order.status === 'FAILED');
    expect(reserved).toHaveLength(100);
    expect(failed).toHaveLength(200);
    for (const r of reserved) expect(r.userErrors).toEqual([]);
    for (const r of failed) {
      expect(r.userErrors.map((e: any) => e.code)).toEqual(['INSUFFICIENT_STOCK']);
      expect(r.userErrors[0].field).toEqual(['input', 'lines', '0', 'quantity']);
    }
    expect(new Set(results.map((r) => r.order.number)).size).toBe(300);
    for (const r of results) expect(r.order.number).toMatch(/^SO-\d{6}$/);
    expect(await catalog.stock(itemId)).toEqual({ onHand: 100, reserved: 100, available: 0 });
  });

  it('fails a two-line order whose second line is short and holds nothing for the first', async () => {
    const a = await catalog.stockedItem(10);
    const b = await catalog.stockedItem(1);
    const { order, userErrors } = await clerk.placeOrder([
      { itemId: a.itemId, quantity: 4 },
      { itemId: b.itemId, quantity: 2 },
    ]);
    expect(order.status).toBe('FAILED');
    expect(order.failureReason).toMatch(/^INSUFFICIENT_STOCK/);
    expect(userErrors).toEqual([expect.objectContaining({ code: 'INSUFFICIENT_STOCK', field: ['input', 'lines', '1', 'quantity'], itemId: b.itemId, available: 1 })]);
    expect(await catalog.stock(a.itemId)).toEqual({ onHand: 10, reserved: 0, available: 10 });
    expect(await catalog.stock(b.itemId)).toEqual({ onHand: 1, reserved: 0, available: 1 });
    expect(order.lines.every((l: any) => l.fulfilledQuantity === 0)).toBe(true);
  });

  it('reserves a line with a locationId at that location', async () => {
    const itemId = await catalog.createItem();
    const [big, small] = [await catalog.createLocation(), await catalog.createLocation()];
    await catalog.receive(itemId, big, 50);
    await catalog.receive(itemId, small, 5);
    const order = await clerk.reservedOrder([{ itemId, quantity: 3, locationId: small }]);
    expect(order.lines).toEqual([expect.objectContaining({ quantity: 3, item: { id: itemId }, location: { id: small } })]);
    const levels = await catalog.levels(itemId);
    expect(levels.find((l) => l.locationId === small)).toMatchObject({ reserved: 3 });
    expect(levels.find((l) => l.locationId === big)).toMatchObject({ reserved: 0 });
  });

  it('splits a line without locationId across locations when no single one can cover it', async () => {
    const itemId = await catalog.createItem();
    const [east, west] = [await catalog.createLocation(), await catalog.createLocation()];
    await catalog.receive(itemId, east, 6);
    await catalog.receive(itemId, west, 4);
    const order = await clerk.reservedOrder([{ itemId, quantity: 9 }]);

    expect(order.lines).toHaveLength(2);
    const byLocation = new Map(order.lines.map((l: any) => [l.location.id, l.quantity]));
    expect(byLocation).toEqual(new Map([[east, 6], [west, 3]]));
    expect(new Set(order.lines.map((l: any) => l.id)).size).toBe(2);
    const levels = await catalog.levels(itemId);
    expect(levels.find((l) => l.locationId === east)).toMatchObject({ reserved: 6, available: 0 });
    expect(levels.find((l) => l.locationId === west)).toMatchObject({ reserved: 3, available: 1 });
  });

  it('serves a line without locationId from one location when one can cover it whole', async () => {
    const itemId = await catalog.createItem();
    const [east, west] = [await catalog.createLocation(), await catalog.createLocation()];
    await catalog.receive(itemId, east, 3);
    await catalog.receive(itemId, west, 8);
    const order = await clerk.reservedOrder([{ itemId, quantity: 5 }]);
    expect(order.lines).toEqual([expect.objectContaining({ quantity: 5, location: { id: west } })]);
  });

  it('checks two lines of one item against their sum', async () => {
    const { itemId } = await catalog.stockedItem(10);
    const tooMuch = await clerk.placeOrder([{ itemId, quantity: 6 }, { itemId, quantity: 6 }]);
    expect(tooMuch.order.status).toBe('FAILED');
    expect(tooMuch.userErrors.map((e: any) => [e.code, e.field])).toEqual([['INSUFFICIENT_STOCK', ['input', 'lines', '1', 'quantity']]]);
    expect(await catalog.stock(itemId)).toEqual({ onHand: 10, reserved: 0, available: 10 });

    const fits = await clerk.reservedOrder([{ itemId, quantity: 5 }, { itemId, quantity: 5 }]);
    expect(fits.lines.map((l: any) => l.quantity)).toEqual([5, 5]);
    expect(await catalog.stock(itemId)).toEqual({ onHand: 10, reserved: 10, available: 0 });
  });

  it('fails an order naming an item the tenant does not have, with NOT_FOUND at that line', async () => {
    const { itemId } = await catalog.stockedItem(5);
    const { order, userErrors } = await clerk.placeOrder([{ itemId, quantity: 1 }, { itemId: '00000000-0000-4000-8000-000000000000', quantity: 1 }]);
    expect(order.status).toBe('FAILED');
    expect(userErrors.map((e: any) => [e.code, e.field])).toEqual([['NOT_FOUND', ['input', 'lines', '1', 'itemId']]]);
    expect(await catalog.stock(itemId)).toEqual({ onHand: 5, reserved: 0, available: 5 });
  });

  it('refuses invalid input with INVALID_INPUT at each field and creates no order', async () => {
    const { itemId } = await catalog.stockedItem(5);
    const before = (await clerk.call(ORDERS, { first: 0 })).orders.totalCount;
    const { order, userErrors } = await clerk.placeOrder([{ itemId, quantity: 0 }], {
      shippingAddress: { ...ADDRESS, name: '  ', postalCode: 'x'.repeat(21) },
      customerEmail: 'not-an-email',
    });
    expect(order).toBeNull();
    expect(userErrors.map((e: any) => [e.code, e.field])).toEqual([
      ['INVALID_INPUT', ['input', 'lines', '0', 'quantity']],
      ['INVALID_INPUT', ['input', 'shippingAddress', 'name']],
      ['INVALID_INPUT', ['input', 'shippingAddress', 'postalCode']],
      ['INVALID_INPUT', ['input', 'customerEmail']],
    ]);
    const none = await clerk.placeOrder([]);
    expect(none.userErrors.map((e: any) => [e.code, e.field])).toEqual([['INVALID_INPUT', ['input', 'lines']]]);
    expect((await clerk.call(ORDERS, { first: 0 })).orders.totalCount).toBe(before);
  });

  it('refuses more than 500 lines with LIMIT_EXCEEDED', async () => {
    const { itemId } = await catalog.stockedItem(1000);
    const { order, userErrors } = await clerk.placeOrder(Array.from({ length: 501 }, () => ({ itemId, quantity: 1 })));
    expect(order).toBeNull();
    expect(userErrors.map((e: any) => [e.code, e.field])).toEqual([['LIMIT_EXCEEDED', ['input', 'lines']]]);
    expect(await catalog.stock(itemId)).toMatchObject({ reserved: 0 });
  });

  it('keeps the shipping address and customer email it was given', async () => {
    const { itemId } = await catalog.stockedItem(2);
    const { order } = await clerk.placeOrder([{ itemId, quantity: 1 }], { customerEmail: 'ada@example.com', shippingAddress: { ...ADDRESS, line2: 'Flat 2' } });
    expect(order.customerEmail).toBe('ada@example.com');
    expect(order.shippingAddress).toEqual({ ...ADDRESS, line2: 'Flat 2' });
  });

  it('answers a repeated idempotencyKey with the first order and reserves once', async () => {
    const { itemId } = await catalog.stockedItem(10);
    const input = { lines: [{ itemId, quantity: 2 }], shippingAddress: ADDRESS, idempotencyKey: 'place-once' };
    const [first, second] = await Promise.all([clerk.call(PLACE_ORDER, { input }), clerk.call(PLACE_ORDER, { input })]);
    const third = await clerk.call(PLACE_ORDER, { input });
    expect(second.placeOrder.order.id).toBe(first.placeOrder.order.id);
    expect(third.placeOrder.order.id).toBe(first.placeOrder.order.id);
    expect(third.placeOrder.order.status).toBe('RESERVED');
    expect(await catalog.stock(itemId)).toEqual({ onHand: 10, reserved: 2, available: 8 });
  });

  it('refuses the same idempotencyKey with another input with IDEMPOTENCY_KEY_REUSED', async () => {
    const { itemId } = await catalog.stockedItem(10);
    await clerk.reservedOrder([{ itemId, quantity: 1 }]);
    await clerk.placeOrder([{ itemId, quantity: 1 }], { idempotencyKey: 'place-reused' });
    const { order, userErrors } = await clerk.placeOrder([{ itemId, quantity: 2 }], { idempotencyKey: 'place-reused' });
    expect(order).toBeNull();
    expect(userErrors.map((e: any) => [e.code, e.field])).toEqual([['IDEMPOTENCY_KEY_REUSED', ['input', 'idempotencyKey']]]);
    expect(await catalog.stock(itemId)).toMatchObject({ reserved: 2 });
  });

  it('refuses a viewer with FORBIDDEN', async () => {
    const { itemId } = await catalog.stockedItem(1);
    const viewer = await OrdersClient.for(platform.gatewayUrl, 'any-tenant', ['viewer']);
    const res = await viewer.send(PLACE_ORDER, { input: { lines: [{ itemId, quantity: 1 }], shippingAddress: ADDRESS } });
    expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});

describe('orders', () => {
  it('pages the tenant\'s orders newest first', async () => {
    const tenant = uniqueTenant('paging');
    const own = await Catalog.for(platform.gatewayUrl, tenant);
    const client = await OrdersClient.for(platform.gatewayUrl, tenant);
    const { itemId } = await own.stockedItem(10);
    const placed = [];
    for (let i = 0; i < 5; i++) placed.push((await client.reservedOrder([{ itemId, quantity: 1 }])).number);
    expect(placed).toEqual(['SO-000001', 'SO-000002', 'SO-000003', 'SO-000004', 'SO-000005']);

    const page1 = (await client.call(ORDERS, { first: 2 })).orders;
    expect(page1.nodes.map((o: any) => o.number)).toEqual(['SO-000005', 'SO-000004']);
    expect(page1.totalCount).toBe(5);
    expect(page1.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const page2 = (await client.call(ORDERS, { first: 3, after: page1.pageInfo.endCursor })).orders;
    expect(page2.nodes.map((o: any) => o.number)).toEqual(['SO-000003', 'SO-000002', 'SO-000001']);
    expect(page2.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    expect((await client.call(ORDERS, { status: 'FAILED' })).orders.totalCount).toBe(0);
  });

  it('refuses first above 250 and a foreign cursor with BAD_USER_INPUT', async () => {
    expect((await clerk.send(ORDERS, { first: 251 })).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect((await clerk.send(ORDERS, { after: 'bm90LWEtY3Vyc29y' })).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('refuses a request without a token with UNAUTHENTICATED', async () => {
    const anonymous = await fetch(platform.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ orders { totalCount } }' }) });
    const body = (await anonymous.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });
});
