import { commonConfig, commonEnv, configLoader, dataConfig, dataEnv, port, refuseDevSecretInProduction, z } from '@stockline/config';

const schema = z
  .object({
    ...commonEnv,
    ...dataEnv,
    PORT: port(4001),
    RESERVATION_SWEEP_INTERVAL_MS: z.coerce.number().int().min(50).default(1000),
    SEED_DEMO: z.stringbool().default(false),
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
}));

export type InventoryConfig = ReturnType<typeof loadInventoryConfig>;
