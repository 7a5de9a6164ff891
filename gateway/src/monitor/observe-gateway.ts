import type { ApolloServerPlugin } from '@apollo/server';
import type { Express } from 'express';
import type { Viewer } from '@stockline/auth';
import { metricsFor, observeSubgraphFetches, serveMetrics, startTracing, traceRequests, useMetrics, type Logger, type ServiceMetrics } from '@stockline/observability';
import { serveDashboard } from '../dashboard/serve-dashboard.ts';
import { serveAdminGraphql } from './admin-graphql.ts';
import { createMonitor, type Monitor } from './create-monitor.ts';
import type { MonitorConfig } from './monitor-env.ts';

export interface GatewayObservability {
  metrics: ServiceMetrics;
  monitor: Monitor;
  /** Counts every operation (add to Apollo's plugins). */
  plugin: ApolloServerPlugin<any>;
  /** For the rate limiter: counts a refusal. */
  onRateLimited(viewer: Viewer): void;
  start(): void;
  stop(): Promise<void>;
}

/**
 * Everything operators see of the gateway, mounted on its app: /metrics, tracing (when
 * OTEL_EXPORTER_OTLP_ENDPOINT is set), the subgraph fetch timings,
 * the monitor (heartbeats and alerts), /admin/graphql and the /dashboard page.
 */
export function observeGateway({ app, monitorConfig, logger, targets, authenticate }: {
  app: Express;
  monitorConfig: MonitorConfig;
  logger: Logger;
  /** name → base URL of every service to watch. */
  targets: Record<string, string>;
  authenticate: (authorization: string | undefined) => Promise<Viewer>;
}): GatewayObservability {
  const metrics = metricsFor('gateway');
  serveMetrics(app, metrics);
  const tracing = startTracing({ endpoint: monitorConfig.otlpEndpoint, serviceName: 'gateway' });
  // Mounted before /graphql's own handlers: every operation runs inside its span.
  app.use('/graphql', traceRequests('gateway'));
  const stopObservingFetches = observeSubgraphFetches(metrics, targets);
  const monitor = createMonitor({ targets, metrics, config: monitorConfig, logger });
  app.use('/admin/graphql', serveAdminGraphql({ monitor, authenticate }));
  app.use('/dashboard', serveDashboard());
  return {
    metrics,
    monitor,
    plugin: useMetrics(metrics),
    onRateLimited: (viewer) => metrics.rateLimited.inc({ tenant: viewer.tenantId }),
    start: () => monitor.start(),
    async stop() {
      stopObservingFetches();
      await monitor.stop();
      await tracing.shutdown();
    },
  };
}
