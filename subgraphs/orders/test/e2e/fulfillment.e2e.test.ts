import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueTenant } from '@stockline/testkit';
import { Catalog } from '../support/catalog.ts';
import { FULFILL_ORDER, FULFILL_ORDERS, MARK_DELIVERED } from '../support/operations.ts';
import { OrdersClient } from '../support/orders-client.ts';
import { startPlatform, type Platform } from '../support/platform.ts';

let platform: Platform;
let catalog: Catalog;
let clerk: OrdersClient;

beforeAll(async () => {
  platform = await startPlatform('orders_fulfil');
  const tenant = uniqueTenant('fulfil');
  catalog = await Catalog.for(platform.gatewayUrl, tenant);
  clerk = await OrdersClient.for(platform.gatewayUrl, tenant);
});

afterAll(async () => {
  await platform?.stop();
});

describe('fulfillOrder', () => {
  it('ships 2 of 5 then the rest: PARTIALLY_FULFILLED then FULFILLED, onHand and reserved following', async () => {
    const { itemId } = await catalog.stockedItem(20);
    const order = await clerk.reservedOrder([{ itemId, quantity: 5 }]);
    const line = order.lines[0];
    expect(await catalog.stock(itemId)).toEqual({ onHand: 20, reserved: 5, available: 15 });

    const first = await clerk.fulfillOrder({ orderId: order.id, lines: [{ orderLineId: line.id, quantity: 2 }], trackingUrl: 'https://ups.example/1Z999' });
    expect(first.userErrors).toEqual([]);
    expect(first.order.status).toBe('PARTIALLY_FULFILLED');
    expect(first.order.lines[0].fulfilledQuantity).toBe(2);
    expect(first.shipment).toMatchObject({ carrier: 'UPS', trackingNumber: '1Z999', trackingUrl: 'https://ups.example/1Z999', status: 'SHIPPED' });
    expect(first.shipment.lines).toEqual([{ quantity: 2, orderLine: { id: line.id } }]);
    expect(await catalog.stock(itemId)).toEqual({ onHand: 18, reserved: 3, available: 15 });

    const rest = await clerk.fulfillOrder({ orderId: order.id, carrier: 'DHL', trackingNumber: 'JD0002' });
    expect(rest.userErrors).toEqual([]);
    expect(rest.order.status).toBe('FULFILLED');
    expect(rest.order.lines[0].fulfilledQuantity).toBe(5);
    expect(rest.shipment.lines).toEqual([{ quantity: 3, orderLine: { id: line.id } }]);
    expect(rest.order.shipments.map((s: any) => s.trackingNumber)).toEqual(['1Z999', 'JD0002']);
    expect(await catalog.stock(itemId)).toEqual({ onHand: 15, reserved: 0, available: 15 });

    const shipped = await catalog.movements(itemId, 'SHIPPED');
    expect(shipped.map((m) => [m.reference, m.onHandDelta, m.reservedDelta]).sort()).toEqual([
      [order.id, -2, -2],
      [order.id, -3, -3],
    ]);
  });

  it('never ships more than a line holds when fulfilments race: 8 concurrent shipments of 1 against a line of 5', async () => {
    const { itemId } = await catalog.stockedItem(10);
    const order = await clerk.reservedOrder([{ itemId, quantity: 5 }]);
    const line = order.lines[0];
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        clerk.send(FULFILL_ORDER, { input: { orderId: order.id, lines: [{ orderLineId: line.id, quantity: 1 }], carrier: 'UPS', trackingNumber: `RACE-${i}`, idempotencyKey: `race-${i}` } }),
      ),
    );
    const shipped = results.filter((r) => r.data?.fulfillOrder.shipment);
    const refused = results.filter((r) => r.data?.fulfillOrder.userErrors.length);
    expect(shipped).toHaveLength(5);
    expect(refused).toHaveLength(3);
    expect(new Set(refused.map((r) => r.data.fulfillOrder.userErrors[0].code)).size).toBe(1);
    const after = await clerk.order(order.id);
    expect(after.status).toBe('FULFILLED');
    expect(after.lines[0].fulfilledQuantity).toBe(5);
    expect(await catalog.stock(itemId)).toEqual({ onHand: 5, reserved: 0, available: 5 });
    expect((await catalog.movements(itemId, 'SHIPPED')).reduce((sum, m) => sum + m.onHandDelta, 0)).toBe(-5);
  });

  it('ships a split line from each of its locations', async () => {
    const itemId = await catalog.createItem();
    const [east, west] = [await catalog.createLocation(), await catalog.createLocation()];
    await catalog.receive(itemId, east, 3);
    await catalog.receive(itemId, west, 3);
    const order = await clerk.reservedOrder([{ itemId, quantity: 5 }]);
    expect(order.lines).toHaveLength(2);
    const { order: after, userErrors } = await clerk.fulfillOrder({ orderId: order.id });
    expect(userErrors).toEqual([]);
    expect(after.status).toBe('FULFILLED');
    const levels = await catalog.levels(itemId);
    expect(levels.reduce((n, l) => n + l.onHand, 0)).toBe(1);
    expect(levels.every((l) => l.reserved === 0)).toBe(true);
  });

  it('refuses to ship more than is left with INVALID_INPUT at that line\'s quantity', async () => {
    const { itemId } = await catalog.stockedItem(10);
    const order = await clerk.reservedOrder([{ itemId, quantity: 3 }]);
    const lineId = order.lines[0].id;
    await clerk.fulfillOrder({ orderId: order.id, lines: [{ orderLineId: lineId, quantity: 2 }] });
    const { shipment, userErrors } = await clerk.fulfillOrder({ orderId: order.id, lines: [{ orderLineId: lineId, quantity: 2 }] });
    expect(shipment).toBeNull();
    expect(userErrors.map((e: any) => [e.code, e.field])).toEqual([['INVALID_INPUT', ['input', 'lines', '0', 'quantity']]]);
    expect((await clerk.order(order.id)).lines[0].fulfilledQuantity).toBe(2);
    expect(await catalog.stock(itemId)).toEqual({ onHand: 8, reserved: 1, available: 7 });
  });

  it('refuses a FULFILLED order with INVALID_STATE, and unknown orders and lines with NOT_FOUND', async () => {
    const { itemId } = await catalog.stockedItem(10);
    const order = await clerk.reservedOrder([{ itemId, quantity: 1 }]);
    await clerk.fulfillOrder({ orderId: order.id });
    const again = await clerk.fulfillOrder({ orderId: order.id });
    expect(again.userErrors.map((e: any) => [e.code, e.field])).toEqual([['INVALID_STATE', ['input', 'orderId']]]);

    const other = await clerk.reservedOrder([{ itemId, quantity: 1 }]);
    const unknownLine = await clerk.fulfillOrder({ orderId: other.id, lines: [{ orderLineId: order.lines[0].id, quantity: 1 }] });
    expect(unknownLine.userErrors.map((e: any) => [e.code, e.field])).toEqual([['NOT_FOUND', ['input', 'lines', '0', 'orderLineId']]]);
    const unknownOrder = await clerk.fulfillOrder({ orderId: '00000000-0000-4000-8000-000000000000' });
    expect(unknownOrder.userErrors.map((e: any) => [e.code, e.field])).toEqual([['NOT_FOUND', ['input', 'orderId']]]);
    const malformed = await clerk.fulfillOrder({ orderId: 'SO-000001' });
    expect(malformed.userErrors.map((e: any) => [e.code, e.field])).toEqual([['NOT_FOUND', ['input', 'orderId']]]);
    expect(await catalog.stock(itemId)).toEqual({ onHand: 9, reserved: 1, available: 8 });
  });

  it('refuses an empty carrier or tracking number and a bad trackingUrl with INVALID_INPUT', async () => {
    const { itemId } = await catalog.stockedItem(2);
    const order = await clerk.reservedOrder([{ itemId, quantity: 1 }]);
    const { userErrors } = await clerk.fulfillOrder({ orderId: order.id, carrier: ' ', trackingNumber: '', trackingUrl: 'ftp://nope' });
    expect(userErrors.map((e: any) => [e.code, e.field])).toEqual([
      ['INVALID_INPUT', ['input', 'carrier']],
      ['INVALID_INPUT', ['input', 'trackingNumber']],
      ['INVALID_INPUT', ['input', 'trackingUrl']],
    ]);
    expect((await clerk.order(order.id)).status).toBe('RESERVED');
  });

  it('creates one shipment for a repeated idempotencyKey, and refuses another input with IDEMPOTENCY_KEY_REUSED', async () => {
    const { itemId } = await catalog.stockedItem(10);
    const order = await clerk.reservedOrder([{ itemId, quantity: 4 }]);
    const input = { orderId: order.id, lines: [{ orderLineId: order.lines[0].id, quantity: 1 }], carrier: 'UPS', trackingNumber: 'T-1', idempotencyKey: 'ship-once' };
    const [a, b] = await Promise.all([clerk.call(FULFILL_ORDER, { input }), clerk.call(FULFILL_ORDER, { input })]);
    const c = await clerk.call(FULFILL_ORDER, { input });
    const ids = [a, b, c].map((r) => r.fulfillOrder.shipment.id);
    expect(new Set(ids).size).toBe(1);
    const after = await clerk.order(order.id);
    expect(after.shipments).toHaveLength(1);
    expect(after.lines[0].fulfilledQuantity).toBe(1);
    expect(await catalog.stock(itemId)).toEqual({ onHand: 9, reserved: 3, available: 6 });

    const reused = await clerk.call(FULFILL_ORDER, { input: { ...input, lines: [{ orderLineId: order.lines[0].id, quantity: 2 }] } });
    expect(reused.fulfillOrder.shipment).toBeNull();
    expect(reused.fulfillOrder.userErrors.map((e: any) => [e.code, e.field])).toEqual([['IDEMPOTENCY_KEY_REUSED', ['input', 'idempotencyKey']]]);
    expect((await clerk.order(order.id)).shipments).toHaveLength(1);
  });
});

