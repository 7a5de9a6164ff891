import { Role, requireRole } from '@stockline/auth';
import type { InventoryContext } from '../context.ts';
import type { SearchItemsArgs } from '../search/search.service.ts';

/** Query.searchItems: one tenant's ranked, filtered, faceted page (see src/search). */
export function searchItems(_: unknown, args: SearchItemsArgs, ctx: InventoryContext) {
  requireRole(ctx.viewer, Role.Viewer);
  return ctx.services.search.searchItems(ctx.actor, args);
}
