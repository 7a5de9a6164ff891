import type { ReportRequest } from './analytics-store.ts';
import { abcSql, deadStockSql, type Statement } from './report-sql.ts';

/** A per-item report's statement with CSV columns: the item's sku and name from the item dimension beside its figures. */
export function reportStatement(request: ReportRequest): Statement {
  if (request.report === 'abc-classification') {
    const inner = abcSql(request.query);
    return {
      sql: `SELECT r.item_id, i.sku, i.name, r.class, r.units_shipped, round(r.share, 6) AS share, round(r.cumulative_share, 6) AS cumulative_share
            FROM (${inner.sql}) r LEFT JOIN dim_item i ON i.tenant_id = $tenant AND i.item_id = r.item_id
            ORDER BY r.units_shipped DESC, r.item_id`,
      params: inner.params,
    };
  }
  const inner = deadStockSql(request.query);
  return {
    sql: `SELECT r.item_id, i.sku, i.name, r.on_hand, strftime(make_timestamp(r.last_movement_ms * 1000), '%Y-%m-%dT%H:%M:%S.%gZ') AS last_movement_at,
                 r.days_without_movement
          FROM (${inner.sql}) r LEFT JOIN dim_item i ON i.tenant_id = $tenant AND i.item_id = r.item_id
          ORDER BY r.last_movement_ms NULLS FIRST, r.item_id`,
    params: inner.params,
  };
}
