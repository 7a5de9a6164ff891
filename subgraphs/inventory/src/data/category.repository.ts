import type { CategoryRecord } from '../domain/records.ts';
import type { Db, Tx } from './prisma.ts';

const select = { id: true, tenantId: true, name: true } as const;

export class CategoryRepository {
  constructor(private readonly db: Db | Tx) {}

  listAll({ tenantId }: { tenantId: string }): Promise<CategoryRecord[]> {
    return this.db.category.findMany({ where: { tenantId }, select, orderBy: { name: 'asc' } });
  }

  findByIds({ tenantId, ids }: { tenantId: string; ids: readonly string[] }): Promise<CategoryRecord[]> {
    return this.db.category.findMany({ where: { tenantId, id: { in: [...ids] } }, select });
  }

  /** Creates the category, or returns null when the name is taken in the tenant. */
  async create({ tenantId, name }: { tenantId: string; name: string }): Promise<CategoryRecord | null> {
    const rows = await this.db.$queryRaw<CategoryRecord[]>`
      INSERT INTO inventory.categories (tenant_id, name) VALUES (${tenantId}, ${name})
      ON CONFLICT (tenant_id, name) DO NOTHING
      RETURNING id, tenant_id AS "tenantId", name`;
    return rows[0] ?? null;
  }
}
