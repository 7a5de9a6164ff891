import { fileURLToPath } from 'node:url';
import { commonConfig, commonEnv, configLoader, port, refuseDevSecretInProduction, z } from '@stockline/config';

/** `.data/analytics.duckdb` at the repository root, wherever the service is started from. */
const DEFAULT_DB_PATH = fileURLToPath(new URL('../../../.data/analytics.duckdb', import.meta.url));

const schema = z
  .object({
    ...commonEnv,
    PORT: port(4003),
    /** DuckDB file of the star schema; `:memory:` keeps nothing (tests). */
    ANALYTICS_DB_PATH: z.string().min(1).default(DEFAULT_DB_PATH),
    INVENTORY_URL: z.string().url('must be an http(s):// URL').default('http://127.0.0.1:4001'),
    REDIS_URL: z.string().url('must be a redis:// URL').optional(),
    EVENTS_CHANNEL_PREFIX: z.string().default('stockline.'),
    ANALYTICS_BATCH_SIZE: z.coerce.number().int().min(1).max(5_000).default(500),
  })
  .superRefine(refuseDevSecretInProduction);

/** Every environment variable the analytics service reads (the README's configuration table must list them). */
export const ANALYTICS_ENV = Object.keys(schema.shape);

/**
 * The analytics service's configuration, read from the environment once.
 * Throws ConfigError listing every invalid variable (or, with exitOnError, prints it and exits 1).
 */
export const loadAnalyticsConfig = configLoader(schema, (env) => ({
  ...commonConfig(env),
  port: env.PORT,
  dbPath: env.ANALYTICS_DB_PATH,
  /** Owner of the `inventory` stream: its replay is read over inventory's internal API. */
  inventoryUrl: env.INVENTORY_URL.replace(/\/+$/, ''),
  redisUrl: env.REDIS_URL ?? null,
  eventsChannelPrefix: env.EVENTS_CHANNEL_PREFIX,
  batchSize: env.ANALYTICS_BATCH_SIZE,
}));

export type AnalyticsConfig = ReturnType<typeof loadAnalyticsConfig>;
