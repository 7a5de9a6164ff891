import type { ItemRecord } from '../domain/records.ts';
import { empty, join, sql, type Sql, type SqlFragment } from './sql.ts';

const COLUMNS = sql`i.id, i.tenant_id AS "tenantId", i.sku, i.name, i.description, i.category_id AS "categoryId",
  i.version, i.archived_at AS "archivedAt", i.created_at AS "createdAt", i.updated_at AS "updatedAt"`;

export interface ItemListFilter {
  categoryId?: string | null;
  locationId?: string | null;
  inStock?: boolean | null;
  belowReorderPoint?: boolean | null;
  skus?: string[] | null;
  includeArchived?: boolean | null;
}

export interface ItemUpsertRow {
  sku: string;
  name: string;
  description: string | null;
  categoryId: string | null;
  /** null: any version; 0: create only. */
  expectedVersion: number | null;
}

export class ItemRepository {
  constructor(private readonly db: Sql) {}

  findByIds({ tenantId, ids }: { tenantId: string; ids: readonly string[] }, tx: Sql = this.db): Promise<ItemRecord[]> {
    return tx.$queryRaw<ItemRecord[]>`SELECT ${COLUMNS} FROM inventory.items i WHERE i.tenant_id = ${tenantId} AND i.id = ANY(${[...ids]}::uuid[])`;
  }

  async findBySku({ tenantId, sku }: { tenantId: string; sku: string }, tx: Sql = this.db): Promise<ItemRecord | null> {
    const rows = await tx.$queryRaw<ItemRecord[]>`SELECT ${COLUMNS} FROM inventory.items i WHERE i.tenant_id = ${tenantId} AND i.sku = ${sku}`;
    return rows[0] ?? null;
  }

  findBySkus({ tenantId, skus }: { tenantId: string; skus: string[] }, tx: Sql = this.db): Promise<ItemRecord[]> {
    return tx.$queryRaw<ItemRecord[]>`SELECT ${COLUMNS} FROM inventory.items i WHERE i.tenant_id = ${tenantId} AND i.sku = ANY(${skus}::text[])`;
  }

  /** Which of the given item and location ids exist in the tenant, in one round trip. */
  async findExisting({ tenantId, itemIds, locationIds }: { tenantId: string; itemIds: string[]; locationIds: string[] }, tx: Sql = this.db) {
    const rows = await tx.$queryRaw<{ kind: 'i' | 'l'; id: string }[]>`
      SELECT 'i' AS kind, id FROM inventory.items WHERE tenant_id = ${tenantId} AND id = ANY(${itemIds}::uuid[])
      UNION ALL
      SELECT 'l', id FROM inventory.locations WHERE tenant_id = ${tenantId} AND id = ANY(${locationIds}::uuid[])`;
    return { items: new Set(rows.filter((r) => r.kind === 'i').map((r) => r.id)), locations: new Set(rows.filter((r) => r.kind === 'l').map((r) => r.id)) };
  }

  /** A page of items ordered by sku, fetched with one extra row so the caller knows if more follow. */
  list({ tenantId, filter, afterSku, limit }: { tenantId: string; filter: ItemListFilter; afterSku: string | null; limit: number }, tx: Sql = this.db) {
    return tx.$queryRaw<ItemRecord[]>`
      SELECT ${COLUMNS} FROM inventory.items i
      WHERE ${this.where(tenantId, filter)} ${afterSku === null ? empty : sql`AND i.sku > ${afterSku}`}
      ORDER BY i.sku LIMIT ${limit}`;
  }

