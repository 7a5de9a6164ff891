import { runConsumer, type ConsumerHandle, type DomainEvent, type EventLog } from '@stockline/events';
import { metricsFor, type Logger } from '@stockline/observability';
import type { AnalyticsStore } from '../data/analytics-store.ts';
import { toIngestEvent } from './to-ingest-event.ts';

/** The stream analytics follows: every stock movement, catalog change and low-stock signal. */
export const FEED_STREAM = 'inventory';
/** The consumer's name: in the owner's logs, and the key of its checkpoint in the store. */
export const FEED_CONSUMER = 'analytics:inventory';

export interface FeedLag {
  /** Last log position applied. */
  position: number;
  /** Newest position the log has shown. */
  head: number;
  /** head - position. */
  eventsBehind: number;
  /** When the last applied event happened. */
  lastEventAt: Date | null;
  /** True once the consumer gave up (its cursor fell out of the log's retention: rebuild). */
  stopped: boolean;
}

/**
 * Keeps the analytics store fed from the inventory event log: a durable consumer (`runConsumer`)
 * that resumes from the checkpoint the store saves with each batch's facts (one DuckDB transaction),
 * so a crash at any point neither loses nor double-counts a movement.
 */
/** How often the lag gauge (stockline_event_consumer_lag, on analytics' /metrics) is refreshed. */
const LAG_GAUGE_INTERVAL_MS = 2_000;

export class AnalyticsFeed {
  private consumer: ConsumerHandle | null = null;
  private gauge: NodeJS.Timeout | null = null;

  constructor(
    private readonly options: { store: AnalyticsStore; log: EventLog; logger: Logger; batchSize?: number },
  ) {}

  /** Starts following the log; `caughtUp` resolves once every event that existed at start is applied. */
  start(): { caughtUp: Promise<void> } {
    const { store, log, logger, batchSize } = this.options;
    this.consumer = runConsumer({
      log,
      stream: FEED_STREAM,
      name: FEED_CONSUMER,
      batchSize,
      checkpoint: { load: () => store.loadCheckpoint(FEED_CONSUMER), save: (position) => store.saveCheckpoint(FEED_CONSUMER, position) },
      handle: async (batch: DomainEvent[]) => {
        const { applied, skipped } = await store.ingest(FEED_CONSUMER, batch.map(toIngestEvent));
        logger.debug({ applied, skipped, through: batch.at(-1)?.pos }, 'analytics batch applied');
      },
      onError: (err) => logger.warn({ err }, 'analytics feed: batch failed; retrying'),
      onFatal: (err) => logger.error({ err }, 'analytics feed stopped; run `npm run analytics:rebuild`'),
    });
    const consumer = this.consumer;
    this.gauge = setInterval(() => {
      metricsFor('analytics').consumerLag.set({ consumer: FEED_CONSUMER, stream: FEED_STREAM }, consumer.stats().lag);
    }, LAG_GAUGE_INTERVAL_MS);
    this.gauge.unref();
    return { caughtUp: this.consumer.caughtUp };
  }

  /** How far the store is behind the log (position and head as the consumer last saw them). */
  async lag(): Promise<FeedLag> {
    const { store } = this.options;
    const stats = this.consumer?.stats();
    const position = Math.max(stats?.position ?? 0, await store.loadCheckpoint(FEED_CONSUMER));
    const head = Math.max(stats?.head ?? 0, position);
    return { position, head, eventsBehind: head - position, lastEventAt: await store.lastEventAt(FEED_CONSUMER), stopped: stats?.stopped ?? false };
  }

  async stop(): Promise<void> {
    if (this.gauge) clearInterval(this.gauge);
    await this.consumer?.stop();
    this.consumer = null;
  }
}
