import type { Actor } from '@stockline/service';
import type { AbcRow, AnalyticsStore, DeadStockRow, Interval, MovementStatRow, PointRow, SummaryRow } from '../data/analytics-store.ts';
import { DAY_MS, boundedInt, daysIn, reportRange } from './report-range.ts';

export interface ItemAnalytics {
  unitsShipped: number;
  unitsReceived: number;
  averageDailyShipped: number;
  daysOfCover: number | null;
  projectedStockoutAt: Date | null;
}

export interface StockTurnover {
  unitsShipped: number;
  averageOnHand: number;
  turnover: number | null;
  daysOfInventory: number | null;
}

type Filters = { itemId?: string | null; categoryId?: string | null; locationId?: string | null };

export const DEFAULT_TOP_MOVERS = 10;
export const MAX_TOP_MOVERS = 100;
export const DEFAULT_DEAD_STOCK_DAYS = 90;
export const MAX_DEAD_STOCK_LIMIT = 1_000;

/**
 * The reports an inventory manager opens every morning, scoped to the actor's tenant. Arguments are
 * checked here (BAD_USER_INPUT); figures come from the store; derived ones (cover, turnover) are computed here.
 */
export class AnalyticsService {
  constructor(
    private readonly store: AnalyticsStore,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async inventorySummary(actor: Actor, filters: { locationId?: string | null; categoryId?: string | null }): Promise<SummaryRow> {
    return this.store.summary({ tenantId: actor.tenantId, locationId: filters.locationId, categoryId: filters.categoryId });
  }

  async inventoryTimeseries(actor: Actor, args: { from: Date; to: Date; interval: Interval } & Filters): Promise<PointRow[]> {
    const range = reportRange(args);
    return this.store.timeseries({ tenantId: actor.tenantId, ...range, interval: args.interval, itemId: args.itemId, categoryId: args.categoryId, locationId: args.locationId });
  }

  async topMovers(actor: Actor, args: { from: Date; to: Date; limit?: number | null }): Promise<MovementStatRow[]> {
    const range = reportRange(args);
    const limit = boundedInt(args.limit, { name: 'limit', min: 1, max: MAX_TOP_MOVERS, fallback: DEFAULT_TOP_MOVERS });
    return this.store.movementStats({ tenantId: actor.tenantId, ...range, limit });
  }

  /**
   * Per item over [from, to): units shipped and received, average daily shipped, days of cover at that
   * pace from what is available now, and when it runs out. Unknown items get zeros.
   */
  async itemAnalytics(actor: Actor, itemIds: string[], args: { from: Date; to: Date }): Promise<Map<string, ItemAnalytics>> {
    const range = reportRange(args);
    const [stats, available] = await Promise.all([
      this.store.movementStats({ tenantId: actor.tenantId, ...range, itemIds }),
      this.store.availableNow({ tenantId: actor.tenantId, itemIds }),
    ]);
    const byItem = new Map(stats.map((s) => [s.itemId, s]));
    const now = this.now();
    return new Map(
      itemIds.map((id) => {
        const s = byItem.get(id);
        const unitsShipped = s?.unitsShipped ?? 0;
        const averageDailyShipped = unitsShipped / daysIn(range);
        const daysOfCover = averageDailyShipped > 0 ? Math.max(0, available.get(id) ?? 0) / averageDailyShipped : null;
        return [
          id,
          {
            unitsShipped,
            unitsReceived: s?.unitsReceived ?? 0,
            averageDailyShipped,
            daysOfCover,
            projectedStockoutAt: daysOfCover === null ? null : new Date(now.getTime() + Math.round(daysOfCover * DAY_MS)),
          },
        ];
      }),
    );
  }

  async abcClassification(actor: Actor, args: { from: Date; to: Date; locationId?: string | null }): Promise<AbcRow[]> {
    return this.store.abcClassification({ tenantId: actor.tenantId, ...reportRange(args), locationId: args.locationId });
  }

  async deadStock(actor: Actor, args: { days?: number | null; locationId?: string | null; limit?: number | null }): Promise<DeadStockRow[]> {
    const days = boundedInt(args.days, { name: 'days', min: 1, max: 3650, fallback: DEFAULT_DEAD_STOCK_DAYS });
    const limit = boundedInt(args.limit, { name: 'limit', min: 1, max: MAX_DEAD_STOCK_LIMIT, fallback: 100 });
    return this.store.deadStock({ tenantId: actor.tenantId, now: this.now(), days, locationId: args.locationId, limit });
  }

  /** Units shipped over the mean daily closing onHand of [from, to) (daily points of the time series). */
  async stockTurnover(actor: Actor, args: { from: Date; to: Date; categoryId?: string | null; locationId?: string | null }): Promise<StockTurnover> {
    const range = reportRange(args);
    const points = await this.store.timeseries({ tenantId: actor.tenantId, ...range, interval: 'DAY', categoryId: args.categoryId, locationId: args.locationId });
    const unitsShipped = points.reduce((sum, p) => sum + p.shipped, 0);
    const averageOnHand = points.length === 0 ? 0 : points.reduce((sum, p) => sum + p.onHand, 0) / points.length;
    const turnover = averageOnHand > 0 ? unitsShipped / averageOnHand : null;
    return { unitsShipped, averageOnHand, turnover, daysOfInventory: turnover ? daysIn(range) / turnover : null };
  }
}
