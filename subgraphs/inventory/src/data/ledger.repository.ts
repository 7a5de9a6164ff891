import type { Topic } from '@stockline/events';
import type { StockLevelRecord } from '../domain/records.ts';
import type { NewMovement } from './movement.repository.ts';
import { empty, join, sql, type Sql, type SqlFragment } from './sql.ts';

/** An outbox event; `movement` is the index of the ledger line whose id goes into the payload as `movementId`. */
export interface LedgerEvent {
  type: Topic;
  payload: Record<string, unknown>;
  movement: number | null;
}

export interface LedgerWrite {
  tenantId: string;
  /** The time stamped on the levels (updated_at), the ledger lines (occurred_at) and anything in `also`. */
  at: Date;
  /** Locked levels with their new quantities, and by how many changes each version goes up. */
  levels: StockLevelRecord[];
  increments: number[];
  movements: NewMovement[];
  events: LedgerEvent[];
  /** More data-modifying CTEs (`name AS (INSERT …)`) written by the same statement, e.g. reservations. */
  also?: SqlFragment[];
}

/**
 * Writes one transaction's stock changes in ONE statement: the levels' new quantities, the ledger lines and
 * the outbox events (and reservations, through `also`). The levels are locked by the caller, so this is the
 * only round trip, besides COMMIT, made while other writers of those levels wait. CHECK constraints still
 * guard every level.
 */
export class LedgerRepository {
  constructor(private readonly db: Sql) {}

  /** Returns the ledger lines' ids in the order given. */
  async write({ tenantId, at, levels, increments, movements, events, also = [] }: LedgerWrite, tx: Sql = this.db): Promise<string[]> {
    if (levels.length === 0 && movements.length === 0 && events.length === 0 && also.length === 0) return [];
    const col = <K extends keyof NewMovement>(key: K) => movements.map((m) => m[key]);
    const rows = await tx.$queryRaw<{ id: string }[]>`
      WITH lv AS (
        UPDATE inventory.stock_levels s
        SET on_hand = u.on_hand, reserved = u.reserved, reorder_point = u.reorder_point, version = s.version + u.changes, updated_at = ${at}::timestamptz
        FROM unnest(${levels.map((l) => l.itemId)}::uuid[], ${levels.map((l) => l.locationId)}::uuid[],
                    ${levels.map((l) => l.onHand)}::int[], ${levels.map((l) => l.reserved)}::int[],
                    ${levels.map((l) => l.reorderPoint)}::int[], ${increments}::int[]) AS u(item_id, location_id, on_hand, reserved, reorder_point, changes)
        WHERE s.tenant_id = ${tenantId} AND s.item_id = u.item_id AND s.location_id = u.location_id
        RETURNING 1
      ), mv AS (
        INSERT INTO inventory.stock_movements (tenant_id, item_id, location_id, reason, on_hand_delta, reserved_delta,
          on_hand_after, reserved_after, reference, reservation_id, actor_id, occurred_at)
        SELECT ${tenantId}, u.item_id, u.location_id, u.reason::inventory."MovementReason", u.on_hand_delta, u.reserved_delta,
          u.on_hand_after, u.reserved_after, u.reference, u.reservation_id, u.actor_id, ${at}::timestamptz
        FROM unnest(${col('itemId')}::uuid[], ${col('locationId')}::uuid[], ${col('reason')}::text[],
                    ${col('onHandDelta')}::int[], ${col('reservedDelta')}::int[], ${col('onHandAfter')}::int[],
                    ${col('reservedAfter')}::int[], ${col('reference')}::text[], ${col('reservationId')}::uuid[],
                    ${col('actorId')}::text[])
             WITH ORDINALITY AS u(item_id, location_id, reason, on_hand_delta, reserved_delta, on_hand_after, reserved_after,
                                  reference, reservation_id, actor_id, ord)
        ORDER BY u.ord
        RETURNING id
      ), mo AS (
        -- ids come from the sequence in insertion order, so their rank is the input's ordinal
        SELECT id, row_number() OVER (ORDER BY id) AS ord FROM mv
      ), ob AS (
        INSERT INTO inventory.outbox_events (tenant_id, type, payload)
        SELECT ${tenantId}, e.type, CASE WHEN mo.id IS NULL THEN e.payload ELSE e.payload || jsonb_build_object('movementId', mo.id::text) END
        FROM unnest(${events.map((e) => e.type)}::text[], ${events.map((e) => JSON.stringify(e.payload))}::jsonb[],
                    ${events.map((e) => (e.movement === null ? null : e.movement + 1))}::int[])
             WITH ORDINALITY AS e(type, payload, movement, ord)
        LEFT JOIN mo ON mo.ord = e.movement
        ORDER BY e.ord
      )${also.length ? sql`, ${join(also, ', ')}` : empty}
      SELECT id::text AS id FROM mo ORDER BY ord`;
    return rows.map((r) => r.id);
  }

