import DataLoader from 'dataloader';
import type { Actor } from '@stockline/service';
import type { AnalyticsService, ItemAnalytics } from '../domain/analytics.service.ts';

export interface ItemAnalyticsKey {
  itemId: string;
  from: Date;
  to: Date;
}

export interface Loaders {
  /** Item.analytics for every item of a list in one query per distinct range. */
  itemAnalytics: DataLoader<ItemAnalyticsKey, ItemAnalytics, string>;
}

const rangeKey = (k: ItemAnalyticsKey) => `${k.from.toISOString()}/${k.to.toISOString()}`;

/** One set per request (never shared across tenants). */
export function createLoaders(analytics: AnalyticsService, actor: Actor): Loaders {
  return {
    itemAnalytics: new DataLoader<ItemAnalyticsKey, ItemAnalytics, string>(
      async (keys) => {
        const byRange = new Map<string, ItemAnalyticsKey[]>();
        for (const k of keys) byRange.set(rangeKey(k), [...(byRange.get(rangeKey(k)) ?? []), k]);
        const results = new Map<string, ItemAnalytics | Error>();
        await Promise.all(
          [...byRange.values()].map(async (group) => {
            const { from, to } = group[0];
            try {
              const figures = await analytics.itemAnalytics(actor, [...new Set(group.map((k) => k.itemId))], { from, to });
              for (const k of group) results.set(`${k.itemId}@${rangeKey(k)}`, figures.get(k.itemId)!);
            } catch (error) {
              for (const k of group) results.set(`${k.itemId}@${rangeKey(k)}`, error as Error);
            }
          }),
        );
        return keys.map((k) => results.get(`${k.itemId}@${rangeKey(k)}`)!);
      },
      { cacheKeyFn: (k) => `${k.itemId}@${rangeKey(k)}` },
    ),
  };
}
