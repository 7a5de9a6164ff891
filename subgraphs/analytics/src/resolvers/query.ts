import { Scope, requireScope } from '@stockline/auth';
import type { AnalyticsContext } from '../context.ts';
import type { Interval } from '../data/analytics-store.ts';

type Ctx = AnalyticsContext;
type Range = { from: Date; to: Date };
type Filters = { itemId?: string | null; categoryId?: string | null; locationId?: string | null };

const read = (ctx: Ctx) => requireScope(ctx.viewer, Scope.ReadAnalytics);

export const Query = {
  inventorySummary(_: unknown, args: { locationId?: string | null; categoryId?: string | null }, ctx: Ctx) {
    read(ctx);
    return ctx.services.analytics.inventorySummary(ctx.actor, args);
  },

  inventoryTimeseries(_: unknown, args: Range & Filters & { interval: Interval }, ctx: Ctx) {
    read(ctx);
    return ctx.services.analytics.inventoryTimeseries(ctx.actor, args);
  },

  topMovers(_: unknown, args: Range & { limit?: number | null }, ctx: Ctx) {
    read(ctx);
    return ctx.services.analytics.topMovers(ctx.actor, args);
  },

  abcClassification(_: unknown, args: Range & { locationId?: string | null }, ctx: Ctx) {
    read(ctx);
    return ctx.services.analytics.abcClassification(ctx.actor, args);
  },

  deadStock(_: unknown, args: { days?: number | null; locationId?: string | null; limit?: number | null }, ctx: Ctx) {
    read(ctx);
    return ctx.services.analytics.deadStock(ctx.actor, args);
  },

  stockTurnover(_: unknown, args: Range & { categoryId?: string | null; locationId?: string | null }, ctx: Ctx) {
    read(ctx);
    return ctx.services.analytics.stockTurnover(ctx.actor, args);
  },

  async analyticsLag(_: unknown, __: unknown, ctx: Ctx) {
    read(ctx);
    const lag = await ctx.services.feed.lag();
    return { position: lag.position, lastEventAt: lag.lastEventAt, eventsBehind: lag.stopped ? null : lag.eventsBehind };
  },
};
