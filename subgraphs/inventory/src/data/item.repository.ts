import type { ItemRecord } from '../domain/records.ts';
import { Prisma, type Db, type Tx } from './prisma.ts';

const select = {
  id: true,
  tenantId: true,
  sku: true,
  name: true,
  description: true,
  categoryId: true,
  version: true,
  archivedAt: true,
  createdAt: true,
  updatedAt: true,
} as const;

const COLUMNS = Prisma.sql`i.id, i.tenant_id AS "tenantId", i.sku, i.name, i.description, i.category_id AS "categoryId",
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
  constructor(private readonly db: Db | Tx) {}

  findByIds({ tenantId, ids }: { tenantId: string; ids: readonly string[] }): Promise<ItemRecord[]> {
    return this.db.item.findMany({ where: { tenantId, id: { in: [...ids] } }, select });
  }

  findBySku({ tenantId, sku }: { tenantId: string; sku: string }): Promise<ItemRecord | null> {
    return this.db.item.findUnique({ where: { tenantId_sku: { tenantId, sku } }, select });
  }

  findBySkus({ tenantId, skus }: { tenantId: string; skus: string[] }): Promise<ItemRecord[]> {
    return this.db.item.findMany({ where: { tenantId, sku: { in: skus } }, select });
  }

  /** A page of items ordered by sku, fetched with one extra row so the caller knows if more follow. */
  list({ tenantId, filter, afterSku, limit }: { tenantId: string; filter: ItemListFilter; afterSku: string | null; limit: number }) {
    return this.db.$queryRaw<ItemRecord[]>`
      SELECT ${COLUMNS} FROM inventory.items i
      WHERE ${this.where(tenantId, filter)} ${afterSku === null ? Prisma.empty : Prisma.sql`AND i.sku > ${afterSku}`}
      ORDER BY i.sku LIMIT ${limit}`;
  }

  async count({ tenantId, filter }: { tenantId: string; filter: ItemListFilter }): Promise<number> {
    const [{ n }] = await this.db.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM inventory.items i WHERE ${this.where(tenantId, filter)}`;
    return n;
  }

  /** Inserts the rows whose sku the tenant does not have yet; returns those it inserted. */
  insertMissing({ tenantId, rows }: { tenantId: string; rows: ItemUpsertRow[] }): Promise<ItemRecord[]> {
    if (rows.length === 0) return Promise.resolve([]);
    return this.db.$queryRaw<ItemRecord[]>`
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
  updateChanged({ tenantId, rows }: { tenantId: string; rows: ItemUpsertRow[] }): Promise<ItemRecord[]> {
    if (rows.length === 0) return Promise.resolve([]);
    return this.db.$queryRaw<ItemRecord[]>`
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
  async archive({ tenantId, id }: { tenantId: string; id: string }): Promise<ItemRecord | null> {
    const rows = await this.db.$queryRaw<ItemRecord[]>`
      UPDATE inventory.items i SET archived_at = COALESCE(i.archived_at, now()),
        version = CASE WHEN i.archived_at IS NULL THEN i.version + 1 ELSE i.version END,
        updated_at = CASE WHEN i.archived_at IS NULL THEN now() ELSE i.updated_at END
      WHERE i.tenant_id = ${tenantId} AND i.id = ${id}::uuid
      RETURNING ${COLUMNS}`;
    return rows[0] ?? null;
  }

  private where(tenantId: string, filter: ItemListFilter): Prisma.Sql {
    const conditions: Prisma.Sql[] = [Prisma.sql`i.tenant_id = ${tenantId}`];
    if (!filter.includeArchived) conditions.push(Prisma.sql`i.archived_at IS NULL`);
    if (filter.categoryId) conditions.push(Prisma.sql`i.category_id = ${filter.categoryId}::uuid`);
    if (filter.skus) conditions.push(Prisma.sql`i.sku = ANY(${filter.skus}::text[])`);
    const atLocation = filter.locationId ? Prisma.sql`AND s.location_id = ${filter.locationId}::uuid` : Prisma.empty;
    const level = (condition: Prisma.Sql) =>
      Prisma.sql`EXISTS (SELECT 1 FROM inventory.stock_levels s
        WHERE s.tenant_id = i.tenant_id AND s.item_id = i.id ${atLocation} AND ${condition})`;
    if (filter.inStock != null) {
      const inStock = level(Prisma.sql`s.on_hand - s.reserved > 0`);
      conditions.push(filter.inStock ? inStock : Prisma.sql`NOT ${inStock}`);
    }
    if (filter.belowReorderPoint != null) {
      const below = level(Prisma.sql`s.reorder_point IS NOT NULL AND s.on_hand - s.reserved < s.reorder_point`);
      conditions.push(filter.belowReorderPoint ? below : Prisma.sql`NOT ${below}`);
    }
    if (filter.locationId && filter.inStock == null && filter.belowReorderPoint == null) {
      conditions.push(level(Prisma.sql`TRUE`));
    }
    return Prisma.join(conditions, ' AND ');
  }
}
