import type { ShipmentLineRecord, ShipmentRecord, ShipmentStatus } from '../domain/records.ts';
import { Prisma, type Db, type Tx } from './prisma.ts';

const COLUMNS = Prisma.sql`s.id, s.tenant_id AS "tenantId", s.order_id AS "orderId", s.carrier, s.tracking_number AS "trackingNumber",
  s.tracking_url AS "trackingUrl", s.status::text AS status, s.shipped_at AS "shippedAt", s.delivered_at AS "deliveredAt", s.created_at AS "createdAt"`;

/** Shipments the API shows: consumed in inventory. */
const VISIBLE = Prisma.sql`s.status IN ('SHIPPED', 'DELIVERED')`;

export interface NewShipment {
  tenantId: string;
  orderId: string;
  carrier: string;
  trackingNumber: string;
  trackingUrl: string | null;
  lines: { orderLineId: string; quantity: number }[];
}

export class ShipmentRepository {
  constructor(private readonly db: Db | Tx) {}

  /** Creates a PENDING shipment with its lines. */
  async insert({ tenantId, orderId, carrier, trackingNumber, trackingUrl, lines }: NewShipment): Promise<ShipmentRecord> {
    const [shipment] = await this.db.$queryRaw<ShipmentRecord[]>`
      INSERT INTO orders.shipments AS s (tenant_id, order_id, carrier, tracking_number, tracking_url)
      VALUES (${tenantId}, ${orderId}::uuid, ${carrier}, ${trackingNumber}, ${trackingUrl})
      RETURNING ${COLUMNS}`;
    await this.db.$executeRaw`
      INSERT INTO orders.shipment_lines (shipment_id, order_line_id, tenant_id, quantity)
      SELECT ${shipment.id}::uuid, u.id, ${tenantId}, u.quantity
      FROM unnest(${lines.map((l) => l.orderLineId)}::uuid[], ${lines.map((l) => l.quantity)}::int[]) AS u(id, quantity)`;
    return shipment;
  }

  /** Moves a shipment from one status to another; null when it was not in `from` (someone else moved it). */
  async transition({ tenantId, id, from, to }: { tenantId: string; id: string; from: ShipmentStatus; to: ShipmentStatus }): Promise<ShipmentRecord | null> {
    const rows = await this.db.$queryRaw<ShipmentRecord[]>`
      UPDATE orders.shipments s SET status = ${to}::orders."ShipmentStatus",
        shipped_at = CASE WHEN ${to} = 'SHIPPED' THEN now() ELSE s.shipped_at END,
        delivered_at = CASE WHEN ${to} = 'DELIVERED' THEN now() ELSE s.delivered_at END
      WHERE s.tenant_id = ${tenantId} AND s.id = ${id}::uuid AND s.status = ${from}::orders."ShipmentStatus"
      RETURNING ${COLUMNS}`;
    return rows[0] ?? null;
  }

  /** Shipments by id, whatever their status (the domain decides what to show). */
  findByIds({ tenantId, ids }: { tenantId: string; ids: readonly string[] }): Promise<ShipmentRecord[]> {
    return this.db.$queryRaw<ShipmentRecord[]>`
      SELECT ${COLUMNS} FROM orders.shipments s WHERE s.tenant_id = ${tenantId} AND s.id = ANY(${[...ids]}::uuid[])`;
  }

  /** Visible shipments of the orders, oldest first. */
  findVisibleByOrderIds({ tenantId, orderIds }: { tenantId: string; orderIds: readonly string[] }): Promise<ShipmentRecord[]> {
    return this.db.$queryRaw<ShipmentRecord[]>`
      SELECT ${COLUMNS} FROM orders.shipments s
      WHERE s.tenant_id = ${tenantId} AND s.order_id = ANY(${[...orderIds]}::uuid[]) AND ${VISIBLE}
      ORDER BY s.shipped_at, s.id`;
  }

  findLines({ tenantId, shipmentIds }: { tenantId: string; shipmentIds: readonly string[] }): Promise<ShipmentLineRecord[]> {
    return this.db.$queryRaw<ShipmentLineRecord[]>`
      SELECT sl.shipment_id AS "shipmentId", sl.order_line_id AS "orderLineId", sl.quantity
      FROM orders.shipment_lines sl JOIN orders.order_lines l ON l.id = sl.order_line_id
      WHERE sl.tenant_id = ${tenantId} AND sl.shipment_id = ANY(${[...shipmentIds]}::uuid[])
      ORDER BY sl.shipment_id, l.line_index, l.part`;
  }

  /** Quantities of the order's lines held by PENDING shipments (shipped but not yet recorded). */
  async pendingQuantities({ tenantId, orderId }: { tenantId: string; orderId: string }): Promise<Map<string, number>> {
    const rows = await this.db.$queryRaw<{ orderLineId: string; quantity: number }[]>`
      SELECT sl.order_line_id AS "orderLineId", sum(sl.quantity)::int AS quantity
      FROM orders.shipment_lines sl JOIN orders.shipments s ON s.id = sl.shipment_id
      WHERE s.tenant_id = ${tenantId} AND s.order_id = ${orderId}::uuid AND s.status = 'PENDING'
      GROUP BY sl.order_line_id`;
    return new Map(rows.map((r) => [r.orderLineId, r.quantity]));
  }

  /** Locks a shipment until the transaction ends. */
  async lock({ tenantId, id }: { tenantId: string; id: string }): Promise<ShipmentRecord | null> {
    const rows = await this.db.$queryRaw<ShipmentRecord[]>`
      SELECT ${COLUMNS} FROM orders.shipments s WHERE s.tenant_id = ${tenantId} AND s.id = ${id}::uuid FOR UPDATE`;
    return rows[0] ?? null;
  }
}
