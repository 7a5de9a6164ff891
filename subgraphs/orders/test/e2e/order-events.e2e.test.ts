import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelFor, createPubSub, type DomainEvent, type PubSub } from '@stockline/events';
import { TEST_REDIS_URL, uniqueTenant } from '@stockline/testkit';
import { Catalog } from '../support/catalog.ts';
import { eventually } from '../support/eventually.ts';
import { OrdersClient } from '../support/orders-client.ts';
import { startPlatform, type Platform } from '../support/platform.ts';

const prefix = `test-${randomBytes(4).toString('hex')}.`;
let platform: Platform;
let catalog: Catalog;
let clerk: OrdersClient;
let db: pg.Client;
let bus: PubSub;
const received: DomainEvent[] = [];

beforeAll(async () => {
  platform = await startPlatform('orders_events', { ordersOverrides: { REDIS_URL: TEST_REDIS_URL, EVENTS_CHANNEL_PREFIX: prefix } });
  const tenant = uniqueTenant('events');
  catalog = await Catalog.for(platform.gatewayUrl, tenant);
  clerk = await OrdersClient.for(platform.gatewayUrl, tenant);
  db = new pg.Client({ connectionString: platform.database.url });
  await db.connect();
  bus = createPubSub({ redisUrl: TEST_REDIS_URL });
  await bus.subscribe(channelFor(prefix, 'orders'), (event: DomainEvent) => received.push(event), {});
});

afterAll(async () => {
  await bus?.close();
  await db?.end();
  await platform?.stop();
});

async function outboxOf(orderId: string) {
  const { rows } = await db.query(`SELECT type, payload FROM orders.outbox_events WHERE payload->>'orderId' = $1 ORDER BY id`, [orderId]);
  return rows.map((r) => ({ type: r.type, from: r.payload.previousStatus, to: r.payload.status }));
}

describe('OrderStatusChanged events', () => {
  it('writes one outbox event per transition, in order, and publishes them', async () => {
    const { itemId } = await catalog.stockedItem(10);
    const order = await clerk.reservedOrder([{ itemId, quantity: 5 }]);
    await clerk.fulfillOrder({ orderId: order.id, lines: [{ orderLineId: order.lines[0].id, quantity: 2 }] });
    await clerk.fulfillOrder({ orderId: order.id });

    expect(await outboxOf(order.id)).toEqual([
      { type: 'OrderStatusChanged', from: null, to: 'PENDING' },
      { type: 'OrderStatusChanged', from: 'PENDING', to: 'RESERVED' },
      { type: 'OrderStatusChanged', from: 'RESERVED', to: 'PARTIALLY_FULFILLED' },
      { type: 'OrderStatusChanged', from: 'PARTIALLY_FULFILLED', to: 'FULFILLED' },
    ]);

    const mine = () => received.filter((e) => e.payload.orderId === order.id);
    const published = await eventually(mine, (events) => events.length >= 4);
    expect(published.map((e) => e.payload.status)).toEqual(['PENDING', 'RESERVED', 'PARTIALLY_FULFILLED', 'FULFILLED']);
    expect(published[0]).toMatchObject({ stream: 'orders', type: 'OrderStatusChanged', payload: { number: order.number, previousStatus: null } });
    const seqs = published.map((e) => e.seq);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    expect(new Set(seqs).size).toBe(4);
  });

  it('writes PENDING → FAILED for an order that could not be reserved, and RESERVED → CANCELLED on cancel', async () => {
    const { itemId } = await catalog.stockedItem(1);
    const { order: failed } = await clerk.placeOrder([{ itemId, quantity: 2 }]);
    expect(await outboxOf(failed.id)).toEqual([
      { type: 'OrderStatusChanged', from: null, to: 'PENDING' },
      { type: 'OrderStatusChanged', from: 'PENDING', to: 'FAILED' },
    ]);
    const order = await clerk.reservedOrder([{ itemId, quantity: 1 }]);
    await clerk.cancelOrder(order.id);
    await clerk.cancelOrder(order.id);
    expect((await outboxOf(order.id)).map((e) => e.to)).toEqual(['PENDING', 'RESERVED', 'CANCELLED']);
  });

  it('writes no event when a change is refused', async () => {
    const { itemId } = await catalog.stockedItem(2);
    const order = await clerk.reservedOrder([{ itemId, quantity: 1 }]);
    await clerk.fulfillOrder({ orderId: order.id, lines: [{ orderLineId: order.lines[0].id, quantity: 5 }] });
    expect((await outboxOf(order.id)).map((e) => e.to)).toEqual(['PENDING', 'RESERVED']);
  });
});
