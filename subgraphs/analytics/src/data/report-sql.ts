import { VARCHAR } from '@duckdb/node-api';
import { column, type Param } from './duckdb-params.ts';
import type { Interval, Range } from './analytics-store.ts';

/** A statement with its named parameters ($name), built only from validated arguments. */
export interface Statement {
  sql: string;
  params: Record<string, Param>;
}

/** date_trunc unit and step of each interval (fixed strings: never user text in SQL). */
const BUCKET: Record<Interval, { unit: string; step: string }> = {
  DAY: { unit: 'day', step: 'INTERVAL 1 DAY' },
  WEEK: { unit: 'week', step: 'INTERVAL 7 DAY' },
  MONTH: { unit: 'month', step: 'INTERVAL 1 MONTH' },
};

/**
 * The fact's measures from its reason and delta, computed once at ingest: received (RECEIVED), shipped
 * (SHIPPED, positive), adjusted (every other on-hand change), so onHand(t) = onHand(t-1) + received - shipped + adjusted.
 */
export const RECEIVED_OF = `CASE WHEN reason = 'RECEIVED' THEN on_hand_delta ELSE 0 END`;
export const SHIPPED_OF = `CASE WHEN reason = 'SHIPPED' THEN -on_hand_delta ELSE 0 END`;
export const ADJUSTED_OF = `CASE WHEN reason NOT IN ('RECEIVED', 'SHIPPED') THEN on_hand_delta ELSE 0 END`;

const iso = (d: Date) => d.toISOString();

interface Scope {
  tenantId: string;
  itemId?: string | null;
  categoryId?: string | null;
  locationId?: string | null;
}

/** WHERE conditions of a tenant's facts (alias-free) narrowed by the filters that were given. */
function scopeConditions(scope: Scope, params: Statement['params']): string[] {
  const where = ['tenant_id = $tenant'];
  params.tenant = scope.tenantId;
  if (scope.itemId) {
    where.push('item_id = $item');
    params.item = scope.itemId;
  }
  if (scope.locationId) {
    where.push('location_id = $location');
    params.location = scope.locationId;
  }
  if (scope.categoryId) {
    where.push('item_id IN (SELECT item_id FROM dim_item WHERE tenant_id = $tenant AND category_id = $category)');
    params.category = scope.categoryId;
  }
  return where;
}

/**
 * One row per bucket touching [from, to): movements summed per bucket, and the closing onHand,
 * carried forward through buckets without movement. Computed backwards from the level snapshot:
 * onHand at `to` = today's levels - every delta since `to`; each bucket closes at that minus the
 * deltas of the buckets after it. So only facts since `from` are read (recent row groups, pruned by
 * their time zone maps) — never the whole history before the range. One scan, one aggregate.
 */
export function timeseriesSql(q: Scope & Range & { interval: Interval }): Statement {
  const params: Statement['params'] = { from: iso(q.from), to: iso(q.to) };
  const where = scopeConditions(q, params).join(' AND ');
  const { unit, step } = BUCKET[q.interval];
  const sql = `
    WITH moves AS (
      SELECT CASE WHEN occurred_at >= $to::TIMESTAMP THEN NULL ELSE date_trunc('${unit}', occurred_at) END AS bucket,
             sum(received) AS received, sum(shipped) AS shipped, sum(adjusted) AS adjusted, sum(on_hand_delta) AS net
      FROM fact_stock_movement WHERE ${where} AND occurred_at >= $from::TIMESTAMP
      GROUP BY 1
    ),
    closing AS (
      SELECT (SELECT coalesce(sum(on_hand), 0) FROM stock_level_current WHERE ${where})
           - coalesce((SELECT net FROM moves WHERE bucket IS NULL), 0) AS v
    ),
    buckets AS (
      SELECT unnest(generate_series(date_trunc('${unit}', $from::TIMESTAMP), date_trunc('${unit}', $to::TIMESTAMP - INTERVAL 1 MICROSECOND), ${step})) AS bucket
    )
    SELECT epoch_ms(b.bucket) AS at_ms,
           ((SELECT v FROM closing)
             - coalesce(sum(coalesce(m.net, 0)) OVER (ORDER BY b.bucket ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING), 0))::BIGINT AS on_hand,
           coalesce(m.received, 0)::BIGINT AS received, coalesce(m.shipped, 0)::BIGINT AS shipped, coalesce(m.adjusted, 0)::BIGINT AS adjusted
    FROM buckets b LEFT JOIN moves m ON m.bucket = b.bucket
    ORDER BY b.bucket`;
  return { sql, params };
}

/**
 * The tenant's items now: every catalog item not archived (in the category), or with `locationId` those
 * holding a level there; on hand, reserved, out of stock (nothing available) and below a reorder point.
 */
