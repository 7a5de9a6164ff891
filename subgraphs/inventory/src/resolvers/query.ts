import { Scope, requireScope } from '@stockline/auth';
import { BadUserInputError } from '@stockline/errors';
import type { InventoryContext } from '../context.ts';
import type { ItemListFilter } from '../data/item.repository.ts';
import type { MovementFilter } from '../data/movement.repository.ts';
import { connectionFrom, itemPage, movementPage } from './pagination.ts';

type PageArgs = { first?: number | null; after?: string | null };

export const Query = {
  async items(_: unknown, args: PageArgs & { filter?: ItemListFilter | null }, ctx: InventoryContext) {
    requireScope(ctx.viewer, Scope.ReadInventory);
    return itemConnection(ctx, args, args.filter ?? {});
  },

  async item(_: unknown, { id, sku }: { id?: string | null; sku?: string | null }, ctx: InventoryContext) {
    requireScope(ctx.viewer, Scope.ReadInventory);
    if ((id == null) === (sku == null)) throw new BadUserInputError('Give exactly one of "id" or "sku"');
    return id != null ? ctx.loaders.item.load(id) : ctx.services.catalog.findItemBySku(ctx.actor, sku!);
  },

  categories(_: unknown, __: unknown, ctx: InventoryContext) {
    requireScope(ctx.viewer, Scope.ReadInventory);
    return ctx.services.catalog.listCategories(ctx.actor);
  },

  locations(_: unknown, __: unknown, ctx: InventoryContext) {
    requireScope(ctx.viewer, Scope.ReadInventory);
    return ctx.services.catalog.listLocations(ctx.actor);
  },

  stockMovements(_: unknown, args: PageArgs & MovementFilter, ctx: InventoryContext) {
    requireScope(ctx.viewer, Scope.ReadInventory);
    return movementConnection(ctx, args, { itemId: args.itemId, locationId: args.locationId, reason: args.reason });
  },

  reservation(_: unknown, { id }: { id: string }, ctx: InventoryContext) {
    requireScope(ctx.viewer, Scope.ReadInventory);
    return ctx.loaders.reservation.load(id);
  },
};

export async function itemConnection(ctx: InventoryContext, args: PageArgs, filter: ItemListFilter) {
  const { limit, afterSku } = itemPage(args);
  const rows = await ctx.services.catalog.listItems(ctx.actor, { filter, afterSku, limit: limit + 1 });
  for (const row of rows) ctx.loaders.item.prime(row.id, row);
  return connectionFrom(rows, { first: limit, after: afterSku, cursorOf: (r) => ({ sku: r.sku }), totalCount: () => ctx.services.catalog.countItems(ctx.actor, filter) });
}

export async function movementConnection(ctx: InventoryContext, args: PageArgs, filter: MovementFilter) {
  const { limit, beforeId } = movementPage(args);
  const rows = await ctx.services.stock.listMovements(ctx.actor, { filter, beforeId, limit: limit + 1 });
  return connectionFrom(rows, { first: limit, after: beforeId, cursorOf: (r) => ({ id: r.id }), totalCount: () => ctx.services.stock.countMovements(ctx.actor, filter) });
}
