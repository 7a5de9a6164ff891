import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, uniqueTenant, type TestDatabase } from '@stockline/testkit';
import { loadGatewayConfig } from '../../../../gateway/src/config.ts';
import { createGatewayServer, type GatewayServer } from '../../../../gateway/src/server.ts';
import { freePort } from '../../../../test/support/spawn-start.ts';
import { loadInventoryConfig } from '../../../inventory/src/config.ts';
import { createInventoryServer, type InventoryServer } from '../../../inventory/src/server.ts';
import { CrashPoint } from '../../src/domain/fault-injection.ts';
import { Catalog } from '../support/catalog.ts';
import { eventually } from '../support/eventually.ts';
import { ADDRESS, CANCEL_ORDER, FULFILL_ORDER, ORDERS, PLACE_ORDER } from '../support/operations.ts';
import { startOrdersProcess, type OrdersProcess } from '../support/orders-process.ts';
import { OrdersClient } from '../support/orders-client.ts';

// The orders service runs as a real OS process that SIGKILLs itself right after inventory answered a
// saga step and before the answer is recorded (SAGA_CRASH_AT, test-only); a new process must finish the job.

let database: TestDatabase;
let inventory: InventoryServer;
let inventoryBaseUrl: string;
let gateway: GatewayServer;
let gatewayUrl: string;
/** Every orders process of this file listens here, so the gateway reaches whichever one is up. */
let ordersPort: number;
let db: pg.Client;
let tenant: string;
let catalog: Catalog;
const processes: OrdersProcess[] = [];

beforeAll(async () => {
  database = await createTestDatabase('orders_recovery');
  inventory = await createInventoryServer({ config: loadInventoryConfig({ overrides: { DATABASE_URL: database.url, LOG_LEVEL: 'silent', NODE_ENV: 'test' } }) });
  inventoryBaseUrl = `http://127.0.0.1:${await inventory.start(0, '127.0.0.1')}`;
  db = new pg.Client({ connectionString: database.url });
  await db.connect();
  tenant = uniqueTenant('recovery');
  ordersPort = await freePort();
  gateway = await createGatewayServer({
    config: loadGatewayConfig({ env: {}, overrides: { LOG_LEVEL: 'silent', NODE_ENV: 'test', INVENTORY_URL: inventoryBaseUrl, ORDERS_URL: `http://127.0.0.1:${ordersPort}` } }),
  });
  gatewayUrl = `http://127.0.0.1:${await gateway.start(0, '127.0.0.1')}/graphql`;
  catalog = await Catalog.for(gatewayUrl, tenant);
});

afterAll(async () => {
  for (const p of processes) p.kill('SIGKILL');
  await Promise.all(processes.map((p) => p.exited));
  await db?.end();
  await gateway?.stop();
  await inventory?.stop();
  await database?.drop();
});

async function ordersProcess(env: Record<string, string> = {}) {
  const started = await startOrdersProcess({
    DATABASE_URL: database.url,
    INVENTORY_URL: inventoryBaseUrl,
    SAGA_LEASE_MS: '1000',
    SAGA_RECOVERY_INTERVAL_MS: '200',
    PORT: String(ordersPort),
    ...env,
  });
  processes.push(started);
  return { process: started, clerk: await OrdersClient.for(gatewayUrl, tenant) };
}

async function expectKilled(p: OrdersProcess) {
  const { code, signal } = await p.exited;
  expect(code === 137 || signal === 'SIGKILL').toBe(true);
}

async function ordersInDb() {
  const { rows } = await db.query(`SELECT id, status::text FROM orders.orders WHERE tenant_id = $1 ORDER BY seq`, [tenant]);
  return rows as { id: string; status: string }[];
}

async function newestOrder(clerk: OrdersClient) {
  const { orders } = await clerk.call(ORDERS, { first: 1 });
  return orders.nodes[0] as { id: string; status: string };
}

