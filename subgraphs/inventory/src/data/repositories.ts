import { CategoryRepository } from './category.repository.ts';
import { ItemRepository } from './item.repository.ts';
import { LedgerRepository } from './ledger.repository.ts';
import { LocationRepository } from './location.repository.ts';
import { MovementRepository } from './movement.repository.ts';
import { OutboxRepository } from './outbox.repository.ts';
import { ReservationRepository } from './reservation.repository.ts';
import type { Sql } from './sql.ts';
import { StockLevelRepository } from './stock-level.repository.ts';

/** Every repository of the service, made once on its database; a transaction is passed to each call that runs in one. */
export function createRepositories(db: Sql) {
  return {
    items: new ItemRepository(db),
    categories: new CategoryRepository(db),
    locations: new LocationRepository(db),
    levels: new StockLevelRepository(db),
    movements: new MovementRepository(db),
    reservations: new ReservationRepository(db),
    outbox: new OutboxRepository(db),
    ledger: new LedgerRepository(db),
  };
}

export type Repositories = ReturnType<typeof createRepositories>;
