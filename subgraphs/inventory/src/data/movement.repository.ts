import type { MovementReason, MovementRecord } from '../domain/records.ts';
import { empty, join, sql, type Sql, type SqlFragment } from './sql.ts';

export type NewMovement = Omit<MovementRecord, 'id' | 'tenantId' | 'occurredAt'>;

export interface MovementFilter {
  itemId?: string | null;
  locationId?: string | null;
  reason?: MovementReason | null;
}

const COLUMNS = sql`m.id::text AS id, m.tenant_id AS "tenantId", m.item_id AS "itemId", m.location_id AS "locationId",
  m.reason::text AS reason, m.on_hand_delta AS "onHandDelta", m.reserved_delta AS "reservedDelta", m.on_hand_after AS "onHandAfter",
  m.reserved_after AS "reservedAfter", m.reference, m.reservation_id AS "reservationId", m.actor_id AS "actorId", m.occurred_at AS "occurredAt"`;

export class MovementRepository {
  constructor(private readonly db: Sql) {}

  /** A page of the ledger, newest first, with one extra row. */
  list({ tenantId, filter, beforeId, limit }: { tenantId: string; filter: MovementFilter; beforeId: string | null; limit: number }, tx: Sql = this.db) {
    return tx.$queryRaw<MovementRecord[]>`
      SELECT ${COLUMNS} FROM inventory.stock_movements m
      WHERE ${this.where(tenantId, filter)} ${beforeId === null ? empty : sql`AND m.id < ${beforeId}::bigint`}
      ORDER BY m.id DESC LIMIT ${limit}`;
  }

  async count({ tenantId, filter }: { tenantId: string; filter: MovementFilter }, tx: Sql = this.db): Promise<number> {
    const [{ n }] = await tx.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM inventory.stock_movements m WHERE ${this.where(tenantId, filter)}`;
    return n;
  }

  findByIds({ tenantId, ids }: { tenantId: string; ids: string[] }, tx: Sql = this.db): Promise<MovementRecord[]> {
    return tx.$queryRaw<MovementRecord[]>`
      SELECT ${COLUMNS} FROM inventory.stock_movements m WHERE m.tenant_id = ${tenantId} AND m.id = ANY(${ids}::bigint[])`;
  }

  private where(tenantId: string, filter: MovementFilter): SqlFragment {
    const conditions = [sql`m.tenant_id = ${tenantId}`];
    if (filter.itemId) conditions.push(sql`m.item_id = ${filter.itemId}::uuid`);
    if (filter.locationId) conditions.push(sql`m.location_id = ${filter.locationId}::uuid`);
    if (filter.reason) conditions.push(sql`m.reason = ${filter.reason}::inventory."MovementReason"`);
    return join(conditions, ' AND ');
  }
}
