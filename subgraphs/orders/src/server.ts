import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parse } from 'graphql';
import type { PubSub } from '@stockline/events';
import { createLogger, type Logger } from '@stockline/observability';
import { createSubgraphService } from '@stockline/service';
import { openServiceData } from '@stockline/service-data';
import type { OrdersConfig } from './config.ts';
import { buildOrdersContext } from './context.ts';
import { InventoryClient } from './data/inventory.client.ts';
import { SCHEMA, createPrisma } from './data/prisma.ts';
import { FulfillmentService } from './domain/fulfillment.service.ts';
import { OrderService } from './domain/order.service.ts';
import { SagaRecovery } from './domain/saga-recovery.ts';
import { SagaService } from './domain/saga.service.ts';
import { resolvers } from './resolvers/index.ts';

export const typeDefs = parse(readFileSync(fileURLToPath(new URL('../schema.graphql', import.meta.url)), 'utf8'));
const MIGRATIONS = fileURLToPath(new URL('../prisma/migrations', import.meta.url));

export interface OrdersServerOptions {
  config: OrdersConfig;
  logger?: Logger;
  /** A bus to share (embedded mode runs every service in one process); made from REDIS_URL otherwise. */
  bus?: PubSub;
}

/**
 * Builds the orders subgraph without listening: pool, migrations, the inventory client, the saga
 * service and its recovery loop, the outbox relay. Tests and the all-in-one start use this.
 */
export async function createOrdersServer({ config, logger = createLogger({ service: 'orders', level: config.logLevel }), bus }: OrdersServerOptions) {
  if (config.sagaCrashAt) logger.warn({ sagaCrashAt: config.sagaCrashAt }, 'TEST-ONLY fault injection is on: this process kills itself mid-saga');
  const data = await openServiceData({ schema: SCHEMA, migrationsDir: MIGRATIONS, config, jwtSecret: config.jwtSecret, logger, bus });
  // Request work runs in its tenant's scope on the scoped pool (row-level security); saga recovery
  // claims every tenant's sagas asSystem and drives each as its tenant.
  const db = createPrisma(data.scopedPool);
  const relay = data.relay;
  const nudge = () => relay.nudge();
  const owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const inventory = new InventoryClient({
    baseUrl: config.inventoryUrl,
    jwtSecret: config.jwtSecret,
    timeoutMs: config.inventoryTimeoutMs,
    retries: config.inventoryRetries,
  });
  const sagas = new SagaService({ db, inventory, owner, leaseMs: config.sagaLeaseMs, crashAt: config.sagaCrashAt, logger, onCommitted: nudge });
  const services = {
    orders: new OrderService(db, sagas, nudge),
    fulfillment: new FulfillmentService(db, sagas, nudge),
  };
  const recovery = new SagaRecovery({ db, sagas, owner, leaseMs: config.sagaLeaseMs, intervalMs: config.sagaRecoveryIntervalMs, logger });

  const service = createSubgraphService({
    otlpEndpoint: config.otlpEndpoint,
    name: 'orders',
    typeDefs,
    resolvers,
    jwtSecret: config.jwtSecret,
    logger,
    exposeErrors: config.nodeEnv === 'development',
    buildContext: (base) => buildOrdersContext(base, db, services),
    readiness: data.readiness,
    routes: (app) => data.useEventLog(app),
    onStop: async () => {
      await recovery.stop();
      await db.$disconnect();
      await data.close();
    },
  });

  return {
    service,
    services,
    sagas,
    recovery,
    relay,
    pool: data.pool,
    db,
    /** Starts the relay and the saga recovery loop, and listens; resolves with the bound port. */
    async start(port = config.port, host = config.host) {
      data.start();
      recovery.start();
      return service.listen(port, host);
    },
    stop: () => service.stop(),
  };
}

export type OrdersServer = Awaited<ReturnType<typeof createOrdersServer>>;
