import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Express } from 'express';
import { parse } from 'graphql';
import { createEventLog, createPubSub, type EventLog, type PubSub } from '@stockline/events';
import { createLogger, type Logger } from '@stockline/observability';
import { createSubgraphService } from '@stockline/service';
import type { AnalyticsConfig } from './config.ts';
import { buildAnalyticsContext } from './context.ts';
import type { AnalyticsStore } from './data/analytics-store.ts';
import { DuckDbAnalyticsStore } from './data/duckdb-analytics-store.ts';
import { AnalyticsFeed, FEED_STREAM } from './domain/analytics-feed.ts';
import { AnalyticsService } from './domain/analytics.service.ts';
import { ReportExporter } from './domain/report-export.ts';
import { useCsvExport } from './http/use-csv-export.ts';
import { resolvers } from './resolvers/index.ts';

export const typeDefs = parse(readFileSync(fileURLToPath(new URL('../schema.graphql', import.meta.url)), 'utf8'));

export interface AnalyticsServerOptions {
  config: AnalyticsConfig;
  logger?: Logger;
  /** A bus to share (embedded mode runs every service in one process); made from REDIS_URL otherwise. */
  bus?: PubSub;
  /** Another store behind the same port (a distributed engine); DuckDB at `config.dbPath` otherwise. */
  store?: AnalyticsStore;
  /** The clock of "now" figures (days of cover, dead stock); tests pin it. */
  now?: () => Date;
}

/**
 * Builds the analytics subgraph without listening: its DuckDB store, the feed from the inventory
 * event log (replay over inventory's internal API, live from the bus), the reports and their CSV export.
 * Owns no PostgreSQL. Tests and the all-in-one start use this.
 */
export async function createAnalyticsServer({ config, logger = createLogger({ service: 'analytics', level: config.logLevel }), bus, store: given, now }: AnalyticsServerOptions) {
  const store = given ?? (await DuckDbAnalyticsStore.open({ path: config.dbPath }));
  const events = bus ?? createPubSub({ redisUrl: config.redisUrl });
  const log: EventLog = createEventLog({
    bus: events,
    channelPrefix: config.eventsChannelPrefix,
    sources: { [FEED_STREAM]: config.inventoryUrl },
    jwtSecret: config.jwtSecret,
    consumer: 'analytics',
  });
  const feed = new AnalyticsFeed({ store, log, logger, batchSize: config.batchSize });
  const analytics = new AnalyticsService(store, now);
  const exporter = new ReportExporter(analytics, store, now);

  const service = createSubgraphService({
    otlpEndpoint: config.otlpEndpoint,
    name: 'analytics',
    typeDefs,
    resolvers,
    jwtSecret: config.jwtSecret,
    logger,
    exposeErrors: config.nodeEnv === 'development',
    buildContext: (base) => buildAnalyticsContext(base, { analytics, feed }),
    readiness: [
      ['duckdb', () => store.ping()],
      ['bus', () => events.ping()],
      [
        'feed',
        async () => {
          const lag = await feed.lag();
          if (lag.stopped) throw new Error(`stopped at position ${lag.position}; run npm run analytics:rebuild`);
          return lag;
        },
      ],
    ],
    routes: (app: Express) => {
      useCsvExport(app, { exporter, jwtSecret: config.jwtSecret, logger });
      // Lag for monitoring (no tenant data: positions and a time).
      app.get('/lag', async (_req, res) => {
        res.json(await feed.lag());
      });
    },
    onStop: async () => {
      await feed.stop();
      // A shared bus outlives us: unsubscribe. Our own closes whole (unsubscribing first would leave
      // RedisPubSub's unawaited UNSUBSCRIBE to reject once the connection quits).
      if (bus) await log.close();
      else await events.close();
      if (!given) await store.close();
    },
  });

  return {
    service,
    store,
    feed,
    analytics,
    /** Starts the feed and listens; resolves with the bound port. The feed catches up in the background. */
    async start(port = config.port, host = config.host) {
      const bound = await service.listen(port, host);
      feed.start();
      return bound;
    },
    stop: () => service.stop(),
  };
}

export type AnalyticsServer = Awaited<ReturnType<typeof createAnalyticsServer>>;
