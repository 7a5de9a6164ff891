export { createLogger, type Logger } from './create-logger.ts';
export { REQUEST_ID_HEADER, requestIdFrom } from './request-id.ts';
export { useRequestLogging } from './use-request-logging.ts';
export { createServiceMetrics, metricsFor, LATENCY_BUCKETS, type ServiceMetrics } from './service-metrics.ts';
export { useMetrics, serveMetrics, MAX_OPERATION_LABELS } from './use-metrics.ts';
export { observeSubgraphFetches } from './observe-subgraph-fetches.ts';
export { startTracing, tracingEnabled } from './start-tracing.ts';
export { traceRequests } from './use-tracing.ts';
