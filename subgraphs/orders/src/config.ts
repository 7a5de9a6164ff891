import { commonConfig, commonEnv, configLoader, dataConfig, dataEnv, port, refuseDevSecretInProduction, z } from '@stockline/config';
import { CrashPoint } from './domain/fault-injection.ts';

const schema = z
  .object({
    ...commonEnv,
    ...dataEnv,
    PORT: port(4002),
    INVENTORY_URL: z.string().url('must be an http(s):// URL').default('http://127.0.0.1:4001'),
    INVENTORY_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(5_000),
    INVENTORY_RETRIES: z.coerce.number().int().min(0).max(10).default(3),
    SAGA_RECOVERY_INTERVAL_MS: z.coerce.number().int().min(50).default(1_000),
    SAGA_LEASE_MS: z.coerce.number().int().min(200).default(30_000),
    /** Test-only fault injection: SIGKILL this process right after that saga step's remote call returns. */
    SAGA_CRASH_AT: z.enum(CrashPoint).optional(),
  })
  .superRefine(refuseDevSecretInProduction)
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production' && env.SAGA_CRASH_AT) {
      ctx.addIssue({ code: 'custom', path: ['SAGA_CRASH_AT'], message: 'is a test-only fault injection and is refused in production' });
    }
  });

/** Every environment variable the orders service reads (the README's configuration table must list them). */
export const ORDERS_ENV = Object.keys(schema.shape);

/**
 * The orders service's configuration, read from the environment once.
 * Throws ConfigError listing every invalid variable (or, with exitOnError, prints it and exits 1).
 */
export const loadOrdersConfig = configLoader(schema, (env) => ({
  ...commonConfig(env),
  ...dataConfig(env),
  port: env.PORT,
  inventoryUrl: env.INVENTORY_URL.replace(/\/+$/, ''),
  inventoryTimeoutMs: env.INVENTORY_TIMEOUT_MS,
  inventoryRetries: env.INVENTORY_RETRIES,
  sagaRecoveryIntervalMs: env.SAGA_RECOVERY_INTERVAL_MS,
  sagaLeaseMs: env.SAGA_LEASE_MS,
  sagaCrashAt: env.SAGA_CRASH_AT ?? null,
}));

export type OrdersConfig = ReturnType<typeof loadOrdersConfig>;
