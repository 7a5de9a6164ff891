import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueTenant } from '@stockline/testkit';
import { Catalog } from '../support/catalog.ts';
import { eventually } from '../support/eventually.ts';
import { FULFILL_ORDER } from '../support/operations.ts';
import { OrdersClient } from '../support/orders-client.ts';
import { startPlatform, type Platform } from '../support/platform.ts';
import { startSwitchableProxy, type SwitchableProxy } from '../support/switchable-proxy.ts';

// Orders reaches inventory through a proxy the tests take down: no answer is not an outcome, so the
// saga waits (PENDING / shipment unrecorded) and the recovery loop finishes it once inventory is back.

let proxy: SwitchableProxy;
let platform: Platform;
let catalog: Catalog;
let clerk: OrdersClient;

beforeAll(async () => {
  proxy = await startSwitchableProxy();
  platform = await startPlatform('orders_outage', {
    ordersOverrides: { INVENTORY_URL: proxy.url, INVENTORY_RETRIES: '0', SAGA_RECOVERY_INTERVAL_MS: '100', SAGA_LEASE_MS: '1000' },
  });
  proxy.target = platform.inventoryBaseUrl;
  const tenant = uniqueTenant('outage');
  catalog = await Catalog.for(platform.gatewayUrl, tenant);
  clerk = await OrdersClient.for(platform.gatewayUrl, tenant);
});

afterAll(async () => {
  await platform?.stop();
  await proxy?.close();
});

describe('when inventory does not answer', () => {
  it('placeOrder answers PENDING, and the order is reserved once inventory is back', async () => {
    const { itemId } = await catalog.stockedItem(10);
    proxy.up = false;
    const { order, userErrors } = await clerk.placeOrder([{ itemId, quantity: 3 }]);
    expect(userErrors).toEqual([]);
    expect(order.status).toBe('PENDING');
    expect(await catalog.stock(itemId)).toMatchObject({ reserved: 0 });

    proxy.up = true;
    const reserved = await eventually(() => clerk.order(order.id), (o) => o.status !== 'PENDING');
    expect(reserved.status).toBe('RESERVED');
    expect(await catalog.stock(itemId)).toEqual({ onHand: 10, reserved: 3, available: 7 });
  });

  it('fulfillOrder answers SERVICE_UNAVAILABLE, and a retry with the same key gets the one shipment', async () => {
    const { itemId } = await catalog.stockedItem(10);
    proxy.up = true;
    const order = await clerk.reservedOrder([{ itemId, quantity: 2 }]);
    proxy.up = false;
    const input = { orderId: order.id, carrier: 'UPS', trackingNumber: 'OUT-1', idempotencyKey: 'ship-through-outage' };
    const refused = await clerk.send(FULFILL_ORDER, { input });
    expect(refused.errors?.map((e) => e.extensions?.code)).toEqual(['SERVICE_UNAVAILABLE']);
    const meanwhile = await clerk.order(order.id);
    expect(meanwhile.status).toBe('RESERVED');
    expect(meanwhile.shipments).toEqual([]);
    expect(await catalog.stock(itemId)).toEqual({ onHand: 10, reserved: 2, available: 8 });

    proxy.up = true;
    const retried = (await clerk.call(FULFILL_ORDER, { input })).fulfillOrder;
    expect(retried.userErrors).toEqual([]);
    expect(retried.order.status).toBe('FULFILLED');
    expect(retried.order.shipments).toHaveLength(1);
    expect(await catalog.stock(itemId)).toEqual({ onHand: 8, reserved: 0, available: 8 });
    expect(await catalog.movements(itemId, 'SHIPPED')).toHaveLength(1);
  });

  it('an order cancelled while PENDING never ends up holding stock', async () => {
    const { itemId } = await catalog.stockedItem(4);
    proxy.up = false;
    const { order } = await clerk.placeOrder([{ itemId, quantity: 4 }]);
    expect(order.status).toBe('PENDING');
    const { order: cancelled } = await clerk.cancelOrder(order.id);
    expect(cancelled.status).toBe('CANCELLED');

    proxy.up = true;
    // The saga cannot know whether its reserve reached inventory, so it replays it and gives back what it got.
    const released = await eventually(() => catalog.movements(itemId, 'RELEASED'), (m) => m.length > 0);
    expect(released.map((m) => [m.reference, m.reservedDelta])).toEqual([[order.id, -4]]);
    expect(await catalog.stock(itemId)).toEqual({ onHand: 4, reserved: 0, available: 4 });
    expect((await clerk.order(order.id)).status).toBe('CANCELLED');
  });
});