  /**
   * adjustStock's common case as ONE statement, in its own implicit transaction: the level's UPDATE takes
   * the row lock, checks the invariants and `changeFromQuantity` on the latest committed row, and the ledger
   * line and outbox events are written with it; the lock is held for this statement's execution only.
   * Returns null (nothing written) when the level does not exist or the change is refused: the caller takes
   * the general path, which says why.
   */
  async adjustOne(
    { tenantId, itemId, locationId, delta, reason, reference, changeFromQuantity, actorId, at }: {
      tenantId: string; itemId: string; locationId: string; delta: number; reason: string; reference: string | null;
      changeFromQuantity: number | null; actorId: string; at: Date;
    },
    tx: Sql = this.db,
  ): Promise<{ onHand: number; reserved: number; reorderPoint: number | null; version: number; movementId: string } | null> {
    const iso = at.toISOString();
    const [row] = await tx.$queryRaw<{ onHand: number; reserved: number; reorderPoint: number | null; version: number; movementId: string }[]>`
      WITH up AS (
        UPDATE inventory.stock_levels s
        SET on_hand = s.on_hand + ${delta}::int, version = s.version + 1, updated_at = ${at}::timestamptz
        WHERE s.tenant_id = ${tenantId} AND s.item_id = ${itemId}::uuid AND s.location_id = ${locationId}::uuid
          AND s.on_hand + ${delta}::int >= 0 AND s.on_hand + ${delta}::int >= s.reserved
          AND (${changeFromQuantity}::int IS NULL OR s.on_hand = ${changeFromQuantity}::int)
        RETURNING s.on_hand, s.reserved, s.reorder_point, s.version
      ), mv AS (
        INSERT INTO inventory.stock_movements (tenant_id, item_id, location_id, reason, on_hand_delta, reserved_delta,
          on_hand_after, reserved_after, reference, reservation_id, actor_id, occurred_at)
        SELECT ${tenantId}, ${itemId}::uuid, ${locationId}::uuid, ${reason}::inventory."MovementReason", ${delta}::int, 0,
          up.on_hand, up.reserved, ${reference}::text, NULL, ${actorId}::text, ${at}::timestamptz
        FROM up
        RETURNING id
      ), ob AS (
        INSERT INTO inventory.outbox_events (tenant_id, type, payload)
        SELECT ${tenantId}, e.type, e.payload
        FROM up, mv, LATERAL (VALUES
          (1, 'StockChanged', jsonb_build_object(
            'movementId', mv.id::text, 'itemId', ${itemId}::text, 'locationId', ${locationId}::text, 'reason', ${reason}::text,
            'onHand', up.on_hand, 'reserved', up.reserved, 'available', up.on_hand - up.reserved,
            'onHandDelta', ${delta}::int, 'reservedDelta', 0, 'reorderPoint', up.reorder_point, 'reference', ${reference}::text,
            'reservationId', NULL::text, 'actorId', ${actorId}::text, 'occurredAt', ${iso}::text)),
          -- LowStock when available falls below the reorder point with this change (not on further falls)
          (2, 'LowStock', CASE WHEN up.reorder_point IS NOT NULL AND up.on_hand - up.reserved < up.reorder_point
                                AND NOT (up.on_hand - ${delta}::int - up.reserved < up.reorder_point)
            THEN jsonb_build_object('itemId', ${itemId}::text, 'locationId', ${locationId}::text, 'onHand', up.on_hand, 'reserved', up.reserved,
              'available', up.on_hand - up.reserved, 'reorderPoint', up.reorder_point, 'occurredAt', ${iso}::text) END)
        ) AS e(n, type, payload)
        WHERE e.payload IS NOT NULL
        ORDER BY e.n
      )
      SELECT up.on_hand AS "onHand", up.reserved, up.reorder_point AS "reorderPoint", up.version, mv.id::text AS "movementId"
      FROM up, mv`;
    return row ?? null;
  }
}