describe('saga recovery after a crash', () => {
  it('confirms an order whose process died between reserve and confirm, reserving once', async () => {
    const { itemId } = await catalog.stockedItem(10);
    const crashing = await ordersProcess({ SAGA_CRASH_AT: CrashPoint.AfterReserve });
    const input = { lines: [{ itemId, quantity: 3 }], shippingAddress: ADDRESS, idempotencyKey: 'crash-after-reserve' };
    expect((await crashing.clerk.send(PLACE_ORDER, { input })).errors?.length).toBeGreaterThan(0); // the gateway answers for the process that died
    await expectKilled(crashing.process);

    // The window: inventory holds the stock, the order does not know yet.
    expect(await catalog.stock(itemId)).toEqual({ onHand: 10, reserved: 3, available: 7 });
    const [pending] = (await ordersInDb()).slice(-1);
    expect(pending.status).toBe('PENDING');

    const { process, clerk } = await ordersProcess();
    const recovered = await eventually(() => clerk.order(pending.id), (o) => o.status !== 'PENDING');
    expect(recovered.status).toBe('RESERVED');
    expect(recovered.lines).toEqual([expect.objectContaining({ quantity: 3, item: { id: itemId }, location: { id: expect.any(String) } })]);
    expect(await catalog.stock(itemId)).toEqual({ onHand: 10, reserved: 3, available: 7 });
    expect(await catalog.movements(itemId, 'RESERVED')).toHaveLength(1);

    const replay = (await clerk.call(PLACE_ORDER, { input })).placeOrder;
    expect(replay.order).toMatchObject({ id: pending.id, status: 'RESERVED' });
    expect(await catalog.stock(itemId)).toMatchObject({ reserved: 3 });
    await process.stop();
  });

  it('fails an order whose process died after inventory refused it, holding nothing', async () => {
    const { itemId } = await catalog.stockedItem(2);
    const crashing = await ordersProcess({ SAGA_CRASH_AT: CrashPoint.AfterReserve });
    expect((await crashing.clerk.send(PLACE_ORDER, { input: { lines: [{ itemId, quantity: 5 }], shippingAddress: ADDRESS } })).errors?.length).toBeGreaterThan(0); // the gateway answers for the process that died
    await expectKilled(crashing.process);
    const [pending] = (await ordersInDb()).slice(-1);
    expect(pending.status).toBe('PENDING');

    const { process, clerk } = await ordersProcess();
    const recovered = await eventually(() => clerk.order(pending.id), (o) => o.status !== 'PENDING');
    expect(recovered.status).toBe('FAILED');
    expect(recovered.failureReason).toMatch(/^INSUFFICIENT_STOCK/);
    expect(await catalog.stock(itemId)).toEqual({ onHand: 2, reserved: 0, available: 2 });
    await process.stop();
  });

  it('records a shipment whose process died between consume and record, consuming once', async () => {
    const { itemId } = await catalog.stockedItem(10);
    const crashing = await ordersProcess({ SAGA_CRASH_AT: CrashPoint.AfterConsume });
    const order = await crashing.clerk.reservedOrder([{ itemId, quantity: 4 }]);
    const input = { orderId: order.id, carrier: 'UPS', trackingNumber: 'CRASH-1', idempotencyKey: 'crash-after-consume' };
    expect((await crashing.clerk.send(FULFILL_ORDER, { input })).errors?.length).toBeGreaterThan(0); // the gateway answers for the process that died
    await expectKilled(crashing.process);

    // The window: inventory shipped, the order does not know yet, and the shipment is not shown.
    expect(await catalog.stock(itemId)).toEqual({ onHand: 6, reserved: 0, available: 6 });
    const { rows } = await db.query(`SELECT status::text FROM orders.shipments WHERE order_id = $1`, [order.id]);
    expect(rows).toEqual([{ status: 'PENDING' }]);
    expect((await ordersInDb()).find((o) => o.id === order.id)?.status).toBe('RESERVED');

    const { process, clerk } = await ordersProcess();
    const recovered = await eventually(() => clerk.order(order.id), (o) => o.status !== 'RESERVED');
    expect(recovered.status).toBe('FULFILLED');
    expect(recovered.lines[0].fulfilledQuantity).toBe(4);
    expect(recovered.shipments).toEqual([expect.objectContaining({ status: 'SHIPPED', trackingNumber: 'CRASH-1' })]);
    expect(await catalog.stock(itemId)).toEqual({ onHand: 6, reserved: 0, available: 6 });
    expect(await catalog.movements(itemId, 'SHIPPED')).toEqual([expect.objectContaining({ reference: order.id, onHandDelta: -4 })]);

    const replay = (await clerk.call(FULFILL_ORDER, { input })).fulfillOrder;
    expect(replay.userErrors).toEqual([]);
    expect(replay.shipment.id).toBe(recovered.shipments[0].id);
    await process.stop();
  });

  it('finishes a cancel whose process died between release and record, releasing once', async () => {
    const { itemId } = await catalog.stockedItem(4);
    const placing = await ordersProcess();
    const placed = await placing.clerk.reservedOrder([{ itemId, quantity: 4 }]);
    await placing.process.stop();

    const crashing = await ordersProcess({ SAGA_CRASH_AT: CrashPoint.AfterRelease });
    expect((await crashing.clerk.send(CANCEL_ORDER, { id: placed.id, reason: 'crash after release' })).errors?.length).toBeGreaterThan(0);
    await expectKilled(crashing.process);
    // Inventory let go of the stock; the order has not recorded it yet.
    expect(await catalog.stock(itemId)).toEqual({ onHand: 4, reserved: 0, available: 4 });

    const { process, clerk } = await ordersProcess();
    const recovered = await eventually(async () => (await ordersInDb()).find((o) => o.id === placed.id)?.status, (status) => status === 'CANCELLED', { timeoutMs: 30_000 });
    expect(recovered).toBe('CANCELLED');
    expect(await catalog.stock(itemId)).toEqual({ onHand: 4, reserved: 0, available: 4 });
    expect(await catalog.movements(itemId, 'RELEASED')).toHaveLength(1);
    expect((await newestOrder(clerk)).status).toBe('CANCELLED');
    await process.stop();
  }, 120_000);

  it('gives the stock back when an order is cancelled while its reservation is unrecorded', async () => {
    const { itemId } = await catalog.stockedItem(5);
    // A long lease keeps the recovery loop away: cancelOrder itself must finish the saga and compensate.
    const crashing = await ordersProcess({ SAGA_CRASH_AT: CrashPoint.AfterReserve, SAGA_LEASE_MS: '120000' });
    expect((await crashing.clerk.send(PLACE_ORDER, { input: { lines: [{ itemId, quantity: 5 }], shippingAddress: ADDRESS } })).errors?.length).toBeGreaterThan(0); // the gateway answers for the process that died
    await expectKilled(crashing.process);
    expect(await catalog.stock(itemId)).toEqual({ onHand: 5, reserved: 5, available: 0 });
    const [pending] = (await ordersInDb()).slice(-1);

    const { process, clerk } = await ordersProcess();
    const { order, userErrors } = await clerk.cancelOrder(pending.id, 'changed mind');
    expect(userErrors).toEqual([]);
    expect(order.status).toBe('CANCELLED');
    expect(await catalog.stock(itemId)).toEqual({ onHand: 5, reserved: 0, available: 5 });
    expect(await catalog.movements(itemId, 'RELEASED')).toHaveLength(1);
    expect((await newestOrder(clerk)).status).toBe('CANCELLED');
    await process.stop();
  });
});
