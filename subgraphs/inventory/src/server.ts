import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'graphql';
import { createPool, ensureDatabase, runMigrations } from '@stockline/db';
import { OutboxRelay, channelFor, createPubSub, type PubSub } from '@stockline/events';
import { createLogger, type Logger } from '@stockline/observability';
import { createSubgraphService } from '@stockline/service';
import type { InventoryConfig } from './config.ts';
import { buildInventoryContext } from './context.ts';
import { IdempotencyStore } from '@stockline/idempotency';
import { SCHEMA, createPrisma } from './data/prisma.ts';
import { CatalogService } from './domain/catalog.service.ts';
import { ReservationService } from './domain/reservation.service.ts';
import { StockService } from './domain/stock.service.ts';
import { useInternalApi } from './internal/use-internal-api.ts';
import { resolvers } from './resolvers/index.ts';
import { seedDemo } from './seed/seed-demo.ts';

export const typeDefs = parse(readFileSync(fileURLToPath(new URL('../schema.graphql', import.meta.url)), 'utf8'));
const MIGRATIONS = fileURLToPath(new URL('../prisma/migrations', import.meta.url));
const HOUR = 3_600_000;

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
  await ensureDatabase(config.databaseUrl);
  const pool = createPool({ url: config.databaseUrl, max: config.databasePoolMax, applicationName: 'stockline-inventory', onError: (err) => logger.warn({ err }, 'idle database connection lost') });
  await runMigrations({ pool, schema: SCHEMA, dir: MIGRATIONS, log: (m) => logger.info(m) });
  const db = createPrisma(pool);
  const ownBus = !bus;
  const events = bus ?? createPubSub({ redisUrl: config.redisUrl });
  const relay = new OutboxRelay({
    pool,
    schema: SCHEMA,
    bus: events,
    channel: channelFor(config.eventsChannelPrefix, SCHEMA),
    retentionHours: config.outboxRetentionHours,
    onError: (err) => logger.error({ err }, 'outbox relay failed; retrying'),
  });
  const nudge = () => relay.nudge();
  const services = {
    catalog: new CatalogService(db, nudge),
    stock: new StockService(db, nudge),
    reservations: new ReservationService(db, nudge),
  };
  if (config.seedDemo) await seedDemo({ ...services, logger });

  let sweeping = false;
  const sweeper = setInterval(async () => {
    if (sweeping) return;
    sweeping = true;
    try {
      while ((await services.reservations.expireDue()) > 0);
    } catch (err) {
      logger.error({ err }, 'reservation sweep failed; retrying');
    } finally {
      sweeping = false;
    }
  }, config.reservationSweepIntervalMs);
  const pruner = setInterval(() => {
    new IdempotencyStore(db, SCHEMA).pruneOlderThan({ hours: config.idempotencyRetentionHours }).catch((err) => logger.error({ err }, 'idempotency prune failed'));
  }, HOUR);

  const service = createSubgraphService({
    name: 'inventory',
    typeDefs,
    resolvers,
    jwtSecret: config.jwtSecret,
    logger,
    exposeErrors: config.nodeEnv === 'development',
    buildContext: (base) => buildInventoryContext(base, db, services),
    readiness: [
      ['postgres', () => pool.query('SELECT 1')],
      ['bus', () => events.ping()],
    ],
    routes: (app) => useInternalApi(app, { reservations: services.reservations, jwtSecret: config.jwtSecret, logger }),
    onStop: async () => {
      clearInterval(sweeper);
      clearInterval(pruner);
      await relay.stop();
      if (ownBus) await events.close();
      await db.$disconnect();
      await pool.end();
    },
  });

  return {
    service,
    services,
    relay,
    pool,
    db,
    /** Starts the relay and listens; resolves with the bound port. */
    async start(port = config.port, host = config.host) {
      relay.start();
      return service.listen(port, host);
    },
    stop: () => service.stop(),
  };
}

export type InventoryServer = Awaited<ReturnType<typeof createInventoryServer>>;
