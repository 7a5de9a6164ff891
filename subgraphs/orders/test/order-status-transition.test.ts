import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, runMigrations } from '@stockline/db';
import { createTestDatabase, uniqueTenant, type TestDatabase } from '@stockline/testkit';
import { SCHEMA, createPrisma, inTransaction, type Db } from '../src/data/prisma.ts';
import { OrderRepository } from '../src/data/order.repository.ts';
import { IllegalTransitionError, transitionOrder } from '../src/domain/order-status.ts';
import type { OrderRecord } from '../src/domain/records.ts';

let database: TestDatabase;
let pool: pg.Pool;
let db: Db;

beforeAll(async () => {
  database = await createTestDatabase('order_status');
  pool = createPool({ url: database.url, max: 3, applicationName: 'test-order-status' });
  await runMigrations({ pool, schema: SCHEMA, dir: fileURLToPath(new URL('../prisma/migrations', import.meta.url)) });
  db = createPrisma(pool);
});
afterAll(async () => {
  await db?.$disconnect();
  await pool?.end();
  await database?.drop();
});

async function newOrder(): Promise<OrderRecord> {
  const tenantId = uniqueTenant('status');
  return inTransaction(db, (tx) =>
    new OrderRepository(tx).insert({
      tenantId,
      seq: 1,
      number: 'SO-1',
      customerEmail: null,
      shippingAddress: { name: 'A', line1: '1 Road', line2: null, city: 'Town', postalCode: '1000', country: 'BE' },
      placedBy: 'user-1',
    }),
  );
}

async function statusEvents(tenantId: string) {
  const { rows } = await pool.query(`SELECT type, payload FROM orders.outbox_events WHERE tenant_id = $1 ORDER BY id`, [tenantId]);
  return rows;
}

describe('transitionOrder', () => {
  it('moves an order along the table and writes OrderStatusChanged with the previous status in the same transaction', async () => {
    const order = await newOrder();
    const reserved = await inTransaction(db, (tx) => transitionOrder(tx, order, 'RESERVED'));
    expect(reserved).toMatchObject({ id: order.id, status: 'RESERVED', failureReason: null });
    const events = await statusEvents(order.tenantId);
    expect(events).toEqual([
      { type: 'OrderStatusChanged', payload: { orderId: order.id, number: 'SO-1', status: 'RESERVED', previousStatus: 'PENDING', occurredAt: new Date(reserved.updatedAt).toISOString() } },
    ]);
  });

  it('keeps the failure reason unless one is given', async () => {
    const order = await newOrder();
    const failed = await inTransaction(db, (tx) => transitionOrder(tx, order, 'FAILED', { failureReason: 'INSUFFICIENT_STOCK' }));
    expect(failed).toMatchObject({ status: 'FAILED', failureReason: 'INSUFFICIENT_STOCK' });
  });

  it('refuses a move the table forbids with IllegalTransitionError, and changes and writes nothing', async () => {
    const order = await newOrder();
    const attempt = inTransaction(db, (tx) => transitionOrder(tx, order, 'FULFILLED'));
    await expect(attempt).rejects.toBeInstanceOf(IllegalTransitionError);
    await expect(attempt).rejects.toMatchObject({ from: 'PENDING', to: 'FULFILLED', message: 'Order status cannot move from PENDING to FULFILLED' });
    const { rows } = await pool.query(`SELECT status::text FROM orders.orders WHERE id = $1`, [order.id]);
    expect(rows[0].status).toBe('PENDING');
    expect(await statusEvents(order.tenantId)).toEqual([]);
  });
});
