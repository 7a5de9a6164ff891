import { Scope, requireScope } from '@stockline/auth';
import type { InventoryContext } from '../context.ts';
import type { SearchItemsArgs } from '../search/search.service.ts';

/** Query.searchItems: one tenant's ranked, filtered, faceted page (see src/search). */
export function searchItems(_: unknown, args: SearchItemsArgs, ctx: InventoryContext) {
  requireScope(ctx.viewer, Scope.ReadInventory);
  return ctx.services.search.searchItems(ctx.actor, args);
}
