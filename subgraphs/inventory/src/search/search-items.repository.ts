import type { Pool } from '@stockline/db';
import type { ItemRecord } from '../domain/records.ts';

/** The few catalog reads search needs, tenant-scoped, on the service's pool. */
export class SearchItemsRepository {
  constructor(private readonly pool: Pool) {}

  async findItemsByIds({ tenantId, ids }: { tenantId: string; ids: string[] }): Promise<ItemRecord[]> {
    if (ids.length === 0) return [];
    const { rows } = await this.pool.query<ItemRecord>(
      `SELECT id, tenant_id AS "tenantId", sku, name, description, category_id AS "categoryId", version,
              archived_at AS "archivedAt", created_at AS "createdAt", updated_at AS "updatedAt"
       FROM inventory.items WHERE tenant_id = $1 AND id = ANY($2::uuid[])`,
      [tenantId, ids],
    );
    return rows;
  }

  async categoryNames({ tenantId, ids }: { tenantId: string; ids: string[] }): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const { rows } = await this.pool.query<{ id: string; name: string }>(
      'SELECT id, name FROM inventory.categories WHERE tenant_id = $1 AND id = ANY($2::uuid[])',
      [tenantId, ids],
    );
    return new Map(rows.map((r) => [r.id, r.name]));
  }
}
