import type { Actor, BaseContext } from '@stockline/service';
import type { Db } from './data/prisma.ts';
import type { FulfillmentService } from './domain/fulfillment.service.ts';
import type { OrderService } from './domain/order.service.ts';
import { createLoaders, type Loaders } from './loaders/create-loaders.ts';

export interface OrdersServices {
  orders: OrderService;
  fulfillment: FulfillmentService;
}

export interface OrdersContext extends BaseContext {
  actor: Actor;
  services: OrdersServices;
  loaders: Loaders;
}

export function buildOrdersContext(base: BaseContext, db: Db, services: OrdersServices): OrdersContext {
  const actor = { tenantId: base.viewer.tenantId, userId: base.viewer.userId };
  return { ...base, actor, services, loaders: createLoaders(db, actor.tenantId) };
}
