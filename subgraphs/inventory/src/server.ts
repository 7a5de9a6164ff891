import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'graphql';
import { asSystem, createPool, ensureDatabase, runMigrations, withTenant } from '@stockline/db';
import { EventLog, OutboxRelay, channelFor, createPubSub, type PubSub } from '@stockline/events';
import { createLogger, type Logger } from '@stockline/observability';
import { createSubgraphService } from '@stockline/service';
import { openServiceData } from '@stockline/service-data';
import type { InventoryConfig } from './config.ts';
import { buildInventoryContext } from './context.ts';
import { SCHEMA, createPrisma } from './data/prisma.ts';
import { CatalogService } from './domain/catalog.service.ts';
import { ReservationService } from './domain/reservation.service.ts';
import { StockService } from './domain/stock.service.ts';
import { createLevelGate } from './domain/level-gate.ts';
import { useInternalApi } from './internal/use-internal-api.ts';
import { resolvers } from './resolvers/index.ts';
import { seedDemo } from './seed/seed-demo.ts';
import { DEMO_TENANT } from './seed/demo-catalog.ts';
import { trackLowStockLevels } from './monitoring/track-low-stock-levels.ts';
import { createSearch } from './search/create-search.ts';

export const typeDefs = parse(readFileSync(fileURLToPath(new URL('../schema.graphql', import.meta.url)), 'utf8'));
const MIGRATIONS = fileURLToPath(new URL('../prisma/migrations', import.meta.url));

export interface InventoryServerOptions {
  config: InventoryConfig;
  logger?: Logger;
  /** A bus to share (embedded mode runs every service in one process); made from REDIS_URL otherwise. */
  bus?: PubSub;
}

/**
 * Builds the inventory subgraph without listening: pool, migrations, services, the outbox relay,
 * the reservation sweeper, the internal API for orders. Tests and the all-in-one start use this.
 */
export async function createInventoryServer({ config, logger = createLogger({ service: 'inventory', level: config.logLevel }), bus }: InventoryServerOptions) {
  const data = await openServiceData({ schema: SCHEMA, migrationsDir: MIGRATIONS, config, jwtSecret: config.jwtSecret, logger, bus });
  // Request work (GraphQL, the internal API) runs in its tenant's scope on the scoped pool; the work
  // about every tenant below (sweeper, indexers, gauge) says so with asSystem or uses the owner's pool.
  const db = createPrisma(data.scopedPool);
  const nudge = () => data.relay.nudge();
  const search = createSearch({
    pool: data.pool,
    queryPool: data.scopedPool,
    logger,
    elasticsearch: config.elasticsearchUrl ? { url: config.elasticsearchUrl, index: config.elasticsearchIndex } : null,
  });
  const levels = createLevelGate();
  const services = {
    catalog: new CatalogService(db, nudge),
    // One queue per stock level for the whole process, so both services' changes of a level take turns.
    stock: new StockService(db, nudge, undefined, levels),
    reservations: new ReservationService(db, nudge, undefined, levels),
    search: search.service,
  };
  if (config.seedDemo) await withTenant(DEMO_TENANT, () => seedDemo({ ...services, logger }));

  // One sweep at a time; stopping waits for the one in progress before the pool closes.
  let sweep: Promise<void> | null = null;
  const sweeper = setInterval(() => {
    sweep ??= asSystem('the reservation sweeper expires every tenant\'s reservations', async () => {
      try {
        while ((await services.reservations.expireDue()) > 0);
      } catch (err) {
        logger.error({ err }, 'reservation sweep failed; retrying');
      }
    }).finally(() => (sweep = null));
  }, config.reservationSweepIntervalMs);

  const stopLowStockGauge = trackLowStockLevels({ pool: data.pool, logger });

  const service = createSubgraphService({
    otlpEndpoint: config.otlpEndpoint,
    name: 'inventory',
    typeDefs,
    resolvers,
    jwtSecret: config.jwtSecret,
    logger,
    exposeErrors: config.nodeEnv === 'development',
    buildContext: (base) => buildInventoryContext(base, db, services),
    readiness: data.readiness,
    routes: (app) => {
      data.useEventLog(app);
      useInternalApi(app, { reservations: services.reservations, jwtSecret: config.jwtSecret, logger });
    },
    onStop: async () => {
      clearInterval(sweeper);
      await sweep;
      await stopLowStockGauge();
      await search.stop();
      await db.$disconnect();
      await data.close();
    },
  });

  return {
    service,
    services,
    relay: data.relay,
    search,
    pool: data.pool,
    db,
    /** Starts the relay and listens; resolves with the bound port. */
    async start(port = config.port, host = config.host) {
      data.start();
      // Search indexers follow this service's own stream, replayed in-process from its outbox.
      search
        .start(new EventLog({ bus: data.events, channelPrefix: config.eventsChannelPrefix, sources: { [SCHEMA]: data.eventSource } }))
        .catch((err) => logger.error({ err }, 'search indexers did not start'));
      return service.listen(port, host);
    },
    stop: () => service.stop(),
  };
}

export type InventoryServer = Awaited<ReturnType<typeof createInventoryServer>>;
