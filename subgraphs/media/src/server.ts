import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'graphql';
import { createServicePools, ensureDatabase, runMigrations } from '@stockline/db';
import { createLogger, type Logger } from '@stockline/observability';
import { createSubgraphService } from '@stockline/service';
import type { MediaConfig } from './config.ts';
import { buildMediaContext } from './context.ts';
import { InventoryItemsClient } from './data/inventory-items.client.ts';
import { MediaRepository } from './data/media.repository.ts';
import { SCHEMA, createPrisma } from './data/prisma.ts';
import { MediaDeliveryService } from './domain/media-delivery.service.ts';
import { MediaSweeper } from './domain/media-sweeper.ts';
import { MediaUploadService } from './domain/media-upload.service.ts';
import { MediaService } from './domain/media.service.ts';
import { useMediaRoutes } from './http/use-media-routes.ts';
import { resolvers } from './resolvers/index.ts';
import { createStorage } from './storage/create-storage.ts';
import type { ObjectStorage } from './storage/object-storage.ts';

export const typeDefs = parse(readFileSync(fileURLToPath(new URL('../schema.graphql', import.meta.url)), 'utf8'));
const MIGRATIONS = fileURLToPath(new URL('../prisma/migrations', import.meta.url));

export interface MediaServerOptions {
  config: MediaConfig;
  logger?: Logger;
  /** A storage backend to use instead of the one the configuration names (tests). */
  storage?: ObjectStorage;
}

/**
 * Builds the media subgraph without listening: pool, migrations, the storage backend, the upload,
 * listing and delivery services, the `/media/*` routes and the sweeper. Media owns no events, so it
 * opens its database directly rather than through openServiceData (no outbox to relay).
 */
export async function createMediaServer({ config, logger = createLogger({ service: 'media', level: config.logLevel }), storage = createStorage(config.storage) }: MediaServerOptions) {
  await ensureDatabase(config.databaseUrl);
  const pools = createServicePools({
    url: config.databaseUrl,
    appUrl: config.databaseAppUrl,
    max: config.databasePoolMax,
    applicationName: `stockline-${SCHEMA}`,
    onError: (err) => logger.warn({ err }, 'idle database connection lost'),
  });
  const pool = pools.owner;
  await runMigrations({ pool, schema: SCHEMA, dir: MIGRATIONS, log: (m) => logger.info(m) });
  // GraphQL requests run in their tenant's scope (row-level security); the media URLs and the sweeper asSystem.
  const db = createPrisma(pools.scoped);
  const repository = new MediaRepository(db);
  // Upload URLs are signed with a key derived from the JWT secret (one secret to manage, separate uses).
  const signingKey = createHmac('sha256', config.jwtSecret).update('stockline-media-upload-url').digest('base64url');
  let publicUrl = config.publicUrl;
  const uploads = new MediaUploadService({
    repository,
    storage,
    inventory: new InventoryItemsClient({ baseUrl: config.inventoryUrl, timeoutMs: config.inventoryTimeoutMs }),
    publicUrl: () => publicUrl,
    signingKey,
    maxBytes: config.maxBytes,
    uploadTtlSeconds: config.uploadTtlSeconds,
    logger,
  });
  const services = {
    uploads,
    media: new MediaService(repository, storage, uploads),
    delivery: new MediaDeliveryService(repository, storage),
  };
  const sweeper = new MediaSweeper({ repository, storage, uploads, intervalMs: config.gcIntervalMs, graceSeconds: config.gcGraceSeconds, logger });

  const service = createSubgraphService({
    otlpEndpoint: config.otlpEndpoint,
    name: 'media',
    typeDefs,
    resolvers,
    jwtSecret: config.jwtSecret,
    logger,
    exposeErrors: config.nodeEnv === 'development',
    buildContext: (base) => buildMediaContext(base, services, publicUrl),
    readiness: [
      ['postgres', () => pool.query('SELECT 1')],
      ['storage', () => storage.stat('blobs/readiness-probe')],
    ],
    routes: (app) => useMediaRoutes(app, { uploads, delivery: services.delivery, signingKey, logger }),
    onStop: async () => {
      await sweeper.stop();
      await db.$disconnect();
      await pools.end();
      await storage.close();
    },
  });

  return {
    service,
    services,
    sweeper,
    repository,
    storage,
    pool,
    db,
    /**
     * Sets the origin media URLs are built on, when it is only known after start (the all-in-one
     * platform starts the gateway after its subgraphs, on a port picked then).
     */
    setPublicUrl(url: string) {
      publicUrl = url.replace(/\/+$/, '');
    },
    /** Starts the sweeper and listens; resolves with the bound port. */
    async start(port = config.port, host = config.host) {
      await storage.prepare();
      sweeper.start();
      return service.listen(port, host);
    },
    stop: () => service.stop(),
  };
}

export type MediaServer = Awaited<ReturnType<typeof createMediaServer>>;
