import type { Actor, BaseContext } from '@stockline/service';
import type { Db } from './data/prisma.ts';
import type { CatalogService } from './domain/catalog.service.ts';
import type { ReservationService } from './domain/reservation.service.ts';
import type { StockService } from './domain/stock.service.ts';
import type { SearchService } from './search/search.service.ts';
import { createLoaders, type Loaders } from './loaders/create-loaders.ts';

export interface InventoryServices {
  catalog: CatalogService;
  stock: StockService;
  reservations: ReservationService;
  search: SearchService;
}

export interface InventoryContext extends BaseContext {
  actor: Actor;
  services: InventoryServices;
  loaders: Loaders;
  db: Db;
}

export function buildInventoryContext(base: BaseContext, db: Db, services: InventoryServices): InventoryContext {
  const actor = { tenantId: base.viewer.tenantId, userId: base.viewer.userId };
  return { ...base, actor, services, db, loaders: createLoaders(db, actor.tenantId) };
}
