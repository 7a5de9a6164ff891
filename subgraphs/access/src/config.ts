import { commonConfig, commonEnv, configLoader, dataConfig, dataEnv, port, refuseDevSecretInProduction, z } from '@stockline/config';

const schema = z
  .object({
    ...commonEnv,
    ...dataEnv,
    PORT: port(4005),
  })
  .superRefine(refuseDevSecretInProduction);

/** Every environment variable the access service reads (the README's configuration table must list them). */
export const ACCESS_ENV = Object.keys(schema.shape);

/**
 * The access service's configuration, read from the environment once.
 * Throws ConfigError listing every invalid variable (or, with exitOnError, prints it and exits 1).
 */
export const loadAccessConfig = configLoader(schema, (env) => ({
  ...commonConfig(env),
  ...dataConfig(env),
  port: env.PORT,
}));

export type AccessConfig = ReturnType<typeof loadAccessConfig>;
