import { join } from 'node:path';
import type { DestinationStream } from 'pino';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '@stockline/db';
import { createPubSub, type PubSub } from '@stockline/events';
import { createLogger } from '@stockline/observability';
import { createGatewayServer } from '../gateway/src/server.ts';
import { loadGatewayConfig } from '../gateway/src/config.ts';
import { loadInventoryConfig } from '../subgraphs/inventory/src/config.ts';
import { createInventoryServer } from '../subgraphs/inventory/src/server.ts';
import { loadOrdersConfig } from '../subgraphs/orders/src/config.ts';
import { createOrdersServer } from '../subgraphs/orders/src/server.ts';
import { loadMediaConfig } from '../subgraphs/media/src/config.ts';
import { createMediaServer } from '../subgraphs/media/src/server.ts';
import { loadAnalyticsConfig } from '../subgraphs/analytics/src/config.ts';
import { createAnalyticsServer } from '../subgraphs/analytics/src/server.ts';
import { loadAccessConfig } from '../subgraphs/access/src/config.ts';
import { createAccessServer } from '../subgraphs/access/src/server.ts';

export interface PlatformOptions {
  /** Environment the services read (their own config modules validate it). @default process.env */
  env?: Record<string, string | undefined>;
  /** Where embedded PostgreSQL keeps its data when DATABASE_URL is not set. @default .data */
  dataDir?: string;
  /** Loopback port of embedded PostgreSQL. @default 54329 */
  embeddedPgPort?: number;
  /** Ports; 0 picks a free one. @default gateway 4000, inventory 4001, orders 4002 */
  ports?: { gateway?: number; inventory?: number; orders?: number; access?: number; media?: number; analytics?: number };
  host?: string;
  /** Variables for one service only, by service name, winning over everything else (tests: orders through a proxy). */
  serviceEnv?: Partial<Record<string, Record<string, string>>>;
  /** Where every service writes its JSON log lines. @default stdout */
  logDestination?: DestinationStream;
}

/**
 * Runs the whole platform in one process: gateway and every subgraph, each built by its own
 * server module. Without DATABASE_URL, PostgreSQL is embedded (PGlite, data in `dataDir`); without
 * REDIS_URL, the services share an in-process bus. Tests start the platform through this too.
 */
export async function startPlatform({ env = process.env, dataDir = '.data', embeddedPgPort = 54329, ports = {}, host = '127.0.0.1', serviceEnv = {}, logDestination }: PlatformOptions = {}) {
  let embedded: EmbeddedPostgres | null = null;
  let databaseUrl = env.DATABASE_URL;
  if (!databaseUrl) {
    embedded = await startEmbeddedPostgres({ dataDir: join(dataDir, 'pglite'), port: embeddedPgPort });
    databaseUrl = embedded.url;
  }
  // One bus for every service when there is no Redis: they share this process.
  const sharedBus: PubSub | undefined = env.REDIS_URL ? undefined : createPubSub({ redisUrl: null });
  const common = { DATABASE_URL: databaseUrl, HOST: host };
  const logLevel = env.LOG_LEVEL ?? 'info';

  const inventory = await createInventoryServer({
    config: loadInventoryConfig({ env, overrides: { ...common, PORT: String(ports.inventory ?? 4001), ...serviceEnv.inventory }, exitOnError: !env.VITEST }),
    logger: createLogger({ service: 'inventory', level: logLevel, destination: logDestination }),
    bus: sharedBus,
  });
  const inventoryPort = await inventory.start();
  const inventoryUrl = `http://127.0.0.1:${inventoryPort}`;

  const orders = await createOrdersServer({
    config: loadOrdersConfig({ env, overrides: { ...common, PORT: String(ports.orders ?? 4002), INVENTORY_URL: inventoryUrl, ...serviceEnv.orders }, exitOnError: !env.VITEST }),
    logger: createLogger({ service: 'orders', level: logLevel, destination: logDestination }),
    bus: sharedBus,
  });
  const ordersUrl = `http://127.0.0.1:${await orders.start()}`;

  // Analytics keeps its DuckDB file under the data directory (in memory under vitest: test files run side by side).
  const analytics = await createAnalyticsServer({
    config: loadAnalyticsConfig({
      env,
      overrides: { HOST: host, PORT: String(ports.analytics ?? 4003), INVENTORY_URL: inventoryUrl, ANALYTICS_DB_PATH: env.ANALYTICS_DB_PATH ?? (env.VITEST ? ':memory:' : join(dataDir, 'analytics.duckdb')) },
      exitOnError: !env.VITEST,
    }),
    logger: createLogger({ service: 'analytics', level: logLevel, destination: logDestination }),
    bus: sharedBus,
  });
  const analyticsUrl = `http://127.0.0.1:${await analytics.start()}`;

  const access = await createAccessServer({
    config: loadAccessConfig({ env, overrides: { ...common, PORT: String(ports.access ?? 4005) }, exitOnError: !env.VITEST }),
    logger: createLogger({ service: 'access', level: logLevel, destination: logDestination }),
    bus: sharedBus,
  });
  const accessUrl = `http://127.0.0.1:${await access.start()}`;

  // Media files go under the data directory too; their public URLs use the gateway's origin (set once it listens).
  const media = await createMediaServer({
    config: loadMediaConfig({ env, overrides: { ...common, PORT: String(ports.media ?? 4004), INVENTORY_URL: inventoryUrl, MEDIA_DATA_DIR: env.MEDIA_DATA_DIR ?? join(dataDir, 'media') }, exitOnError: !env.VITEST }),
    logger: createLogger({ service: 'media', level: logLevel, destination: logDestination }),
  });
  const mediaUrl = `http://127.0.0.1:${await media.start()}`;

  const gateway = await createGatewayServer({
    config: loadGatewayConfig({
      env,
      overrides: { HOST: host, PORT: String(ports.gateway ?? 4000), INVENTORY_URL: inventoryUrl, ORDERS_URL: ordersUrl, ANALYTICS_URL: analyticsUrl, ACCESS_URL: accessUrl, MEDIA_URL: mediaUrl, ...serviceEnv.gateway },
      exitOnError: !env.VITEST,
    }),
    logger: createLogger({ service: 'gateway', level: logLevel, destination: logDestination }),
    bus: sharedBus,
  });
  const gatewayPort = await gateway.start();
  if (!env.MEDIA_PUBLIC_URL) media.setPublicUrl(`http://127.0.0.1:${gatewayPort}`);

  let stopping: Promise<void> | null = null;
  return {
    databaseUrl,
    embedded: embedded !== null,
    gatewayUrl: `http://127.0.0.1:${gatewayPort}`,
    inventoryUrl,
    ordersUrl,
    analyticsUrl,
    accessUrl,
    mediaUrl,
    media,
    access,
    inventory,
    orders,
    analytics,
    gateway,
    /** Stops accepting, drains, closes pools and the embedded database; in reverse order of start. */
    stop() {
      stopping ??= (async () => {
        await gateway.stop();
        await access.stop();
        await media.stop();
        await analytics.stop();
        await orders.stop();
        await inventory.stop();
        await sharedBus?.close();
        await embedded?.stop();
      })();
      return stopping;
    },
  };
}

export type Platform = Awaited<ReturnType<typeof startPlatform>>;
