import type { ServiceMetrics } from '@stockline/observability';

/** Codes that mean the platform failed (the error ratio counts these, not refusals of bad requests). */
export const SERVER_ERROR_CODES = new Set(['INTERNAL_SERVER_ERROR', 'SERVICE_UNAVAILABLE']);

/** Cumulative counts read from the gateway's own metrics at one moment. */
export interface MetricSample {
  at: number;
  requests: number;
  serverErrors: number;
  wsHeartbeatFailures: number;
  /** Latency histogram: cumulative count per upper bound (seconds), summed over operations. */
  buckets: Map<number, number>;
  subscriptions: number;
  websocketConnections: number;
  consumerLag: Record<string, number>;
}

const sum = (values: { value: number }[]) => values.reduce((n, v) => n + v.value, 0);

/** Reads one sample; a few map lookups over the registry's current values. */
export async function sampleMetrics(metrics: ServiceMetrics, now = Date.now()): Promise<MetricSample> {
  const [requests, errors, duration, ws, subs, heartbeats, lag] = await Promise.all([
    metrics.requests.get(),
    metrics.errors.get(),
    metrics.duration.get(),
    metrics.websocketConnections.get(),
    metrics.subscriptions.get(),
    metrics.websocketHeartbeatFailures.get(),
    metrics.consumerLag.get(),
  ]);
  const buckets = new Map<number, number>();
  for (const v of duration.values) {
    if (v.metricName !== 'stockline_graphql_request_duration_seconds_bucket') continue;
    const bound = (v.labels as Record<string, string | number>).le;
    const le = bound === '+Inf' ? Number.POSITIVE_INFINITY : Number(bound);
    buckets.set(le, (buckets.get(le) ?? 0) + v.value);
  }
  return {
    at: now,
    requests: sum(requests.values),
    serverErrors: sum(errors.values.filter((v) => SERVER_ERROR_CODES.has(String(v.labels.code)))),
    wsHeartbeatFailures: sum(heartbeats.values),
    buckets,
    subscriptions: sum(subs.values),
    websocketConnections: sum(ws.values),
    consumerLag: Object.fromEntries(lag.values.map((v) => [`${v.labels.consumer ?? 'consumer'}/${v.labels.stream ?? ''}`, v.value])),
  };
}

/** What happened between two samples. */
export interface WindowStats {
  seconds: number;
  requests: number;
  requestRate: number;
  errorRatio: number;
  p99Ms: number | null;
  wsHeartbeatFailures: number;
}

/** Rates, error ratio and p99 (from histogram buckets, as Prometheus's histogram_quantile) between `from` and `to`. */
export function windowStats(from: MetricSample, to: MetricSample): WindowStats {
  const seconds = Math.max(0.001, (to.at - from.at) / 1000);
  const requests = to.requests - from.requests;
  const errors = to.serverErrors - from.serverErrors;
  let p99Ms: number | null = null;
  const bounds = [...to.buckets.keys()].sort((a, b) => a - b);
  const total = (to.buckets.get(Number.POSITIVE_INFINITY) ?? 0) - (from.buckets.get(Number.POSITIVE_INFINITY) ?? 0);
  if (total > 0) {
    const target = total * 0.99;
    for (const le of bounds) {
      if ((to.buckets.get(le) ?? 0) - (from.buckets.get(le) ?? 0) >= target) {
        p99Ms = Number.isFinite(le) ? le * 1000 : (bounds.at(-2) ?? 10) * 1000;
        break;
      }
    }
  }
  return {
    seconds,
    requests,
    requestRate: requests / seconds,
    errorRatio: requests > 0 ? errors / requests : 0,
    p99Ms,
    wsHeartbeatFailures: to.wsHeartbeatFailures - from.wsHeartbeatFailures,
  };
}
