import { Scope, requireScope } from '@stockline/auth';
import type { AnalyticsContext } from '../context.ts';

type Ctx = AnalyticsContext;
type ItemRef = { id: string };

/** Item belongs to inventory; analytics adds `analytics` to it and refers to items by id. */
export const Item = {
  __resolveReference: (ref: ItemRef) => ({ id: ref.id }),
  analytics(item: ItemRef, args: { from: Date; to: Date }, ctx: Ctx) {
    requireScope(ctx.viewer, Scope.ReadAnalytics);
    return ctx.loaders.itemAnalytics.load({ itemId: item.id, from: args.from, to: args.to });
  },
};

const itemRef = (row: { itemId: string }) => ({ __typename: 'Item', id: row.itemId });

export const ItemMovementStat = { item: itemRef };
export const ItemAbcClassification = { item: itemRef };
export const DeadStockItem = { item: itemRef };
