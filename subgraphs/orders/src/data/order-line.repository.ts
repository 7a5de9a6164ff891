import type { OrderLineRecord } from '../domain/records.ts';
import { Prisma, type Db, type Tx } from './prisma.ts';

const COLUMNS = Prisma.sql`l.id, l.tenant_id AS "tenantId", l.order_id AS "orderId", l.line_index AS "lineIndex", l.part,
  l.item_id AS "itemId", l.location_id AS "locationId", l.quantity, l.fulfilled_quantity AS "fulfilledQuantity", l.reservation_id AS "reservationId"`;

export type NewOrderLine = Pick<OrderLineRecord, 'lineIndex' | 'part' | 'itemId' | 'locationId' | 'quantity' | 'reservationId'>;

export class OrderLineRepository {
  constructor(private readonly db: Db | Tx) {}

  /** Inserts lines, or (same order, lineIndex and part) overwrites what an earlier version of them said. */
  async upsert({ tenantId, orderId, lines }: { tenantId: string; orderId: string; lines: NewOrderLine[] }): Promise<void> {
    if (lines.length === 0) return;
    const col = <K extends keyof NewOrderLine>(key: K) => lines.map((l) => l[key]);
    await this.db.$executeRaw`
      INSERT INTO orders.order_lines (tenant_id, order_id, line_index, part, item_id, location_id, quantity, reservation_id)
      SELECT ${tenantId}, ${orderId}::uuid, u.line_index, u.part, u.item_id, u.location_id, u.quantity, u.reservation_id
      FROM unnest(${col('lineIndex')}::int[], ${col('part')}::int[], ${col('itemId')}::uuid[], ${col('locationId')}::uuid[],
                  ${col('quantity')}::int[], ${col('reservationId')}::uuid[]) AS u(line_index, part, item_id, location_id, quantity, reservation_id)
      ON CONFLICT (order_id, line_index, part) DO UPDATE
        SET location_id = excluded.location_id, quantity = excluded.quantity, reservation_id = excluded.reservation_id`;
  }

  /** Lines of the orders, in input order (parts of a split line together). */
  findByOrderIds({ tenantId, orderIds }: { tenantId: string; orderIds: readonly string[] }): Promise<OrderLineRecord[]> {
    return this.db.$queryRaw<OrderLineRecord[]>`
      SELECT ${COLUMNS} FROM orders.order_lines l
      WHERE l.tenant_id = ${tenantId} AND l.order_id = ANY(${[...orderIds]}::uuid[])
      ORDER BY l.order_id, l.line_index, l.part`;
  }

  findByIds({ tenantId, ids }: { tenantId: string; ids: readonly string[] }): Promise<OrderLineRecord[]> {
    return this.db.$queryRaw<OrderLineRecord[]>`
      SELECT ${COLUMNS} FROM orders.order_lines l WHERE l.tenant_id = ${tenantId} AND l.id = ANY(${[...ids]}::uuid[])`;
  }

  /** Adds shipped quantities; the table's CHECK refuses going past a line's quantity. */
  async addFulfilled({ tenantId, rows }: { tenantId: string; rows: { orderLineId: string; quantity: number }[] }): Promise<void> {
    if (rows.length === 0) return;
    await this.db.$executeRaw`
      UPDATE orders.order_lines l SET fulfilled_quantity = l.fulfilled_quantity + u.quantity
      FROM unnest(${rows.map((r) => r.orderLineId)}::uuid[], ${rows.map((r) => r.quantity)}::int[]) AS u(id, quantity)
      WHERE l.tenant_id = ${tenantId} AND l.id = u.id`;
  }
}
