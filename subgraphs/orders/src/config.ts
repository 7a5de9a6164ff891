import { commonEnv, loadConfig, port, refuseDevSecretInProduction, z } from '@stockline/config';
import { CrashPoint } from './domain/fault-injection.ts';

const schema = z
  .object({
    ...commonEnv,
    PORT: port(4002),
    DATABASE_URL: z.string().url('must be a postgresql:// URL'),
    DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(20),
    REDIS_URL: z.string().url('must be a redis:// URL').optional(),
    EVENTS_CHANNEL_PREFIX: z.string().default('stockline.'),
    OUTBOX_RETENTION_HOURS: z.coerce.number().int().min(24).default(168),
    IDEMPOTENCY_RETENTION_HOURS: z.coerce.number().int().min(24).default(72),
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

export type OrdersConfig = ReturnType<typeof toConfig>;

function toConfig(env: z.output<typeof schema>) {
  return {
    nodeEnv: env.NODE_ENV,
    logLevel: env.LOG_LEVEL,
    jwtSecret: env.JWT_SECRET,
    host: env.HOST,
    port: env.PORT,
    databaseUrl: env.DATABASE_URL,
    databasePoolMax: env.DATABASE_POOL_MAX,
    redisUrl: env.REDIS_URL ?? null,
    eventsChannelPrefix: env.EVENTS_CHANNEL_PREFIX,
    outboxRetentionHours: env.OUTBOX_RETENTION_HOURS,
    idempotencyRetentionHours: env.IDEMPOTENCY_RETENTION_HOURS,
    inventoryUrl: env.INVENTORY_URL.replace(/\/+$/, ''),
    inventoryTimeoutMs: env.INVENTORY_TIMEOUT_MS,
    inventoryRetries: env.INVENTORY_RETRIES,
    sagaRecoveryIntervalMs: env.SAGA_RECOVERY_INTERVAL_MS,
    sagaLeaseMs: env.SAGA_LEASE_MS,
    sagaCrashAt: env.SAGA_CRASH_AT ?? null,
  };
}

/**
 * The orders service's configuration, read from the environment once.
 * `overrides` (environment variable names) win over `env`; tests use them.
 * Throws ConfigError listing every invalid variable (or, with exitOnError, prints it and exits 1).
 */
export function loadOrdersConfig({ env = process.env, overrides = {}, exitOnError = false }: {
  env?: Record<string, string | undefined>;
  overrides?: Record<string, string | undefined>;
  exitOnError?: boolean;
} = {}): OrdersConfig {
  return toConfig(loadConfig(schema, { env: { ...env, ...overrides }, exitOnError }));
}
