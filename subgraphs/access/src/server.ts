import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'graphql';
import { apiKeyRevocationChannel } from '@stockline/auth';
import type { PubSub } from '@stockline/events';
import { createLogger, type Logger } from '@stockline/observability';
import { createSubgraphService } from '@stockline/service';
import { openServiceData } from '@stockline/service-data';
import type { AccessConfig } from './config.ts';
import { buildAccessContext } from './context.ts';
import { SCHEMA, createPrisma } from './data/prisma.ts';
import { ApiKeyService } from './domain/api-key.service.ts';
import { AuditService } from './domain/audit.service.ts';
import { useInternalApi } from './internal/use-internal-api.ts';
import { resolvers } from './resolvers/index.ts';

export const typeDefs = parse(readFileSync(fileURLToPath(new URL('../schema.graphql', import.meta.url)), 'utf8'));
const MIGRATIONS = fileURLToPath(new URL('../prisma/migrations', import.meta.url));

export interface AccessServerOptions {
  config: AccessConfig;
  logger?: Logger;
  /** A bus to share (embedded mode runs every service in one process); made from REDIS_URL otherwise. */
  bus?: PubSub;
}

/**
 * Builds the access subgraph without listening: API keys, the audit trail, `viewer`, and the
 * internal API the gateway resolves keys and records catalog changes through. Revocations are
 * published on the bus so every gateway drops the key at once.
 */
export async function createAccessServer({ config, logger = createLogger({ service: 'access', level: config.logLevel }), bus }: AccessServerOptions) {
  const data = await openServiceData({ schema: SCHEMA, migrationsDir: MIGRATIONS, config, jwtSecret: config.jwtSecret, logger, bus });
  // GraphQL requests run in their tenant's scope (row-level security); the internal API resolves keys
  // asSystem and records audit entries as the calling token's tenant.
  const db = createPrisma(data.scopedPool);
  const channel = apiKeyRevocationChannel(config.eventsChannelPrefix);
  const services = {
    apiKeys: new ApiKeyService({
      db,
      publishRevocation: async (message) => {
        // After commit. If the bus is down, gateways still drop the key when their cache entry expires.
        await data.events.publish(channel, message).catch((err) => logger.error({ err, keyId: message.keyId }, 'publishing a key revocation failed'));
      },
    }),
    audit: new AuditService(db),
  };

  const service = createSubgraphService({
    otlpEndpoint: config.otlpEndpoint,
    name: 'access',
    typeDefs,
    resolvers,
    jwtSecret: config.jwtSecret,
    logger,
    exposeErrors: config.nodeEnv === 'development',
    buildContext: (base) => buildAccessContext(base, services),
    readiness: data.readiness,
    routes: (app) => useInternalApi(app, { apiKeys: services.apiKeys, audit: services.audit, jwtSecret: config.jwtSecret, logger }),
    onStop: async () => {
      await db.$disconnect();
      await data.close();
    },
  });

  return {
    service,
    services,
    pool: data.pool,
    db,
    /** Listens; resolves with the bound port. (Access has no outbox: its events are revocations, published directly.) */
    async start(port = config.port, host = config.host) {
      return service.listen(port, host);
    },
    stop: () => service.stop(),
  };
}

export type AccessServer = Awaited<ReturnType<typeof createAccessServer>>;
