import { z } from '@stockline/config';

/** Gateway variables of the monitor and its alerts (spread into the gateway's config schema). */
export const monitorEnv = {
  MONITOR_ENABLED: z.stringbool().default(true),
  MONITOR_INTERVAL_MS: z.coerce.number().int().min(100).default(5_000),
  /** Consecutive failed /readyz checks after which a service is down. */
  MONITOR_MISSES_DOWN: z.coerce.number().int().min(1).default(3),
  ALERT_WEBHOOK_URL: z.string().url('must be an http(s):// URL').optional(),
  /** Server errors (INTERNAL_SERVER_ERROR, SERVICE_UNAVAILABLE) / requests over the last minute. */
  ALERT_ERROR_RATIO: z.coerce.number().min(0).max(1).default(0.05),
  ALERT_P99_MS: z.coerce.number().int().min(1).default(2_000),
  ALERT_CONSUMER_LAG: z.coerce.number().int().min(1).default(1_000),
  /** WebSocket clients dropped for a missed heartbeat, per minute. */
  ALERT_WS_HEARTBEAT_FAILURES: z.coerce.number().int().min(1).default(10),
  /** OpenTelemetry collector (OTLP/HTTP); spans are exported when set. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.string().url('must be an http(s):// URL').optional(),
};

type MonitorEnv = z.output<z.ZodObject<typeof monitorEnv>>;

/** The camelCase settings of `monitorEnv`. */
export function monitorConfig(env: MonitorEnv) {
  return {
    enabled: env.MONITOR_ENABLED,
    intervalMs: env.MONITOR_INTERVAL_MS,
    missesDown: env.MONITOR_MISSES_DOWN,
    webhookUrl: env.ALERT_WEBHOOK_URL ?? null,
    otlpEndpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT ?? null,
    thresholds: {
      errorRatio: env.ALERT_ERROR_RATIO,
      p99Ms: env.ALERT_P99_MS,
      consumerLag: env.ALERT_CONSUMER_LAG,
      wsHeartbeatFailures: env.ALERT_WS_HEARTBEAT_FAILURES,
    },
  };
}

export type MonitorConfig = ReturnType<typeof monitorConfig>;
export type AlertThresholds = MonitorConfig['thresholds'];