describe('fulfillOrders', () => {
  it('ships 100 orders in one call; one invalid input gets null and one userError pointing at it', async () => {
    const { itemId } = await catalog.stockedItem(300);
    const orders = await Promise.all(Array.from({ length: 100 }, () => clerk.reservedOrder([{ itemId, quantity: 2 }])));
    const inputs = orders.map((o, i) => ({ orderId: i === 7 ? '00000000-0000-4000-8000-000000000007' : o.id, carrier: 'UPS', trackingNumber: `BULK-${i}` }));
    const { fulfillOrders } = await clerk.call(FULFILL_ORDERS, { inputs });

    expect(fulfillOrders.shipments).toHaveLength(100);
    expect(fulfillOrders.shipments[7]).toBeNull();
    expect(fulfillOrders.shipments.filter((s: any) => s?.status === 'SHIPPED')).toHaveLength(99);
    expect(fulfillOrders.userErrors.map((e: any) => [e.code, e.field])).toEqual([['NOT_FOUND', ['inputs', '7', 'orderId']]]);
    expect(await catalog.stock(itemId)).toEqual({ onHand: 300 - 99 * 2, reserved: 2, available: 100 });
    expect((await clerk.order(orders[7].id)).status).toBe('RESERVED');
    expect((await clerk.order(orders[8].id)).status).toBe('FULFILLED');
  });

  it('refuses more than 500 inputs with LIMIT_EXCEEDED', async () => {
    const inputs = Array.from({ length: 501 }, (_, i) => ({ orderId: '00000000-0000-4000-8000-000000000000', carrier: 'UPS', trackingNumber: `X-${i}` }));
    const { fulfillOrders } = await clerk.call(FULFILL_ORDERS, { inputs });
    expect(fulfillOrders.shipments).toHaveLength(501);
    expect(fulfillOrders.shipments.every((s: any) => s === null)).toBe(true);
    expect(fulfillOrders.userErrors.map((e: any) => [e.code, e.field])).toEqual([['LIMIT_EXCEEDED', ['inputs']]]);
  });
});

