import { z } from 'zod';
import { DEV_JWT_SECRET } from '@stockline/auth';

/** A TCP port variable with a default. */
export const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

/** Variables every service reads. Each service's config.ts spreads these into its own schema. */
export const commonEnv = {
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  JWT_SECRET: z.string().min(16, 'must be at least 16 characters').default(DEV_JWT_SECRET),
  HOST: z.string().default('0.0.0.0'),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.string().url('must be an http(s):// URL').optional(),
};

/** Production must not run on the documented development secret. Use with `.superRefine`. */
export function refuseDevSecretInProduction(env: { NODE_ENV: string; JWT_SECRET: string }, ctx: z.RefinementCtx): void {
  if (env.NODE_ENV === 'production' && env.JWT_SECRET === DEV_JWT_SECRET) {
    ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: 'must be set in production (the development default is refused)' });
  }
}

/** What a data-owning service run alone (`npm start -w <workspace>`) says when it has no database. */
export const DATABASE_URL_REQUIRED =
  'is required to run this service alone: a PostgreSQL URL such as postgresql://postgres@127.0.0.1:5432/stockline (the database is created if missing; ' +
  'REDIS_URL is optional). `npm start` at the repository root runs every service without it, on embedded PostgreSQL.';

/** Variables of a service that owns data: its PostgreSQL, its event bus, its outbox and idempotency keys. */
export const dataEnv = {
  DATABASE_URL: z
    .string({ error: (issue) => (issue.input === undefined ? DATABASE_URL_REQUIRED : undefined) })
    .url('must be a postgresql:// URL'),
  /**
   * The login the tenant (request) pool connects as: a role that cannot bypass row-level security, a
   * member of stockline_app (docs/data.md#tenant-isolation, `npm run create-app-login -w @stockline/db`).
   * Unset: the request pool connects as DATABASE_URL's owner and switches to stockline_app, which SQL
   * that runs `SET ROLE NONE` escapes. Production should set it.
   */
  DATABASE_APP_URL: z.string().url('must be a postgresql:// URL').optional(),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(20),
  /** Longest a statement may run (server side, lock waits included); 0 turns the bounds off. */
  // 25 s: under the gateway's 30 s subgraph timeout with the client's 2 s grace, so a service answers SERVICE_UNAVAILABLE before the gateway gives up; a burst that queues on one row lock (300 orders on the order counter) still gets through.
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).max(3_600_000).default(25_000),
  /** Longest a transaction may sit idle between statements before the server ends its session. */
  DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: z.coerce.number().int().min(0).max(3_600_000).default(60_000),
  REDIS_URL: z.string().url('must be a redis:// URL').optional(),
  EVENTS_CHANNEL_PREFIX: z.string().default('stockline.'),
  OUTBOX_RETENTION_HOURS: z.coerce.number().int().min(24).default(168),
  IDEMPOTENCY_RETENTION_HOURS: z.coerce.number().int().min(24).default(72),
};

type Parsed<T extends z.ZodRawShape> = z.output<z.ZodObject<T>>;

/** The camelCase settings of `commonEnv`. */
export function commonConfig(env: Parsed<typeof commonEnv>) {
  return { nodeEnv: env.NODE_ENV, logLevel: env.LOG_LEVEL, jwtSecret: env.JWT_SECRET, host: env.HOST, otlpEndpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT ?? null };
}

/** How much longer than `statement_timeout` the client waits for an answer: the server's own cancel gets there first. */
export const QUERY_TIMEOUT_GRACE_MS = 2_000;

/**
 * `url` with the time bounds every connection of the service's pools gets, as connection-string
 * parameters node-postgres reads (`statement_timeout` and `idle_in_transaction_session_timeout` are
 * sent at connect, `query_timeout` is pg's client-side wait for an answer — the one that fires when the
 * link, not the server, is slow). Parameters the URL already has win; 0 adds none.
 * Without them, a request on a slow or dead database link waited as long as the link did.
 */
export function withDatabaseTimeouts(url: string, { statementTimeoutMs, idleInTransactionTimeoutMs }: { statementTimeoutMs: number; idleInTransactionTimeoutMs: number }): string {
  const parsed = new URL(url);
  // Embedded PostgreSQL (PGlite) is one session shared by every connection: no per-connection settings.
  if (parsed.searchParams.has('stockline_embedded')) return url;
  const set = (name: string, value: number) => void (value > 0 && !parsed.searchParams.has(name) && parsed.searchParams.set(name, String(value)));
  set('statement_timeout', statementTimeoutMs);
  set('query_timeout', statementTimeoutMs > 0 ? statementTimeoutMs + QUERY_TIMEOUT_GRACE_MS : 0);
  set('idle_in_transaction_session_timeout', idleInTransactionTimeoutMs);
  return parsed.toString();
}

/** The camelCase settings of `dataEnv`. */
export function dataConfig(env: Parsed<typeof dataEnv>) {
  const timeouts = { statementTimeoutMs: env.DATABASE_STATEMENT_TIMEOUT_MS, idleInTransactionTimeoutMs: env.DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS };
  return {
    /** DATABASE_URL with the statement, answer and idle-in-transaction bounds (withDatabaseTimeouts). */
    databaseUrl: withDatabaseTimeouts(env.DATABASE_URL, timeouts),
    /** DATABASE_APP_URL with the same bounds, or null: the request pool then connects as the owner. */
    databaseAppUrl: env.DATABASE_APP_URL ? withDatabaseTimeouts(env.DATABASE_APP_URL, timeouts) : null,
    ...timeouts,
    databasePoolMax: env.DATABASE_POOL_MAX,
    redisUrl: env.REDIS_URL ?? null,
    eventsChannelPrefix: env.EVENTS_CHANNEL_PREFIX,
    outboxRetentionHours: env.OUTBOX_RETENTION_HOURS,
    idempotencyRetentionHours: env.IDEMPOTENCY_RETENTION_HOURS,
  };
}

export type DataConfig = ReturnType<typeof dataConfig>;
