import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueTenant } from '@stockline/testkit';
import { Catalog } from '../support/catalog.ts';
import { MARK_DELIVERED, ORDER, ORDERS } from '../support/operations.ts';
import { OrdersClient } from '../support/orders-client.ts';
import { startPlatform, type Platform } from '../support/platform.ts';

let platform: Platform;
let catalogA: Catalog;
let alice: OrdersClient;
let bob: OrdersClient;

beforeAll(async () => {
  platform = await startPlatform('orders_tenants');
  const [a, b] = [uniqueTenant('tenant-a'), uniqueTenant('tenant-b')];
  catalogA = await Catalog.for(platform.gatewayUrl, a);
  alice = await OrdersClient.for(platform.gatewayUrl, a);
  bob = await OrdersClient.for(platform.gatewayUrl, b);
});

afterAll(async () => {
  await platform?.stop();
});

describe('tenant isolation', () => {
  it('keeps one tenant from reading, fulfilling, cancelling or delivering another tenant\'s order', async () => {
    const { itemId } = await catalogA.stockedItem(10);
    const order = await alice.reservedOrder([{ itemId, quantity: 3 }]);
    const shipped = await alice.fulfillOrder({ orderId: order.id, lines: [{ orderLineId: order.lines[0].id, quantity: 1 }] });
    expect(shipped.userErrors).toEqual([]);

    expect((await bob.call(ORDER, { id: order.id })).order).toBeNull();
    const list = (await bob.call(ORDERS, {})).orders;
    expect(list).toMatchObject({ totalCount: 0, nodes: [] });

    const fulfil = await bob.fulfillOrder({ orderId: order.id });
    expect(fulfil.userErrors.map((e: any) => [e.code, e.field])).toEqual([['NOT_FOUND', ['input', 'orderId']]]);
    const cancel = await bob.cancelOrder(order.id);
    expect(cancel.userErrors.map((e: any) => [e.code, e.field])).toEqual([['NOT_FOUND', ['id']]]);
    const deliver = (await bob.call(MARK_DELIVERED, { id: shipped.shipment.id })).markShipmentDelivered;
    expect(deliver.userErrors.map((e: any) => [e.code, e.field])).toEqual([['NOT_FOUND', ['shipmentId']]]);

    const after = await alice.order(order.id);
    expect(after.status).toBe('PARTIALLY_FULFILLED');
    expect(after.shipments.map((s: any) => s.status)).toEqual(['SHIPPED']);
    expect(await catalogA.stock(itemId)).toEqual({ onHand: 9, reserved: 2, available: 7 });
    expect((await alice.call(ORDERS, {})).orders.totalCount).toBe(1);
  });

  it('cannot reserve another tenant\'s stock: its item does not exist for the caller', async () => {
    const { itemId } = await catalogA.stockedItem(10);
    const { order, userErrors } = await bob.placeOrder([{ itemId, quantity: 1 }]);
    expect(order.status).toBe('FAILED');
    expect(userErrors.map((e: any) => [e.code, e.field])).toEqual([['NOT_FOUND', ['input', 'lines', '0', 'itemId']]]);
    expect(await catalogA.stock(itemId)).toEqual({ onHand: 10, reserved: 0, available: 10 });
  });

  it('numbers each tenant\'s orders on its own counter', async () => {
    const tenant = uniqueTenant('tenant-c');
    const catalogC = await Catalog.for(platform.gatewayUrl, tenant);
    const carol = await OrdersClient.for(platform.gatewayUrl, tenant);
    const { itemId } = await catalogC.stockedItem(1);
    expect((await carol.reservedOrder([{ itemId, quantity: 1 }])).number).toBe('SO-000001');
  });
});
