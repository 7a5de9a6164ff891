import DataLoader from 'dataloader';
import { OrderLineRepository } from '../data/order-line.repository.ts';
import { OrderRepository } from '../data/order.repository.ts';
import type { Db } from '../data/prisma.ts';
import { ShipmentRepository } from '../data/shipment.repository.ts';
import { isUuid } from '@stockline/service';
import type { OrderLineRecord, OrderRecord, ShipmentLineRecord, ShipmentRecord } from '../domain/records.ts';

/** Batches lookups by id into one query each, per request and tenant (no N+1, no cross-tenant reads). */
function byId<T extends { id: string }>(load: (ids: string[]) => Promise<T[]>) {
  return new DataLoader<string, T | null>(async (ids) => {
    const valid = ids.filter(isUuid);
    const rows = valid.length ? await load(valid) : [];
    const found = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => found.get(id) ?? null);
  });
}

/** Groups rows under their parent id, in the order the query returned them. */
function byParent<T>(load: (ids: string[]) => Promise<T[]>, parentOf: (row: T) => string) {
  return new DataLoader<string, T[]>(async (ids) => {
    const valid = ids.filter(isUuid);
    const rows = valid.length ? await load(valid) : [];
    const groups = new Map<string, T[]>();
    for (const row of rows) groups.set(parentOf(row), [...(groups.get(parentOf(row)) ?? []), row]);
    return ids.map((id) => groups.get(id) ?? []);
  });
}

export function createLoaders(db: Db, tenantId: string) {
  return {
    order: byId<OrderRecord>((ids) => new OrderRepository(db).findByIds({ tenantId, ids })),
    orderLine: byId<OrderLineRecord>((ids) => new OrderLineRepository(db).findByIds({ tenantId, ids })),
    linesOfOrder: byParent<OrderLineRecord>((orderIds) => new OrderLineRepository(db).findByOrderIds({ tenantId, orderIds }), (l) => l.orderId),
    /** Visible (recorded) shipments only. */
    shipmentsOfOrder: byParent<ShipmentRecord>((orderIds) => new ShipmentRepository(db).findVisibleByOrderIds({ tenantId, orderIds }), (s) => s.orderId),
    linesOfShipment: byParent<ShipmentLineRecord>((shipmentIds) => new ShipmentRepository(db).findLines({ tenantId, shipmentIds }), (l) => l.shipmentId),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
