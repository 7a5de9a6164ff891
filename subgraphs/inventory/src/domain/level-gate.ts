import { KeyedGate, type KeyedGateOptions } from '@stockline/service';

/**
 * The process's queue per stock level (packages/service/src/keyed-gate.ts): changes of one level wait
 * here for its row lock's turn instead of in the database holding a pooled connection. One per service
 * process, shared by StockService and ReservationService.
 */
export type LevelGate = KeyedGate;

export function createLevelGate(options: KeyedGateOptions = {}): LevelGate {
  return new KeyedGate({ noun: 'stock level', ...options });
}

/** A level's key; a tenant's ids are its own, the tenant is in the key all the same. */
export const levelGateKey = (tenantId: string, { itemId, locationId }: { itemId: string; locationId: string }) => `${tenantId}/${itemId}/${locationId}`;

/** An item's key, for work that locks every level of the item (reserveLines' allocation). */
export const itemGateKey = (tenantId: string, itemId: string) => `${tenantId}/${itemId}`;
