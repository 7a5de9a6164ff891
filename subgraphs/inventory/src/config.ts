import { commonConfig, commonEnv, configLoader, dataConfig, dataEnv, port, refuseDevSecretInProduction, z } from '@stockline/config';

const schema = z
  .object({
    ...commonEnv,
    ...dataEnv,
    PORT: port(4001),
    RESERVATION_SWEEP_INTERVAL_MS: z.coerce.number().int().min(50).default(1000),
    SEED_DEMO: z.stringbool().default(false),
    ELASTICSEARCH_URL: z.string().url('must be an http(s):// URL').optional(),
    ELASTICSEARCH_INDEX: z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,200}$/, 'must be a lower-case Elasticsearch index name').optional(),
  })
  .superRefine(refuseDevSecretInProduction);

/** Every environment variable this service reads (README's table and docker-compose are checked against it). */
export const INVENTORY_ENV = Object.keys(schema.shape);

/**
 * The inventory service's configuration, read from the environment once.
 * Throws ConfigError listing every invalid variable (or, with exitOnError, prints it and exits 1).
 */
export const loadInventoryConfig = configLoader(schema, (env) => ({
  ...commonConfig(env),
  ...dataConfig(env),
  port: env.PORT,
  reservationSweepIntervalMs: env.RESERVATION_SWEEP_INTERVAL_MS,
  seedDemo: env.SEED_DEMO,
  /** Search on Elasticsearch when set; on PostgreSQL otherwise. */
  elasticsearchUrl: env.ELASTICSEARCH_URL ?? null,
  /** The alias searched (one per environment); each full reindex builds `<alias>-<timestamp>` behind it. */
  elasticsearchIndex: env.ELASTICSEARCH_INDEX ?? `stockline-items-${env.NODE_ENV}`,
}));

export type InventoryConfig = ReturnType<typeof loadInventoryConfig>;