export function summarySql(q: Scope): Statement {
  const params: Statement['params'] = { tenant: q.tenantId };
  const items = ['tenant_id = $tenant', 'NOT archived'];
  if (q.categoryId) {
    items.push('category_id = $category');
    params.category = q.categoryId;
  }
  const levels = ['tenant_id = $tenant'];
  if (q.locationId) {
    levels.push('location_id = $location');
    params.location = q.locationId;
  }
  const sql = `
    WITH per_item AS (
      SELECT i.item_id, count(l.item_id) AS levels, coalesce(sum(l.on_hand), 0) AS on_hand, coalesce(sum(l.reserved), 0) AS reserved,
             coalesce(bool_or(l.reorder_point IS NOT NULL AND l.on_hand - l.reserved < l.reorder_point), false) AS below
      FROM (SELECT item_id FROM dim_item WHERE ${items.join(' AND ')}) i
      LEFT JOIN (SELECT * FROM stock_level_current WHERE ${levels.join(' AND ')}) l ON l.item_id = i.item_id
      GROUP BY i.item_id
      ${q.locationId ? 'HAVING count(l.item_id) > 0' : ''}
    )
    SELECT count(*)::BIGINT AS item_count, coalesce(sum(on_hand), 0)::BIGINT AS units_on_hand, coalesce(sum(reserved), 0)::BIGINT AS units_reserved,
           count(*) FILTER (WHERE on_hand - reserved <= 0)::BIGINT AS out_of_stock, count(*) FILTER (WHERE below)::BIGINT AS below_reorder_point
    FROM per_item`;
  return { sql, params };
}

/** Units shipped and received per item in [from, to), most shipped first; items that did neither are left out. */
export function movementStatsSql(q: Range & { tenantId: string; limit?: number; itemIds?: string[] }): Statement {
  const params: Statement['params'] = { tenant: q.tenantId, from: iso(q.from), to: iso(q.to) };
  const where = [`tenant_id = $tenant`, `occurred_at >= $from::TIMESTAMP`, `occurred_at < $to::TIMESTAMP`, `reason IN ('SHIPPED', 'RECEIVED')`];
  if (q.itemIds) {
    where.push(`list_contains($items::VARCHAR[], item_id)`);
    params.items = column(q.itemIds, VARCHAR);
  }
  if (q.limit !== undefined) params.limit = q.limit;
  const sql = `
    SELECT item_id, sum(shipped)::BIGINT AS shipped, sum(received)::BIGINT AS received
    FROM fact_stock_movement WHERE ${where.join(' AND ')}
    GROUP BY item_id HAVING sum(shipped) <> 0 OR sum(received) <> 0
    ORDER BY shipped DESC, received DESC, item_id
    ${q.limit !== undefined ? 'LIMIT $limit' : ''}`;
  return { sql, params };
}

/**
 * Pareto classes by units shipped in [from, to): ranked by units, an item is A while the items before
 * it shipped under 80 % of the total, B under 95 %, C after (integer arithmetic: no rounding at the edges).
 */
export function abcSql(q: Range & { tenantId: string; locationId?: string | null }): Statement {
  const params: Statement['params'] = { tenant: q.tenantId, from: iso(q.from), to: iso(q.to) };
  const where = [`tenant_id = $tenant`, `occurred_at >= $from::TIMESTAMP`, `occurred_at < $to::TIMESTAMP`, `reason = 'SHIPPED'`];
  if (q.locationId) {
    where.push('location_id = $location');
    params.location = q.locationId;
  }
  const sql = `
    WITH shipped AS (
      SELECT item_id, sum(shipped)::BIGINT AS units FROM fact_stock_movement WHERE ${where.join(' AND ')}
      GROUP BY item_id HAVING sum(shipped) > 0
    ),
    ranked AS (
      SELECT item_id, units, sum(units) OVER () AS total,
             sum(units) OVER (ORDER BY units DESC, item_id ROWS UNBOUNDED PRECEDING) AS running
      FROM shipped
    )
    SELECT item_id, units AS units_shipped, units / total AS share, running / total AS cumulative_share,
           CASE WHEN (running - units) * 100 < total * 80 THEN 'A' WHEN (running - units) * 100 < total * 95 THEN 'B' ELSE 'C' END AS class
    FROM ranked ORDER BY units DESC, item_id`;
  return { sql, params };
}

/** Items (not archived) holding stock whose last movement is older than `days` days before `now`, oldest first. */
export function deadStockSql(q: { tenantId: string; now: Date; days: number; locationId?: string | null; limit: number }): Statement {
  const params: Statement['params'] = { tenant: q.tenantId, now: iso(q.now), days: q.days, limit: q.limit };
  const where = ['l.tenant_id = $tenant'];
  if (q.locationId) {
    where.push('l.location_id = $location');
    params.location = q.locationId;
  }
  const sql = `
    SELECT l.item_id, sum(l.on_hand)::BIGINT AS on_hand, epoch_ms(max(l.last_movement_at)) AS last_movement_ms,
           coalesce(floor((epoch_ms($now::TIMESTAMP) - epoch_ms(max(l.last_movement_at))) / 86400000), $days)::BIGINT AS days_without_movement
    FROM stock_level_current l
    JOIN dim_item i ON i.tenant_id = l.tenant_id AND i.item_id = l.item_id AND NOT i.archived
    WHERE ${where.join(' AND ')}
    GROUP BY l.item_id
    HAVING sum(l.on_hand) > 0
       AND (max(l.last_movement_at) IS NULL OR max(l.last_movement_at) <= $now::TIMESTAMP - to_days($days::INTEGER))
    ORDER BY max(l.last_movement_at) NULLS FIRST, l.item_id
    LIMIT $limit`;
  return { sql, params };
}

/** Available (onHand - reserved) now per item, summed over its locations. */
export function availableSql(q: { tenantId: string; itemIds: string[] }): Statement {
  return {
    sql: `SELECT item_id, sum(on_hand - reserved)::BIGINT AS available FROM stock_level_current
          WHERE tenant_id = $tenant AND list_contains($items::VARCHAR[], item_id) GROUP BY item_id`,
    params: { tenant: q.tenantId, items: column(q.itemIds, VARCHAR) },
  };
}
