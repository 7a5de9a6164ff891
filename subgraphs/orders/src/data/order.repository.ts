import type { Address, OrderRecord, OrderStatus } from '../domain/records.ts';
import { Prisma, type Db, type Tx } from './prisma.ts';

const COLUMNS = Prisma.sql`o.id, o.tenant_id AS "tenantId", o.seq, o.number, o.status::text AS status, o.customer_email AS "customerEmail",
  o.ship_name AS "shipName", o.ship_line1 AS "shipLine1", o.ship_line2 AS "shipLine2", o.ship_city AS "shipCity",
  o.ship_postal_code AS "shipPostalCode", o.ship_country AS "shipCountry", o.failure_reason AS "failureReason",
  o.placed_by AS "placedBy", o.created_at AS "createdAt", o.updated_at AS "updatedAt"`;

interface OrderRow extends Omit<OrderRecord, 'shippingAddress'> {
  shipName: string;
  shipLine1: string;
  shipLine2: string | null;
  shipCity: string;
  shipPostalCode: string;
  shipCountry: string;
}

const toRecord = ({ shipName, shipLine1, shipLine2, shipCity, shipPostalCode, shipCountry, ...order }: OrderRow): OrderRecord => ({
  ...order,
  shippingAddress: { name: shipName, line1: shipLine1, line2: shipLine2, city: shipCity, postalCode: shipPostalCode, country: shipCountry },
});

export interface NewOrder {
  tenantId: string;
  seq: number;
  number: string;
  customerEmail: string | null;
  shippingAddress: Address;
  placedBy: string;
}

export class OrderRepository {
  constructor(private readonly db: Db | Tx) {}

  /** The tenant's next order counter value. Locks the tenant's counter row until the transaction ends. */
  async nextSeq({ tenantId }: { tenantId: string }): Promise<number> {
    const [{ seq }] = await this.db.$queryRaw<{ seq: number }[]>`
      INSERT INTO orders.order_counters AS c (tenant_id, last_seq) VALUES (${tenantId}, 1)
      ON CONFLICT (tenant_id) DO UPDATE SET last_seq = c.last_seq + 1
      RETURNING last_seq AS seq`;
    return seq;
  }

  async insert({ tenantId, seq, number, customerEmail, shippingAddress: a, placedBy }: NewOrder): Promise<OrderRecord> {
    const [row] = await this.db.$queryRaw<OrderRow[]>`
      INSERT INTO orders.orders AS o (tenant_id, seq, number, customer_email, ship_name, ship_line1, ship_line2, ship_city, ship_postal_code, ship_country, placed_by)
      VALUES (${tenantId}, ${seq}, ${number}, ${customerEmail}, ${a.name}, ${a.line1}, ${a.line2}, ${a.city}, ${a.postalCode}, ${a.country}, ${placedBy})
      RETURNING ${COLUMNS}`;
    return toRecord(row);
  }

  async findByIds({ tenantId, ids }: { tenantId: string; ids: readonly string[] }): Promise<OrderRecord[]> {
    const rows = await this.db.$queryRaw<OrderRow[]>`
      SELECT ${COLUMNS} FROM orders.orders o WHERE o.tenant_id = ${tenantId} AND o.id = ANY(${[...ids]}::uuid[])`;
    return rows.map(toRecord);
  }

  /** Locks the order until the transaction ends: every change of an order and its lines happens under this lock. */
  async lock({ tenantId, id }: { tenantId: string; id: string }): Promise<OrderRecord | null> {
    const rows = await this.db.$queryRaw<OrderRow[]>`
      SELECT ${COLUMNS} FROM orders.orders o WHERE o.tenant_id = ${tenantId} AND o.id = ${id}::uuid FOR UPDATE`;
    return rows[0] ? toRecord(rows[0]) : null;
  }

  async setStatus({ tenantId, id, status, failureReason }: { tenantId: string; id: string; status: OrderStatus; failureReason?: string | null }): Promise<OrderRecord> {
    const [row] = await this.db.$queryRaw<OrderRow[]>`
      UPDATE orders.orders o SET status = ${status}::orders."OrderStatus", updated_at = now(),
        failure_reason = ${failureReason === undefined ? Prisma.sql`o.failure_reason` : Prisma.sql`${failureReason}`}
      WHERE o.tenant_id = ${tenantId} AND o.id = ${id}::uuid
      RETURNING ${COLUMNS}`;
    return toRecord(row);
  }

  async touch({ tenantId, id }: { tenantId: string; id: string }): Promise<void> {
    await this.db.$executeRaw`UPDATE orders.orders SET updated_at = now() WHERE tenant_id = ${tenantId} AND id = ${id}::uuid`;
  }

  /** A page of the tenant's orders, newest first, with one extra row. */
  async list({ tenantId, status, beforeSeq, limit }: { tenantId: string; status: OrderStatus | null; beforeSeq: number | null; limit: number }): Promise<OrderRecord[]> {
    const rows = await this.db.$queryRaw<OrderRow[]>`
      SELECT ${COLUMNS} FROM orders.orders o
      WHERE o.tenant_id = ${tenantId}
        ${status ? Prisma.sql`AND o.status = ${status}::orders."OrderStatus"` : Prisma.empty}
        ${beforeSeq === null ? Prisma.empty : Prisma.sql`AND o.seq < ${beforeSeq}`}
      ORDER BY o.seq DESC LIMIT ${limit}`;
    return rows.map(toRecord);
  }

  count({ tenantId, status }: { tenantId: string; status: OrderStatus | null }): Promise<number> {
    return this.db.order.count({ where: { tenantId, ...(status ? { status } : {}) } });
  }
}
