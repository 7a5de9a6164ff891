import type { ApolloServerPlugin } from '@apollo/server';
import type { Express } from 'express';
import type { ServiceMetrics } from './service-metrics.ts';

/** Distinct operation names kept as labels; later ones count as "other" (clients choose names). */
export const MAX_OPERATION_LABELS = 200;

/**
 * Apollo plugin: counts every operation by name and outcome, its latency, and each error's code.
 * A few label lookups and one histogram observation per request.
 */
export function useMetrics<C>(metrics: ServiceMetrics): ApolloServerPlugin<C & object> {
  const names = new Set<string>();
  const label = (name: string | null | undefined) => {
    if (!name) return 'anonymous';
    if (names.has(name)) return name;
    if (names.size >= MAX_OPERATION_LABELS || !/^\w{1,64}$/.test(name)) return 'other';
    names.add(name);
    return name;
  };
  return {
    async requestDidStart() {
      const started = performance.now();
      return {
        async willSendResponse({ operationName, errors, response }) {
          const operation = label(operationName);
          const body = response.body;
          const sent = errors ?? (body?.kind === 'single' ? body.singleResult.errors : undefined);
          metrics.requests.inc({ operation, outcome: sent?.length ? 'error' : 'ok' });
          metrics.duration.observe({ operation }, (performance.now() - started) / 1000);
          for (const error of sent ?? []) metrics.errors.inc({ code: String(error.extensions?.code ?? 'INTERNAL_SERVER_ERROR') });
        },
      };
    },
  };
}

/** GET /metrics in Prometheus's text format. Meant for the internal network (Prometheus, the monitor). */
export function serveMetrics(app: Express, metrics: ServiceMetrics): void {
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
}
