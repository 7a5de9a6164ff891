import type { ReservationRecord, ReservationStatus } from '../domain/records.ts';
import { empty, join, sql, type Sql, type SqlFragment } from './sql.ts';

export type NewReservation = Pick<ReservationRecord, 'id' | 'itemId' | 'locationId' | 'quantity' | 'reference' | 'expiresAt'>;

const COLUMNS = sql`r.id, r.tenant_id AS "tenantId", r.item_id AS "itemId", r.location_id AS "locationId", r.quantity,
  r.consumed_quantity AS "consumedQuantity", r.reference, r.status::text AS status, r.expires_at AS "expiresAt", r.created_at AS "createdAt"`;

export class ReservationRepository {
  constructor(private readonly db: Sql) {}

  insert({ tenantId, rows }: { tenantId: string; rows: NewReservation[] }, tx: Sql = this.db): Promise<ReservationRecord[]> {
    if (rows.length === 0) return Promise.resolve([]);
    return tx.$queryRaw<ReservationRecord[]>`
      INSERT INTO inventory.reservations AS r (id, tenant_id, item_id, location_id, quantity, reference, expires_at)
      SELECT u.id, ${tenantId}, u.item_id, u.location_id, u.quantity, u.reference, u.expires_at
      FROM unnest(${rows.map((r) => r.id)}::uuid[], ${rows.map((r) => r.itemId)}::uuid[], ${rows.map((r) => r.locationId)}::uuid[], ${rows.map((r) => r.quantity)}::int[],
                  ${rows.map((r) => r.reference)}::text[], ${rows.map((r) => r.expiresAt)}::timestamptz[])
           WITH ORDINALITY AS u(id, item_id, location_id, quantity, reference, expires_at, ord)
      ORDER BY u.ord
      RETURNING ${COLUMNS}`;
  }

  findByIds({ tenantId, ids }: { tenantId: string; ids: readonly string[] }, tx: Sql = this.db): Promise<ReservationRecord[]> {
    return tx.$queryRaw<ReservationRecord[]>`
      SELECT ${COLUMNS} FROM inventory.reservations r WHERE r.tenant_id = ${tenantId} AND r.id = ANY(${[...ids]}::uuid[])`;
  }

  /** Locks reservations by id (in id order) until the transaction ends. */
  lock({ tenantId, ids }: { tenantId: string; ids: string[] }, tx: Sql = this.db): Promise<ReservationRecord[]> {
    return tx.$queryRaw<ReservationRecord[]>`
      SELECT ${COLUMNS} FROM inventory.reservations r WHERE r.tenant_id = ${tenantId} AND r.id = ANY(${ids}::uuid[])
      ORDER BY r.id FOR UPDATE`;
  }

  /** Expired active holds of any tenant, locked; rows another sweeper holds are skipped. */
  lockExpired({ limit }: { limit: number }, tx: Sql = this.db): Promise<ReservationRecord[]> {
    return tx.$queryRaw<ReservationRecord[]>`
      SELECT ${COLUMNS} FROM inventory.reservations r
      WHERE r.status = 'ACTIVE' AND r.expires_at IS NOT NULL AND r.expires_at <= now()
      ORDER BY r.expires_at LIMIT ${limit} FOR UPDATE SKIP LOCKED`;
  }

  async update({ tenantId, rows }: { tenantId: string; rows: Pick<ReservationRecord, 'id' | 'status' | 'consumedQuantity'>[] }, tx: Sql = this.db): Promise<void> {
    if (rows.length === 0) return;
    await tx.$executeRaw`
      UPDATE inventory.reservations r SET status = u.status::inventory."ReservationStatus", consumed_quantity = u.consumed, updated_at = now()
      FROM unnest(${rows.map((r) => r.id)}::uuid[], ${rows.map((r) => r.status)}::text[], ${rows.map((r) => r.consumedQuantity)}::int[])
           AS u(id, status, consumed)
      WHERE r.tenant_id = ${tenantId} AND r.id = u.id`;
  }
}

export type { ReservationStatus };
