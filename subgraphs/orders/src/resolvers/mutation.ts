import { Scope, requireScope } from '@stockline/auth';
import type { OrdersContext } from '../context.ts';
import type { FulfillOrderInput, PlaceOrderInput } from '../domain/order-validation.ts';

type Ctx = OrdersContext;
const clerk = (ctx: Ctx) => requireScope(ctx.viewer, Scope.WriteOrders);

export const Mutation = {
  placeOrder: (_: unknown, { input }: { input: PlaceOrderInput }, ctx: Ctx) => (clerk(ctx), ctx.services.orders.placeOrder(ctx.actor, input)),
  cancelOrder: (_: unknown, { id, reason }: { id: string; reason?: string | null }, ctx: Ctx) => (clerk(ctx), ctx.services.orders.cancelOrder(ctx.actor, id, reason)),
  fulfillOrder: (_: unknown, { input }: { input: FulfillOrderInput }, ctx: Ctx) => (clerk(ctx), ctx.services.fulfillment.fulfillOrder(ctx.actor, input)),
  fulfillOrders: (_: unknown, { inputs }: { inputs: FulfillOrderInput[] }, ctx: Ctx) => (clerk(ctx), ctx.services.fulfillment.fulfillOrders(ctx.actor, inputs)),
  markShipmentDelivered: (_: unknown, { shipmentId }: { shipmentId: string }, ctx: Ctx) =>
    (clerk(ctx), ctx.services.fulfillment.markShipmentDelivered(ctx.actor, shipmentId)),
};
