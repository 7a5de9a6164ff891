import type { Pool } from '@stockline/db';
import { metricsFor, type Logger } from '@stockline/observability';

export const DEFAULT_LOW_STOCK_INTERVAL_MS = 15_000;

/**
 * Keeps `stockline_low_stock_levels` (the monitor's and Prometheus' low-stock alert) at the number of
 * levels, of every tenant, whose available is below their reorder point: one indexed count every
 * `intervalMs`, off the request path. Returns the stop.
 */
export function trackLowStockLevels({ pool, logger, intervalMs = DEFAULT_LOW_STOCK_INTERVAL_MS }: { pool: Pool; logger: Logger; intervalMs?: number }): () => Promise<void> {
  const gauge = metricsFor('inventory').lowStockLevels;
  let running: Promise<void> | null = null;
  const measure = () => {
    running ??= pool
      .query<{ n: number }>(`SELECT count(*)::int AS n FROM inventory.stock_levels WHERE reorder_point IS NOT NULL AND on_hand - reserved < reorder_point`)
      .then(({ rows }) => gauge.set(rows[0].n))
      .catch((err) => logger.warn({ err }, 'could not count low-stock levels'))
      .finally(() => (running = null));
  };
  measure();
  const timer = setInterval(measure, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
