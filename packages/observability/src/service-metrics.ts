import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Latency buckets in seconds: 5 ms … 10 s. */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * One service's Prometheus metrics, in a registry of its own (the all-in-one start runs several
 * services in one process; each port's /metrics shows its own), every series labelled `service`.
 * Names are shared by every service, so dashboards and alert rules work on any of them.
 */
export function createServiceMetrics(service: string) {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry, prefix: 'stockline_process_' });
  const registers = [registry];
  return {
    service,
    registry,
    requests: new Counter({ name: 'stockline_graphql_requests_total', help: 'GraphQL operations answered, by operation name and outcome (ok | error)', labelNames: ['operation', 'outcome'], registers }),
    duration: new Histogram({ name: 'stockline_graphql_request_duration_seconds', help: 'Time to answer one GraphQL operation', labelNames: ['operation'], buckets: LATENCY_BUCKETS, registers }),
    errors: new Counter({ name: 'stockline_graphql_errors_total', help: 'GraphQL errors sent, by extensions.code', labelNames: ['code'], registers }),
    subgraphFetchDuration: new Histogram({ name: 'stockline_subgraph_fetch_duration_seconds', help: 'Gateway → subgraph fetch time', labelNames: ['subgraph'], buckets: LATENCY_BUCKETS, registers }),
    subgraphFetchErrors: new Counter({ name: 'stockline_subgraph_fetch_errors_total', help: 'Gateway → subgraph fetches that failed (network error or HTTP status ≥ 500)', labelNames: ['subgraph'], registers }),
    websocketConnections: new Gauge({ name: 'stockline_websocket_connections', help: 'Open GraphQL WebSocket connections', registers }),
    subscriptions: new Gauge({ name: 'stockline_graphql_subscriptions_active', help: 'Active GraphQL subscriptions', registers }),
    websocketHeartbeatFailures: new Counter({ name: 'stockline_websocket_heartbeat_failures_total', help: 'WebSocket clients closed for missing a heartbeat (pong)', registers }),
    consumerLag: new Gauge({ name: 'stockline_event_consumer_lag', help: 'Events a consumer is behind the head of its stream', labelNames: ['consumer', 'stream'], registers }),
    sagaFailures: new Counter({ name: 'stockline_saga_failures_total', help: 'Saga steps that failed', labelNames: ['saga', 'step'], registers }),
    sagaCompensations: new Counter({ name: 'stockline_saga_compensations_total', help: 'Saga compensations run', labelNames: ['saga'], registers }),
    stockInvariantViolations: new Counter({ name: 'stockline_stock_invariant_violations_total', help: 'Stock invariants refused by the database (CHECK constraints); must stay 0', registers }),
    rateLimited: new Counter({ name: 'stockline_rate_limited_total', help: 'Requests refused with RATE_LIMITED, by tenant', labelNames: ['tenant'], registers }),
    lowStockLevels: new Gauge({ name: 'stockline_low_stock_levels', help: 'Stock levels whose available is below their reorder point', registers }),
  };
}

export type ServiceMetrics = ReturnType<typeof createServiceMetrics>;

const byService = new Map<string, ServiceMetrics>();

/**
 * The metrics of `service` in this process, made on first use. Any module may record into them
 * (`metricsFor('gateway').subscriptions.inc()`, `metricsFor('orders').sagaCompensations.inc({ saga })`);
 * the service's /metrics shows them.
 */
export function metricsFor(service: string): ServiceMetrics {
  let metrics = byService.get(service);
  if (!metrics) byService.set(service, (metrics = createServiceMetrics(service)));
  return metrics;
}
