import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueTenant } from '@stockline/testkit';
import { Catalog } from '../support/catalog.ts';
import { CANCEL_ORDER } from '../support/operations.ts';
import { OrdersClient } from '../support/orders-client.ts';
import { startPlatform, type Platform } from '../support/platform.ts';

let platform: Platform;
let catalog: Catalog;
let clerk: OrdersClient;

beforeAll(async () => {
  platform = await startPlatform('orders_cancel');
  const tenant = uniqueTenant('cancel');
  catalog = await Catalog.for(platform.gatewayUrl, tenant);
  clerk = await OrdersClient.for(platform.gatewayUrl, tenant);
});

afterAll(async () => {
  await platform?.stop();
});

describe('cancelOrder', () => {
  it('releases what a RESERVED order holds', async () => {
    const { itemId } = await catalog.stockedItem(10);
    const order = await clerk.reservedOrder([{ itemId, quantity: 4 }]);
    expect(await catalog.stock(itemId)).toEqual({ onHand: 10, reserved: 4, available: 6 });

    const { order: cancelled, userErrors } = await clerk.cancelOrder(order.id, 'customer changed their mind');
    expect(userErrors).toEqual([]);
    expect(cancelled.status).toBe('CANCELLED');
    expect(cancelled.failureReason).toBe('customer changed their mind');
    expect(await catalog.stock(itemId)).toEqual({ onHand: 10, reserved: 0, available: 10 });
    const released = await catalog.movements(itemId, 'RELEASED');
    expect(released.map((m) => [m.reference, m.reservedDelta])).toEqual([[order.id, -4]]);
  });

  it('answers an already CANCELLED order unchanged and releases nothing twice', async () => {
    const { itemId } = await catalog.stockedItem(5);
    const order = await clerk.reservedOrder([{ itemId, quantity: 2 }]);
    const first = await clerk.cancelOrder(order.id);
    const second = await clerk.cancelOrder(order.id, 'another reason');
    expect(second.userErrors).toEqual([]);
    expect(second.order).toEqual(first.order);
    expect(await catalog.movements(itemId, 'RELEASED')).toHaveLength(1);
    expect(await catalog.stock(itemId)).toEqual({ onHand: 5, reserved: 0, available: 5 });
  });

  it('releases only what is left of a PARTIALLY_FULFILLED order', async () => {
    const { itemId } = await catalog.stockedItem(10);
    const order = await clerk.reservedOrder([{ itemId, quantity: 5 }]);
    await clerk.fulfillOrder({ orderId: order.id, lines: [{ orderLineId: order.lines[0].id, quantity: 2 }] });
    const { order: cancelled } = await clerk.cancelOrder(order.id);
    expect(cancelled.status).toBe('CANCELLED');
    expect(cancelled.lines[0].fulfilledQuantity).toBe(2);
    expect(await catalog.stock(itemId)).toEqual({ onHand: 8, reserved: 0, available: 8 });
  });

  it('refuses a FULFILLED order with INVALID_STATE and leaves its stock as it is', async () => {
    const { itemId } = await catalog.stockedItem(3);
    const order = await clerk.reservedOrder([{ itemId, quantity: 3 }]);
    await clerk.fulfillOrder({ orderId: order.id });
    const { order: refused, userErrors } = await clerk.cancelOrder(order.id);
    expect(refused).toBeNull();
    expect(userErrors.map((e: any) => [e.code, e.field])).toEqual([['INVALID_STATE', ['id']]]);
    expect((await clerk.order(order.id)).status).toBe('FULFILLED');
    expect(await catalog.stock(itemId)).toEqual({ onHand: 0, reserved: 0, available: 0 });
  });

  it('refuses a FAILED order with INVALID_STATE', async () => {
    const { itemId } = await catalog.stockedItem(1);
    const { order } = await clerk.placeOrder([{ itemId, quantity: 2 }]);
    expect(order.status).toBe('FAILED');
    const { userErrors } = await clerk.cancelOrder(order.id);
    expect(userErrors.map((e: any) => e.code)).toEqual(['INVALID_STATE']);
  });

  it('answers NOT_FOUND for an unknown or malformed id', async () => {
    for (const id of ['00000000-0000-4000-8000-000000000000', 'SO-000001']) {
      const { userErrors } = await clerk.cancelOrder(id);
      expect(userErrors.map((e: any) => [e.code, e.field])).toEqual([['NOT_FOUND', ['id']]]);
    }
  });

  it('makes a CANCELLED order refuse fulfillment with INVALID_STATE', async () => {
    const { itemId } = await catalog.stockedItem(3);
    const order = await clerk.reservedOrder([{ itemId, quantity: 1 }]);
    await clerk.cancelOrder(order.id);
    const { shipment, userErrors } = await clerk.fulfillOrder({ orderId: order.id });
    expect(shipment).toBeNull();
    expect(userErrors.map((e: any) => e.code)).toEqual(['INVALID_STATE']);
    expect(await catalog.stock(itemId)).toEqual({ onHand: 3, reserved: 0, available: 3 });
  });

  it('refuses a viewer with FORBIDDEN', async () => {
    const viewer = await OrdersClient.for(platform.gatewayUrl, uniqueTenant('viewer'), ['viewer']);
    const res = await viewer.send(CANCEL_ORDER, { id: '00000000-0000-4000-8000-000000000000' });
    expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});
