import type { ReservationRecord, ReservationStatus } from '../domain/records.ts';
import { empty, join, sql, type Sql, type SqlFragment } from './sql.ts';

export type NewReservation = Pick<ReservationRecord, 'id' | 'itemId' | 'locationId' | 'quantity' | 'reference' | 'expiresAt'>;

const COLUMNS = sql`r.id, r.tenant_id AS "tenantId", r.item_id AS "itemId", r.location_id AS "locationId", r.quantity,
  r.consumed_quantity AS "consumedQuantity", r.reference, r.status::text AS status, r.expires_at AS "expiresAt", r.created_at AS "createdAt"`;

export class ReservationRepository {
  constructor(private readonly db: Sql) {}

  /**
   * The insert of `rows` (ACTIVE, created at `at`) as a CTE for the ledger's statement (StockLedger.commit's
   * `also`), and the records it writes.
   */
  insertStatement({ tenantId, rows, at }: { tenantId: string; rows: NewReservation[]; at: Date }): { statement: SqlFragment; records: ReservationRecord[] } {
    const statement = sql`rs AS (
      INSERT INTO inventory.reservations (id, tenant_id, item_id, location_id, quantity, reference, expires_at, created_at, updated_at)
      SELECT u.id, ${tenantId}, u.item_id, u.location_id, u.quantity, u.reference, u.expires_at, ${at}::timestamptz, ${at}::timestamptz
      FROM unnest(${rows.map((r) => r.id)}::uuid[], ${rows.map((r) => r.itemId)}::uuid[], ${rows.map((r) => r.locationId)}::uuid[], ${rows.map((r) => r.quantity)}::int[],
                  ${rows.map((r) => r.reference)}::text[], ${rows.map((r) => r.expiresAt)}::timestamptz[])
           WITH ORDINALITY AS u(id, item_id, location_id, quantity, reference, expires_at, ord)
      ORDER BY u.ord)`;
    const records = rows.map(({ id, itemId, locationId, quantity, reference, expiresAt }): ReservationRecord => ({
      id, tenantId, itemId, locationId, quantity, consumedQuantity: 0, reference, status: 'ACTIVE', expiresAt, createdAt: at,
    }));
    return { statement, records };
  }

  /** The update of locked reservations' status and consumed quantity as a CTE for the ledger's statement. */
  updateStatement({ tenantId, rows, at }: { tenantId: string; rows: Pick<ReservationRecord, 'id' | 'status' | 'consumedQuantity'>[]; at: Date }): SqlFragment {
    return sql`ru AS (
      UPDATE inventory.reservations r SET status = u.status::inventory."ReservationStatus", consumed_quantity = u.consumed, updated_at = ${at}::timestamptz
      FROM unnest(${rows.map((r) => r.id)}::uuid[], ${rows.map((r) => r.status)}::text[], ${rows.map((r) => r.consumedQuantity)}::int[])
           AS u(id, status, consumed)
      WHERE r.tenant_id = ${tenantId} AND r.id = u.id)`;
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
}

export type { ReservationStatus };
