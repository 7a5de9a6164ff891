import type { Actor, BaseContext } from '@stockline/service';
import type { AnalyticsFeed } from './domain/analytics-feed.ts';
import type { AnalyticsService } from './domain/analytics.service.ts';
import { createLoaders, type Loaders } from './loaders/create-loaders.ts';

export interface AnalyticsServices {
  analytics: AnalyticsService;
  feed: AnalyticsFeed;
}

export interface AnalyticsContext extends BaseContext {
  actor: Actor;
  services: AnalyticsServices;
  loaders: Loaders;
}

export function buildAnalyticsContext(base: BaseContext, services: AnalyticsServices): AnalyticsContext {
  const actor = { tenantId: base.viewer.tenantId, userId: base.viewer.userId };
  return { ...base, actor, services, loaders: createLoaders(services.analytics, actor) };
}
