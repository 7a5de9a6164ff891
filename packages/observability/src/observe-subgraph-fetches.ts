import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { ServiceMetrics } from './service-metrics.ts';

interface UndiciRequest {
  origin: string;
  path: string;
}

/**
 * Times every fetch to a subgraph's /graphql (matched by origin) through undici's diagnostics
 * channels — Node's fetch publishes them — so no data source needs to know about metrics.
 * Returns a function that stops observing.
 */
export function observeSubgraphFetches(metrics: ServiceMetrics, subgraphUrls: Record<string, string>): () => void {
  const byOrigin = new Map(Object.entries(subgraphUrls).map(([name, url]) => [new URL(url).origin, name]));
  const started = new WeakMap<object, { subgraph: string; at: number }>();
  const onCreate = (message: unknown) => {
    const { request } = message as { request: UndiciRequest };
    const subgraph = byOrigin.get(request.origin);
    if (subgraph && request.path.startsWith('/graphql')) started.set(request, { subgraph, at: performance.now() });
  };
  const onHeaders = (message: unknown) => {
    const { request, response } = message as { request: object; response: { statusCode: number } };
    const entry = started.get(request);
    if (!entry) return;
    started.delete(request);
    metrics.subgraphFetchDuration.observe({ subgraph: entry.subgraph }, (performance.now() - entry.at) / 1000);
    if (response.statusCode >= 500) metrics.subgraphFetchErrors.inc({ subgraph: entry.subgraph });
  };
  const onError = (message: unknown) => {
    const { request } = message as { request: object };
    const entry = started.get(request);
    if (!entry) return;
    started.delete(request);
    metrics.subgraphFetchErrors.inc({ subgraph: entry.subgraph });
  };
  subscribe('undici:request:create', onCreate);
  subscribe('undici:request:headers', onHeaders);
  subscribe('undici:request:error', onError);
  return () => {
    unsubscribe('undici:request:create', onCreate);
    unsubscribe('undici:request:headers', onHeaders);
    unsubscribe('undici:request:error', onError);
  };
}
