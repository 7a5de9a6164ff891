import type { DataConfig } from '@stockline/config';
import { createServicePools, ensureDatabase, runMigrations, type Pool, type ScopedPool } from '@stockline/db';
import { OutboxRelay, channelFor, createPgEventSource, createPubSub, useEventLogApi, type EventSource, type PubSub } from '@stockline/events';
import type { Express } from 'express';
import { IdempotencyStore } from '@stockline/idempotency';
import type { Logger } from '@stockline/observability';
import type { ReadinessCheck } from '@stockline/service';

const HOUR = 3_600_000;
/** How long closing waits for checked-out connections to be returned. */
const POOL_END_TIMEOUT_MS = 5_000;

export interface ServiceData {
  /**
   * The owner's connections, which row-level security does not restrict: migrations, the outbox relay,
   * the event log, pruning, and whatever else is about every tenant. Never for request work.
   */
  pool: Pool;
  /**
   * What the service's data access is built on: as `stockline_app` under row-level security with the
   * tenant of the current scope (`withTenant`, entered per request), or the owner's in `asSystem`.
   */
  scopedPool: ScopedPool;
  /** The event bus: the one given (embedded mode shares one), else Redis from REDIS_URL, else in-process. */
  events: PubSub;
  relay: OutboxRelay;
  /** The replay of this service's stream (its outbox), for in-process consumers on embedded defaults. */
  eventSource: EventSource;
  /** Mounts the replay of this service's stream for the platform's consumers (`GET /internal/v1/events/<schema>`). */
  useEventLog(app: Express): void;
  /** /readyz checks: the database and the bus answer. */
  readiness: ReadinessCheck[];
  /** Starts the outbox relay and the hourly pruning of old idempotency keys. */
  start(): void;
  /** Stops both, closes the bus if this service made it, and ends the pool. */
  close(): Promise<void>;
}

/**
 * What every data-owning service opens the same way: its database (created if missing), its
 * migrations (applied in its own schema), its connection pools (owner and tenant, see docs/data.md#tenant-isolation),
 * its event bus and outbox relay.
 */
export async function openServiceData({ schema, migrationsDir, config, jwtSecret, logger, bus }: {
  /** The service's PostgreSQL schema; also its event stream's name. */
  schema: string;
  migrationsDir: string;
  config: DataConfig;
  /** Verifies the service tokens of the event log's readers. */
  jwtSecret: string;
  logger: Logger;
  bus?: PubSub;
}): Promise<ServiceData> {
  await ensureDatabase(config.databaseUrl);
  const pools = createServicePools({
    url: config.databaseUrl,
    appUrl: config.databaseAppUrl,
    max: config.databasePoolMax,
    applicationName: `stockline-${schema}`,
    onError: (err) => logger.warn({ err }, 'idle database connection lost'),
  });
  const pool = pools.owner;
  await runMigrations({ pool, schema, dir: migrationsDir, log: (m) => logger.info(m) });
  const events = bus ?? createPubSub({ redisUrl: config.redisUrl });
  const relay = new OutboxRelay({
    pool,
    schema,
    bus: events,
    channel: channelFor(config.eventsChannelPrefix, schema),
    retentionHours: config.outboxRetentionHours,
    onError: (err) => logger.error({ err }, 'outbox relay failed; retrying'),
  });
  const keys = new IdempotencyStore(
    { $queryRawUnsafe: async (q, ...v) => (await pool.query(q, v)).rows as never, $executeRawUnsafe: async (q, ...v) => (await pool.query(q, v)).rowCount ?? 0 },
    schema,
  );
  let pruner: NodeJS.Timeout | undefined;
  const eventSource = createPgEventSource({ pool, schema });
  return {
    pool,
    scopedPool: pools.scoped,
    events,
    relay,
    eventSource,
    useEventLog: (app) => useEventLogApi(app, { stream: schema, source: eventSource, jwtSecret }),
    readiness: [
      ['postgres', () => pool.query('SELECT 1')],
      ['bus', () => events.ping()],
    ],
    start() {
      relay.start();
      pruner = setInterval(() => {
        keys.pruneOlderThan({ hours: config.idempotencyRetentionHours }).catch((err) => logger.error({ err }, 'idempotency prune failed'));
      }, HOUR);
    },
    async close() {
      clearInterval(pruner);
      await relay.stop();
      if (!bus) await events.close();
      // pg's end() waits for every checked-out connection to come back; one that never does (a leak)
      // would keep the service from ever stopping. Say so, and stop anyway.
      const ended = await Promise.race([pools.end().then(() => true), new Promise<false>((r) => setTimeout(() => r(false), POOL_END_TIMEOUT_MS).unref())]);
      if (!ended) {
        const out = (p: Pool) => p.totalCount - p.idleCount;
        logger.error({ owner: out(pools.owner), tenant: out(pools.tenant) }, `database connections still checked out ${POOL_END_TIMEOUT_MS} ms into shutdown (leaked); stopping without them`);
      }
    },
  };
}
