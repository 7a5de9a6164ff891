import type { StockLevelRecord } from '../domain/records.ts';
import { empty, join, sql, type Sql, type SqlFragment } from './sql.ts';

export interface LevelKey {
  itemId: string;
  locationId: string;
}

const COLUMNS = sql`s.tenant_id AS "tenantId", s.item_id AS "itemId", s.location_id AS "locationId", s.on_hand AS "onHand",
  s.reserved, s.reorder_point AS "reorderPoint", s.version, s.updated_at AS "updatedAt"`;

export class StockLevelRepository {
  constructor(private readonly db: Sql) {}

  /**
   * Locks the levels of `keys` that exist, in (item, location) order so that two transactions
   * locking overlapping sets never deadlock. Returns them unordered.
   */
  lock({ tenantId, keys }: { tenantId: string; keys: LevelKey[] }, tx: Sql = this.db): Promise<StockLevelRecord[]> {
    if (keys.length === 0) return Promise.resolve([]);
    return tx.$queryRaw<StockLevelRecord[]>`
      SELECT ${COLUMNS} FROM inventory.stock_levels s
      JOIN unnest(${keys.map((k) => k.itemId)}::uuid[], ${keys.map((k) => k.locationId)}::uuid[]) AS k(item_id, location_id)
        ON s.item_id = k.item_id AND s.location_id = k.location_id
      WHERE s.tenant_id = ${tenantId}
      ORDER BY s.item_id, s.location_id
      FOR UPDATE OF s`;
  }

  /** Creates empty levels for `keys` that have none (a location starts holding an item). */
  async createMissing({ tenantId, keys }: { tenantId: string; keys: LevelKey[] }, tx: Sql = this.db): Promise<void> {
    if (keys.length === 0) return;
    await tx.$executeRaw`
      INSERT INTO inventory.stock_levels (tenant_id, item_id, location_id)
      SELECT ${tenantId}, k.item_id, k.location_id
      FROM unnest(${keys.map((k) => k.itemId)}::uuid[], ${keys.map((k) => k.locationId)}::uuid[]) AS k(item_id, location_id)
      ORDER BY 2, 3
      ON CONFLICT DO NOTHING`;
  }

  /** Every level of `itemIds` (one location when given), for DataLoader. */
  findForItems({ tenantId, itemIds, locationId }: { tenantId: string; itemIds: readonly string[]; locationId?: string | null }, tx: Sql = this.db) {
    return tx.$queryRaw<StockLevelRecord[]>`
      SELECT ${COLUMNS} FROM inventory.stock_levels s
      WHERE s.tenant_id = ${tenantId} AND s.item_id = ANY(${[...itemIds]}::uuid[])
        ${locationId ? sql`AND s.location_id = ${locationId}::uuid` : empty}
      ORDER BY s.item_id, s.location_id`;
  }

  /** Every level of `itemIds`, locked in (item, location) order: what allocation may draw on. */
  lockForItems({ tenantId, itemIds }: { tenantId: string; itemIds: string[] }, tx: Sql = this.db): Promise<StockLevelRecord[]> {
    if (itemIds.length === 0) return Promise.resolve([]);
    return tx.$queryRaw<StockLevelRecord[]>`
      SELECT ${COLUMNS} FROM inventory.stock_levels s
      WHERE s.tenant_id = ${tenantId} AND s.item_id = ANY(${itemIds}::uuid[])
      ORDER BY s.item_id, s.location_id
      FOR UPDATE OF s`;
  }
}
