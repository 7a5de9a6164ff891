import DataLoader from 'dataloader';
import { CategoryRepository } from '../data/category.repository.ts';
import { ItemRepository } from '../data/item.repository.ts';
import { LocationRepository } from '../data/location.repository.ts';
import { ReservationRepository } from '../data/reservation.repository.ts';
import { StockLevelRepository } from '../data/stock-level.repository.ts';
import type { Db } from '../data/prisma.ts';
import { isUuid } from '@stockline/service';
import type { CategoryRecord, ItemRecord, LocationRecord, ReservationRecord, StockLevelRecord } from '../domain/records.ts';

/** Batches lookups by id into one query each, per request and tenant (no N+1, no cross-tenant reads). */
function byId<T extends { id: string }>(load: (ids: string[]) => Promise<T[]>) {
  return new DataLoader<string, T | null>(async (ids) => {
    const rows = await load(ids.filter(isUuid));
    const found = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => found.get(id) ?? null);
  });
}

export function createLoaders(db: Db, tenantId: string) {
  return {
    item: byId<ItemRecord>((ids) => new ItemRepository(db).findByIds({ tenantId, ids })),
    category: byId<CategoryRecord>((ids) => new CategoryRepository(db).findByIds({ tenantId, ids })),
    location: byId<LocationRecord>((ids) => new LocationRepository(db).findByIds({ tenantId, ids })),
    reservation: byId<ReservationRecord>((ids) => new ReservationRepository(db).findByIds({ tenantId, ids })),
    /** Every level of an item, all locations. */
    stockLevels: new DataLoader<string, StockLevelRecord[]>(async (itemIds) => {
      const rows = await new StockLevelRepository(db).findForItems({ tenantId, itemIds: itemIds.filter(isUuid) });
      return itemIds.map((id) => rows.filter((r) => r.itemId === id));
    }),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
