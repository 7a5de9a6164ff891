import type { OrdersContext } from '../context.ts';
import type { OrderLineRecord, OrderRecord, ShipmentLineRecord, ShipmentRecord } from '../domain/records.ts';

type Ctx = OrdersContext;

export const Order = {
  __resolveReference: (ref: { id: string }, ctx: Ctx) => ctx.loaders.order.load(ref.id),
  lines: (order: OrderRecord, _: unknown, ctx: Ctx) => ctx.loaders.linesOfOrder.load(order.id),
  shipments: (order: OrderRecord, _: unknown, ctx: Ctx) => ctx.loaders.shipmentsOfOrder.load(order.id),
};

/** Item and Location belong to inventory: orders answers references the gateway resolves there. */
export const OrderLine = {
  item: (line: OrderLineRecord) => ({ __typename: 'Item', id: line.itemId }),
  location: (line: OrderLineRecord) => (line.locationId ? { __typename: 'Location', id: line.locationId } : null),
};

export const Shipment = {
  lines: (shipment: ShipmentRecord, _: unknown, ctx: Ctx) => ctx.loaders.linesOfShipment.load(shipment.id),
};

export const ShipmentLine = {
  orderLine: (line: ShipmentLineRecord, _: unknown, ctx: Ctx) => ctx.loaders.orderLine.load(line.orderLineId),
};
