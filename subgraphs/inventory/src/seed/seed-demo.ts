import type { Logger } from '@stockline/observability';
import type { CatalogService } from '../domain/catalog.service.ts';
import type { LocationRecord } from '../domain/records.ts';
import type { StockService } from '../domain/stock.service.ts';
import { DEMO_LOCATIONS, DEMO_TENANT, demoCatalog } from './demo-catalog.ts';

/**
 * Seeds tenant `demo` when it has no locations yet (a fresh database): 8 categories, 200 items,
 * 3 locations, opening stock received through the ledger like any other change, and reorder points.
 */
export async function seedDemo({ catalog, stock, logger }: { catalog: CatalogService; stock: StockService; logger: Logger }): Promise<boolean> {
  const actor = { tenantId: DEMO_TENANT, userId: 'seed' };
  if ((await catalog.listLocations(actor)).length > 0) return false;
  const locations: LocationRecord[] = [];
  for (const l of DEMO_LOCATIONS) {
    const { location } = await catalog.createLocation(actor, l.code, l.name);
    if (location) locations.push(location);
  }
  let index = 0;
  for (const { category, items } of demoCatalog()) {
    const { category: created } = await catalog.createCategory(actor, category);
    const { items: stored } = await catalog.bulkUpsertItems(actor, items.map((i) => ({ ...i, categoryId: created?.id ?? null })), 'PER_ITEM');
    const adjustments = stored.flatMap((item) =>
      item
        ? locations.map((location, l) => ({
            itemId: item.id,
            locationId: location.id,
            delta: ((index++ * 37 + l * 11) % 120) + (l === 2 ? 1 : 20),
            reason: 'RECEIVED' as const,
            reference: 'opening stock',
          }))
        : [],
    );
    await stock.bulkAdjustStock(actor, adjustments, 'ATOMIC');
    for (const item of stored.slice(0, 5)) if (item) await stock.setReorderPoint(actor, { itemId: item.id, locationId: locations[0].id, reorderPoint: 25 });
  }
  logger.info({ tenant: DEMO_TENANT }, 'seeded the demo catalog');
  return true;
}
