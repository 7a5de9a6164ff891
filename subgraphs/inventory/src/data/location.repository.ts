import type { LocationRecord } from '../domain/records.ts';
import { sql, type Sql } from './sql.ts';

const COLUMNS = sql`id, tenant_id AS "tenantId", code, name`;

export class LocationRepository {
  constructor(private readonly db: Sql) {}

  listAll({ tenantId }: { tenantId: string }, tx: Sql = this.db): Promise<LocationRecord[]> {
    return tx.$queryRaw<LocationRecord[]>`SELECT ${COLUMNS} FROM inventory.locations WHERE tenant_id = ${tenantId} ORDER BY code`;
  }

  findByIds({ tenantId, ids }: { tenantId: string; ids: readonly string[] }, tx: Sql = this.db): Promise<LocationRecord[]> {
    return tx.$queryRaw<LocationRecord[]>`SELECT ${COLUMNS} FROM inventory.locations WHERE tenant_id = ${tenantId} AND id = ANY(${[...ids]}::uuid[])`;
  }

  /** Creates the location, or returns null when the code is taken in the tenant. */
  async create({ tenantId, code, name }: { tenantId: string; code: string; name: string }, tx: Sql = this.db): Promise<LocationRecord | null> {
    const rows = await tx.$queryRaw<LocationRecord[]>`
      INSERT INTO inventory.locations (tenant_id, code, name) VALUES (${tenantId}, ${code}, ${name})
      ON CONFLICT (tenant_id, code) DO NOTHING
      RETURNING id, tenant_id AS "tenantId", code, name`;
    return rows[0] ?? null;
  }
}
