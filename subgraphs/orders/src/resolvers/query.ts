import { Scope, requireScope } from '@stockline/auth';
import type { OrdersContext } from '../context.ts';
import type { OrderStatus } from '../domain/records.ts';
import { connectionFrom, orderPage } from './pagination.ts';

type Ctx = OrdersContext;
type OrdersArgs = { first?: number | null; after?: string | null; status?: OrderStatus | null };
const viewer = (ctx: Ctx) => requireScope(ctx.viewer, Scope.ReadOrders);

export const Query = {
  order: (_: unknown, { id }: { id: string }, ctx: Ctx) => (viewer(ctx), ctx.loaders.order.load(id)),
  orders: (_: unknown, args: OrdersArgs, ctx: Ctx) => (viewer(ctx), orderConnection(ctx, args)),
};

async function orderConnection(ctx: Ctx, args: OrdersArgs) {
  const { limit, beforeSeq } = orderPage(args);
  const status = args.status ?? null;
  const rows = await ctx.services.orders.listOrders(ctx.actor, { status, beforeSeq, limit: limit + 1 });
  for (const row of rows) ctx.loaders.order.prime(row.id, row);
  return connectionFrom(rows, { first: limit, after: beforeSeq, cursorOf: (r) => ({ seq: r.seq }), totalCount: () => ctx.services.orders.countOrders(ctx.actor, { status }) });
}
