import type { SearchFilter } from './search-engine.ts';

/**
 * SQL conditions on `i` (inventory.items) for an ItemFilter, with the same meaning as the items
 * list: stock filters are read live from stock_levels, so they are exact at the moment of the query.
 * `param` appends a value and returns its placeholder. The category condition (on a bare `category_id`) is apart, because
 * facets count with every filter but that one.
 */
export function searchFilterSql(filter: SearchFilter, param: (value: unknown) => string): { common: string[]; category: string | null } {
  const common: string[] = [];
  if (!filter.includeArchived) common.push('i.archived_at IS NULL');
  if (filter.skus) common.push(`i.sku = ANY(${param(filter.skus)}::text[])`);
  const atLocation = filter.locationId ? `AND s.location_id = ${param(filter.locationId)}::uuid` : '';
  const level = (condition: string) =>
    `EXISTS (SELECT 1 FROM inventory.stock_levels s WHERE s.tenant_id = i.tenant_id AND s.item_id = i.id ${atLocation} AND ${condition})`;
  if (filter.inStock != null) {
    const inStock = level('s.on_hand - s.reserved > 0');
    common.push(filter.inStock ? inStock : `NOT ${inStock}`);
  }
  if (filter.belowReorderPoint != null) {
    const below = level('s.reorder_point IS NOT NULL AND s.on_hand - s.reserved < s.reorder_point');
    common.push(filter.belowReorderPoint ? below : `NOT ${below}`);
  }
  if (filter.locationId && filter.inStock == null && filter.belowReorderPoint == null) common.push(level('TRUE'));
  return { common, category: filter.categoryId ? `category_id = ${param(filter.categoryId)}::uuid` : null };
}
