import { commonEnv, loadConfig, port, refuseDevSecretInProduction, z } from '@stockline/config';

const schema = z
  .object({
    ...commonEnv,
    PORT: port(4001),
    DATABASE_URL: z.string().url('must be a postgresql:// URL'),
    DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(20),
    REDIS_URL: z.string().url('must be a redis:// URL').optional(),
    EVENTS_CHANNEL_PREFIX: z.string().default('stockline.'),
    OUTBOX_RETENTION_HOURS: z.coerce.number().int().min(24).default(168),
    RESERVATION_SWEEP_INTERVAL_MS: z.coerce.number().int().min(50).default(1000),
    IDEMPOTENCY_RETENTION_HOURS: z.coerce.number().int().min(24).default(72),
    SEED_DEMO: z.stringbool().default(false),
  })
  .superRefine(refuseDevSecretInProduction);

/** Every environment variable this service reads (README's table and docker-compose are checked against it). */
export const INVENTORY_ENV = Object.keys(schema.shape);

export type InventoryConfig = ReturnType<typeof toConfig>;

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
    reservationSweepIntervalMs: env.RESERVATION_SWEEP_INTERVAL_MS,
    idempotencyRetentionHours: env.IDEMPOTENCY_RETENTION_HOURS,
    seedDemo: env.SEED_DEMO,
  };
}

/**
 * The inventory service's configuration, read from the environment once.
 * `overrides` (environment variable names) win over `env`; tests use them.
 * Throws ConfigError listing every invalid variable (or, with exitOnError, prints it and exits 1).
 */
export function loadInventoryConfig({ env = process.env, overrides = {}, exitOnError = false }: {
  env?: Record<string, string | undefined>;
  overrides?: Record<string, string | undefined>;
  exitOnError?: boolean;
} = {}): InventoryConfig {
  return toConfig(loadConfig(schema, { env: { ...env, ...overrides }, exitOnError }));
}
