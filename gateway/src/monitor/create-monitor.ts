import type { Logger, ServiceMetrics } from '@stockline/observability';
import { AlertBook, type Alert } from './alert-book.ts';
import { createAlertNotifier } from './alert-notifier.ts';
import { evaluateRules } from './alert-rules.ts';
import { Heartbeats, type ServiceHealth } from './heartbeats.ts';
import { sampleMetrics, windowStats, type MetricSample } from './metric-window.ts';
import type { MonitorConfig } from './monitor-env.ts';
import { scrapeGauges } from './scrape-gauges.ts';

/** One point of the dashboard's charts. */
export interface SeriesPoint {
  at: string;
  requestRate: number;
  errorRatio: number;
  p99Ms: number | null;
  subscriptions: number;
  websocketConnections: number;
  consumerLag: number;
  servicesDown: number;
}

const WINDOW_MS = 60_000;
/** How long one /readyz or /metrics call may take (a busy service is slow, not down). */
const CHECK_TIMEOUT_MS = 2_000;
const SERIES_POINTS = 360;

export interface Monitor {
  start(): void;
  stop(): Promise<void>;
  /** One round now: heartbeats, gauges, rules, alerts (the timer calls it every interval). */
  tick(): Promise<void>;
  services(): ServiceHealth[];
  alerts(options?: { active?: boolean; limit?: number }): Alert[];
  series(): SeriesPoint[];
}

/**
 * The gateway's monitor: every `intervalMs` it checks each service's /readyz (3 misses → down),
 * reads the consumer-lag and low-stock gauges from each service's /metrics, samples the gateway's
 * own metrics (request rate, server-error ratio and p99 over the last minute, WebSocket heartbeat
 * failures), evaluates the alert rules and tells the notifier what fired or resolved.
 */
export function createMonitor({ targets, metrics, config, logger }: { targets: Record<string, string>; metrics: ServiceMetrics; config: MonitorConfig; logger: Logger }): Monitor {
  const heartbeats = new Heartbeats(targets, { missesDown: config.missesDown, timeoutMs: CHECK_TIMEOUT_MS });
  const book = new AlertBook();
  const notifier = createAlertNotifier({ logger, webhookUrl: config.webhookUrl });
  const samples: MetricSample[] = [];
  const points: SeriesPoint[] = [];
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | null = null;

  const tick = async () => {
    const [services, sample, gauges] = await Promise.all([
      heartbeats.check(),
      sampleMetrics(metrics),
      Promise.all(Object.entries(targets).map(async ([name, url]) => [name, await scrapeGauges(url, CHECK_TIMEOUT_MS)] as const)),
    ]);
    samples.push(sample);
    while (samples.length > 2 && sample.at - samples[1].at >= WINDOW_MS) samples.shift();
    const previous = samples.length > 1 ? samples.at(-2)! : null;
    const minute = samples.length > 1 ? windowStats(samples[0], sample) : null;
    const consumerLag: Record<string, number> = { ...sample.consumerLag };
    const lowStock: Record<string, number> = {};
    for (const [name, g] of gauges) {
      if (!g) continue;
      Object.assign(consumerLag, Object.fromEntries(Object.entries(g.consumerLag).map(([k, v]) => [`${name}:${k}`, v])));
      lowStock[name] = g.lowStockLevels;
    }
    for (const alert of book.update(evaluateRules({ services, window: minute, consumerLag, lowStock }, config.thresholds))) notifier.notify(alert);
    const recent = previous ? windowStats(previous, sample) : null;
    points.push({
      at: new Date(sample.at).toISOString(),
      requestRate: recent?.requestRate ?? 0,
      errorRatio: recent?.errorRatio ?? 0,
      p99Ms: recent?.p99Ms ?? null,
      subscriptions: sample.subscriptions,
      websocketConnections: sample.websocketConnections,
      consumerLag: Math.max(0, ...Object.values(consumerLag)),
      servicesDown: services.filter((s) => s.status === 'DOWN').length,
    });
    points.splice(0, Math.max(0, points.length - SERIES_POINTS));
  };

  const run = () => {
    running ??= tick()
      .catch((err) => logger.error({ err }, 'monitor round failed'))
      .finally(() => (running = null));
    return running;
  };

  return {
    start() {
      if (!config.enabled || timer) return;
      void run();
      timer = setInterval(run, config.intervalMs);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      timer = undefined;
      await running;
      await notifier.close();
    },
    tick: run,
    services: () => heartbeats.list(),
    alerts: (options) => book.list(options),
    series: () => points.map((p) => ({ ...p })),
  };
}