describe('markShipmentDelivered', () => {
  it('closes a shipment once and answers it unchanged after', async () => {
    const { itemId } = await catalog.stockedItem(2);
    const order = await clerk.reservedOrder([{ itemId, quantity: 1 }]);
    const { shipment } = await clerk.fulfillOrder({ orderId: order.id });
    const first = (await clerk.call(MARK_DELIVERED, { id: shipment.id })).markShipmentDelivered;
    expect(first.userErrors).toEqual([]);
    expect(first.shipment.status).toBe('DELIVERED');
    expect(first.shipment.deliveredAt).not.toBeNull();
    expect(first.order).toEqual({ id: order.id, status: 'FULFILLED' });
    const second = (await clerk.call(MARK_DELIVERED, { id: shipment.id })).markShipmentDelivered;
    expect(second.shipment).toEqual(first.shipment);
    expect((await clerk.order(order.id)).shipments[0].status).toBe('DELIVERED');
  });

  it('answers NOT_FOUND for an unknown shipment', async () => {
    const unknown = (await clerk.call(MARK_DELIVERED, { id: '00000000-0000-4000-8000-000000000000' })).markShipmentDelivered;
    expect(unknown.userErrors.map((e: any) => [e.code, e.field])).toEqual([['NOT_FOUND', ['shipmentId']]]);
  });

  it('refuses a viewer with FORBIDDEN', async () => {
    const viewer = await OrdersClient.for(platform.gatewayUrl, uniqueTenant('viewer'), ['viewer']);
    const res = await viewer.send(MARK_DELIVERED, { id: '00000000-0000-4000-8000-000000000000' });
    expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});
