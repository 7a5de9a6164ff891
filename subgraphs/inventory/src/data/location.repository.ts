import type { LocationRecord } from '../domain/records.ts';
import type { Db, Tx } from './prisma.ts';

const select = { id: true, tenantId: true, code: true, name: true } as const;

export class LocationRepository {
  constructor(private readonly db: Db | Tx) {}

  listAll({ tenantId }: { tenantId: string }): Promise<LocationRecord[]> {
    return this.db.location.findMany({ where: { tenantId }, select, orderBy: { code: 'asc' } });
  }

  findByIds({ tenantId, ids }: { tenantId: string; ids: readonly string[] }): Promise<LocationRecord[]> {
    return this.db.location.findMany({ where: { tenantId, id: { in: [...ids] } }, select });
  }

  /** Creates the location, or returns null when the code is taken in the tenant. */
  async create({ tenantId, code, name }: { tenantId: string; code: string; name: string }): Promise<LocationRecord | null> {
    const rows = await this.db.$queryRaw<LocationRecord[]>`
      INSERT INTO inventory.locations (tenant_id, code, name) VALUES (${tenantId}, ${code}, ${name})
      ON CONFLICT (tenant_id, code) DO NOTHING
      RETURNING id, tenant_id AS "tenantId", code, name`;
    return rows[0] ?? null;
  }
}