  async count({ tenantId, filter }: { tenantId: string; filter: ItemListFilter }, tx: Sql = this.db): Promise<number> {
    const [{ n }] = await tx.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM inventory.items i WHERE ${this.where(tenantId, filter)}`;
    return n;
  }

  /** Inserts the rows whose sku the tenant does not have yet; returns those it inserted. */
  insertMissing({ tenantId, rows }: { tenantId: string; rows: ItemUpsertRow[] }, tx: Sql = this.db): Promise<ItemRecord[]> {
    if (rows.length === 0) return Promise.resolve([]);
    return tx.$queryRaw<ItemRecord[]>`
      INSERT INTO inventory.items AS i (tenant_id, sku, name, description, category_id, updated_at)
      SELECT ${tenantId}, u.sku, u.name, u.description, u.category_id, now()
      FROM unnest(${rows.map((r) => r.sku)}::text[], ${rows.map((r) => r.name)}::text[],
                  ${rows.map((r) => r.description)}::text[], ${rows.map((r) => r.categoryId)}::uuid[])
           AS u(sku, name, description, category_id)
      ON CONFLICT (tenant_id, sku) DO NOTHING
      RETURNING ${COLUMNS}`;
  }

  /**
   * Updates existing items in one statement: a row changes only when a field differs and its version
   * matches `expectedVersion` (when given); its version then goes up by one. Returns the rows it changed.
   */
  updateChanged({ tenantId, rows }: { tenantId: string; rows: ItemUpsertRow[] }, tx: Sql = this.db): Promise<ItemRecord[]> {
    if (rows.length === 0) return Promise.resolve([]);
    return tx.$queryRaw<ItemRecord[]>`
      UPDATE inventory.items i
      SET name = u.name, description = u.description, category_id = u.category_id, version = i.version + 1, updated_at = now()
      FROM unnest(${rows.map((r) => r.sku)}::text[], ${rows.map((r) => r.name)}::text[],
                  ${rows.map((r) => r.description)}::text[], ${rows.map((r) => r.categoryId)}::uuid[],
                  ${rows.map((r) => r.expectedVersion)}::int[]) AS u(sku, name, description, category_id, expected_version)
      WHERE i.tenant_id = ${tenantId} AND i.sku = u.sku
        AND (u.expected_version IS NULL OR i.version = u.expected_version)
        AND (i.name, i.description, i.category_id) IS DISTINCT FROM (u.name, u.description, u.category_id)
      RETURNING ${COLUMNS}`;
  }

  /** Sets archivedAt (once) and bumps the version; null when the item is not the tenant's. */
  async archive({ tenantId, id }: { tenantId: string; id: string }, tx: Sql = this.db): Promise<ItemRecord | null> {
    const rows = await tx.$queryRaw<ItemRecord[]>`
      UPDATE inventory.items i SET archived_at = COALESCE(i.archived_at, now()),
        version = CASE WHEN i.archived_at IS NULL THEN i.version + 1 ELSE i.version END,
        updated_at = CASE WHEN i.archived_at IS NULL THEN now() ELSE i.updated_at END
      WHERE i.tenant_id = ${tenantId} AND i.id = ${id}::uuid
      RETURNING ${COLUMNS}`;
    return rows[0] ?? null;
  }

  private where(tenantId: string, filter: ItemListFilter): SqlFragment {
    const conditions: SqlFragment[] = [sql`i.tenant_id = ${tenantId}`];
    if (!filter.includeArchived) conditions.push(sql`i.archived_at IS NULL`);
    if (filter.categoryId) conditions.push(sql`i.category_id = ${filter.categoryId}::uuid`);
    if (filter.skus) conditions.push(sql`i.sku = ANY(${filter.skus}::text[])`);
    const atLocation = filter.locationId ? sql`AND s.location_id = ${filter.locationId}::uuid` : empty;
    const level = (condition: SqlFragment) =>
      sql`EXISTS (SELECT 1 FROM inventory.stock_levels s
        WHERE s.tenant_id = i.tenant_id AND s.item_id = i.id ${atLocation} AND ${condition})`;
    if (filter.inStock != null) {
      const inStock = level(sql`s.on_hand - s.reserved > 0`);
      conditions.push(filter.inStock ? inStock : sql`NOT ${inStock}`);
    }
    if (filter.belowReorderPoint != null) {
      const below = level(sql`s.reorder_point IS NOT NULL AND s.on_hand - s.reserved < s.reorder_point`);
      conditions.push(filter.belowReorderPoint ? below : sql`NOT ${below}`);
    }
    if (filter.locationId && filter.inStock == null && filter.belowReorderPoint == null) {
      conditions.push(level(sql`TRUE`));
    }
    return join(conditions, ' AND ');
  }
}
