import { BadUserInputError } from '@stockline/errors';
import type { Actor } from '@stockline/service';
import type { AnalyticsStore, Interval } from '../data/analytics-store.ts';
import type { AnalyticsService } from './analytics.service.ts';
import { boundedInt, reportRange } from './report-range.ts';

export type Cell = string | number | null;
export type ReportName = (typeof REPORTS)[number];

/** The reports the CSV export serves, by URL name. */
export const REPORTS = ['inventory-summary', 'inventory-timeseries', 'top-movers', 'abc-classification', 'dead-stock', 'stock-turnover'] as const;

export interface ReportExport {
  columns: string[];
  /** Rows a chunk at a time; per-item reports stream from the store, the others are small. */
  chunks: AsyncIterable<Cell[][]>;
}

type Params = Record<string, string | undefined>;
const INTERVALS = new Set(['DAY', 'WEEK', 'MONTH']);

function date(params: Params, name: string): Date {
  const raw = params[name];
  const value = raw ? new Date(raw) : null;
  if (!value || Number.isNaN(value.getTime())) throw new BadUserInputError(`"${name}" must be an ISO-8601 date-time; got ${JSON.stringify(raw ?? null)}`, name);
  return value;
}

function int(params: Params, name: string): number | null {
  const raw = params[name];
  if (raw === undefined || raw === '') return null;
  const value = Number(raw);
  if (!Number.isInteger(value)) throw new BadUserInputError(`"${name}" must be an integer; got ${JSON.stringify(raw)}`, name);
  return value;
}

const optional = (params: Params, name: string) => (params[name] ? params[name] : null);
const iso = (d: Date | null) => (d ? d.toISOString() : null);

async function* once(rows: Cell[][]): AsyncIterable<Cell[][]> {
  yield rows;
}

/**
 * Every report as CSV rows, from the same domain calls as the GraphQL fields (same checks, same
 * tenant scope); query-string arguments are named as in the schema. BAD_USER_INPUT before any row.
 */
export class ReportExporter {
  constructor(
    private readonly analytics: AnalyticsService,
    private readonly store: AnalyticsStore,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async exportReport(actor: Actor, report: string, params: Params): Promise<ReportExport> {
    switch (report as ReportName) {
      case 'inventory-summary': {
        const s = await this.analytics.inventorySummary(actor, { locationId: optional(params, 'locationId'), categoryId: optional(params, 'categoryId') });
        return {
          columns: ['item_count', 'units_on_hand', 'units_reserved', 'out_of_stock_count', 'below_reorder_point_count'],
          chunks: once([[s.itemCount, s.unitsOnHand, s.unitsReserved, s.outOfStockCount, s.belowReorderPointCount]]),
        };
      }
      case 'inventory-timeseries': {
        const interval = params.interval ?? 'DAY';
        if (!INTERVALS.has(interval)) throw new BadUserInputError(`"interval" must be DAY, WEEK or MONTH; got ${JSON.stringify(interval)}`, 'interval');
        const points = await this.analytics.inventoryTimeseries(actor, {
          from: date(params, 'from'),
          to: date(params, 'to'),
          interval: interval as Interval,
          itemId: optional(params, 'itemId'),
          categoryId: optional(params, 'categoryId'),
          locationId: optional(params, 'locationId'),
        });
        return { columns: ['at', 'on_hand', 'received', 'shipped', 'adjusted'], chunks: once(points.map((p) => [iso(p.at), p.onHand, p.received, p.shipped, p.adjusted])) };
      }
      case 'top-movers': {
        const movers = await this.analytics.topMovers(actor, { from: date(params, 'from'), to: date(params, 'to'), limit: int(params, 'limit') });
        const labels = await this.store.itemLabels({ tenantId: actor.tenantId, itemIds: movers.map((m) => m.itemId) });
        return {
          columns: ['item_id', 'sku', 'name', 'units_shipped', 'units_received'],
          chunks: once(movers.map((m) => [m.itemId, labels.get(m.itemId)?.sku ?? null, labels.get(m.itemId)?.name ?? null, m.unitsShipped, m.unitsReceived])),
        };
      }
      case 'abc-classification': {
        const range = reportRange({ from: date(params, 'from'), to: date(params, 'to') });
        const query = { tenantId: actor.tenantId, ...range, locationId: optional(params, 'locationId') };
        return {
          columns: ['item_id', 'sku', 'name', 'class', 'units_shipped', 'share', 'cumulative_share'],
          chunks: this.rows(this.store.streamReport({ report: 'abc-classification', query })),
        };
      }
      case 'dead-stock': {
        const days = boundedInt(int(params, 'days'), { name: 'days', min: 1, max: 3650, fallback: 90 });
        const limit = boundedInt(int(params, 'limit'), { name: 'limit', min: 1, max: 1_000_000, fallback: 1_000_000 });
        const query = { tenantId: actor.tenantId, now: this.now(), days, limit, locationId: optional(params, 'locationId') };
        return {
          columns: ['item_id', 'sku', 'name', 'on_hand', 'last_movement_at', 'days_without_movement'],
          chunks: this.rows(this.store.streamReport({ report: 'dead-stock', query })),
        };
      }
      case 'stock-turnover': {
        const t = await this.analytics.stockTurnover(actor, {
          from: date(params, 'from'),
          to: date(params, 'to'),
          categoryId: optional(params, 'categoryId'),
          locationId: optional(params, 'locationId'),
        });
        return { columns: ['units_shipped', 'average_on_hand', 'turnover', 'days_of_inventory'], chunks: once([[t.unitsShipped, t.averageOnHand, t.turnover, t.daysOfInventory]]) };
      }
      default:
        throw new BadUserInputError(`Unknown report "${report}"; one of ${REPORTS.join(', ')}`, 'report');
    }
  }

  private async *rows(records: AsyncIterable<Record<string, Cell>[]>): AsyncIterable<Cell[][]> {
    for await (const chunk of records) yield chunk.map((record) => Object.values(record));
  }
}
