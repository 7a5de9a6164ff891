/**
 * `npm run analytics:rebuild`: empties the analytics store and replays the inventory event log into
 * it from the first position, then exits. Run it with the analytics service stopped (DuckDB allows one
 * writing process per file). The log reaches back as far as its retention (OUTBOX_RETENTION_HOURS);
 * an older history cannot be replayed and the rebuild says so (CURSOR_EXPIRED).
 */
import { createEventLog, createPubSub } from '@stockline/events';
import { createLogger } from '@stockline/observability';
import { loadAnalyticsConfig } from './config.ts';
import { DuckDbAnalyticsStore } from './data/duckdb-analytics-store.ts';
import { AnalyticsFeed, FEED_STREAM } from './domain/analytics-feed.ts';

const config = loadAnalyticsConfig({ exitOnError: true });
const logger = createLogger({ service: 'analytics-rebuild', level: config.logLevel });
const store = await DuckDbAnalyticsStore.open({ path: config.dbPath });
const bus = createPubSub({ redisUrl: config.redisUrl });
const log = createEventLog({ bus, channelPrefix: config.eventsChannelPrefix, sources: { [FEED_STREAM]: config.inventoryUrl }, jwtSecret: config.jwtSecret, consumer: 'analytics-rebuild' });
const feed = new AnalyticsFeed({ store, log, logger, batchSize: config.batchSize });

await store.reset();
logger.info({ path: config.dbPath, from: config.inventoryUrl }, 'analytics store emptied; replaying the inventory event log');
const started = Date.now();
const { caughtUp } = feed.start();
const outcome = await Promise.race([
  caughtUp.then(() => 'done' as const),
  new Promise<'stopped'>((resolve) => {
    const timer = setInterval(async () => {
      if ((await feed.lag()).stopped) {
        clearInterval(timer);
        resolve('stopped');
      }
    }, 500);
    caughtUp.then(() => clearInterval(timer));
  }),
]);
const lag = await feed.lag();
await feed.stop();
await bus.close();
await store.close();
if (outcome === 'stopped') {
  logger.error({ lag }, 'rebuild stopped: the log no longer reaches back to its first position (see docs/analytics.md)');
  process.exit(1);
}
logger.info({ position: lag.position, seconds: (Date.now() - started) / 1000 }, 'analytics store rebuilt');
process.exit(0);
