import type { CategoryRecord } from '../domain/records.ts';
import { sql, type Sql } from './sql.ts';

const COLUMNS = sql`id, tenant_id AS "tenantId", name`;

export class CategoryRepository {
  constructor(private readonly db: Sql) {}

  listAll({ tenantId }: { tenantId: string }, tx: Sql = this.db): Promise<CategoryRecord[]> {
    return tx.$queryRaw<CategoryRecord[]>`SELECT ${COLUMNS} FROM inventory.categories WHERE tenant_id = ${tenantId} ORDER BY name`;
  }

  findByIds({ tenantId, ids }: { tenantId: string; ids: readonly string[] }, tx: Sql = this.db): Promise<CategoryRecord[]> {
    return tx.$queryRaw<CategoryRecord[]>`SELECT ${COLUMNS} FROM inventory.categories WHERE tenant_id = ${tenantId} AND id = ANY(${[...ids]}::uuid[])`;
  }

  /** Creates the category, or returns null when the name is taken in the tenant. */
  async create({ tenantId, name }: { tenantId: string; name: string }, tx: Sql = this.db): Promise<CategoryRecord | null> {
    const rows = await tx.$queryRaw<CategoryRecord[]>`
      INSERT INTO inventory.categories (tenant_id, name) VALUES (${tenantId}, ${name})
      ON CONFLICT (tenant_id, name) DO NOTHING
      RETURNING id, tenant_id AS "tenantId", name`;
    return rows[0] ?? null;
  }
}
