import { z } from '@stockline/config';

const positive = (fallback: number) => z.coerce.number().int().min(1).default(fallback);

/** Gateway variables of the graphql-ws endpoint (spread into the gateway's config schema). */
export const subscriptionsEnv = {
  /** Live events come from Redis when set; without it the gateway polls the subgraphs' event log (or shares the platform's in-process bus). */
  REDIS_URL: z.string().url('must be a redis:// URL').optional(),
  EVENTS_CHANNEL_PREFIX: z.string().default('stockline.'),
  WS_PING_INTERVAL_MS: positive(5_000),
  WS_PONG_GRACE_MS: positive(600_000),
  WS_INIT_TIMEOUT_MS: positive(5_000),
  WS_MAX_SUBSCRIPTIONS_PER_CONNECTION: positive(100),
  WS_MAX_CONNECTIONS_PER_TENANT: positive(20_000),
  WS_MAX_BUFFERED_BYTES: positive(4 * 1024 * 1024),
  WS_MAX_QUEUED_EVENTS: positive(1_000),
  WS_REPLAY_BUFFER_EVENTS: positive(1_000),
};

type SubscriptionsEnv = z.output<z.ZodObject<typeof subscriptionsEnv>>;

/** The camelCase settings of `subscriptionsEnv`. */
export function subscriptionsConfig(env: SubscriptionsEnv) {
  return {
    redisUrl: env.REDIS_URL ?? null,
    eventsChannelPrefix: env.EVENTS_CHANNEL_PREFIX,
    /** The server pings every socket this often. */
    pingIntervalMs: env.WS_PING_INTERVAL_MS,
    /** A socket that answered no ping for this long is terminated. */
    pongGraceMs: env.WS_PONG_GRACE_MS,
    /** A socket that sent no connection_init within this is closed with 4408. */
    initTimeoutMs: env.WS_INIT_TIMEOUT_MS,
    maxSubscriptionsPerConnection: env.WS_MAX_SUBSCRIPTIONS_PER_CONNECTION,
    maxConnectionsPerTenant: env.WS_MAX_CONNECTIONS_PER_TENANT,
    /** A socket whose unsent bytes exceed this is a slow consumer and is closed with 4413. */
    maxBufferedBytes: env.WS_MAX_BUFFERED_BYTES,
    /**
     * Results waiting for one subscription's socket to take them (graphql-ws sends one at a time and
     * waits for each to be written, so a client that stops reading holds them here, not in the socket):
     * beyond this the subscription ends with SLOW_CONSUMER and the socket is closed with 4413.
     */
    maxQueuedEvents: env.WS_MAX_QUEUED_EVENTS,
    /** Recent events kept per (stream, tenant) so a quick resume needs no read of the log. */
    replayBufferEvents: env.WS_REPLAY_BUFFER_EVENTS,
  };
}

export type SubscriptionsConfig = ReturnType<typeof subscriptionsConfig>;
