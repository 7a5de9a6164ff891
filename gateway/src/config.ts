import { commonConfig, commonEnv, configLoader, port, refuseDevSecretInProduction, z } from '@stockline/config';
import { subgraphs, urlEnv } from '@stockline/registry';
import { limitsConfig, limitsEnv } from './limits/limits-env.ts';
import { authConfig, authEnv, requireCompleteProvider } from './auth/auth-env.ts';
import { rateLimitConfig, rateLimitEnv } from './rate-limit/rate-limit-env.ts';
import { monitorConfig, monitorEnv } from './monitor/monitor-env.ts';
import { webAppConfig, webAppEnv } from './web-app/web-app-env.ts';
import { subscriptionsConfig, subscriptionsEnv } from './subscriptions/subscriptions-env.ts';

const url = z.string().url('must be an http(s):// URL');

/** `<NAME>_URL` of every subgraph in the registry (INVENTORY_URL, ORDERS_URL, …), defaulting to its registry port on loopback. */
const subgraphUrlEnv = Object.fromEntries(subgraphs().map((s) => [urlEnv(s.name), url.default(`http://127.0.0.1:${s.port}`)]));

const schema = z
  .object({
    ...commonEnv,
    PORT: port(4000),
    ...subgraphUrlEnv,
    SUPERGRAPH_PATH: z.string().optional(),
    SUBGRAPH_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
    MAX_QUERY_COST: z.coerce.number().int().min(100).default(10_000),
    ...limitsEnv,
    ...authEnv,
    ...rateLimitEnv,
    ...monitorEnv,
    ...webAppEnv,
    ...subscriptionsEnv,
    GRAPHIQL_ENABLED: z.stringbool().optional(),
    /** Pre-filled in GraphiQL's headers editor in development; never set in production. */
    GRAPHIQL_DEV_TOKEN: z.string().optional(),
  })
  .superRefine(refuseDevSecretInProduction)
  .superRefine(requireCompleteProvider);

/** Every environment variable this service reads (README's table and docker-compose are checked against it). */
export const GATEWAY_ENV = Object.keys(schema.shape);

/** The gateway's configuration, read once; `overrides` win over `env` (tests). */
export const loadGatewayConfig = configLoader(schema, (env) => ({
  ...commonConfig(env),
  port: env.PORT,
  /** Base URLs of the subgraphs (their GraphQL endpoint is <url>/graphql). */
  subgraphUrls: Object.fromEntries(subgraphs().map((s) => [s.name, (env as Record<string, unknown>)[urlEnv(s.name)] as string])) as Record<string, string>,
  supergraphPath: env.SUPERGRAPH_PATH ?? null,
  subgraphTimeoutMs: env.SUBGRAPH_TIMEOUT_MS,
  maxQueryCost: env.MAX_QUERY_COST,
  limits: limitsConfig(env),
  auth: authConfig(env),
  rateLimit: rateLimitConfig(env),
  monitor: monitorConfig(env),
  webApp: webAppConfig(env),
  subscriptions: subscriptionsConfig(env),
  graphiqlEnabled: env.GRAPHIQL_ENABLED ?? env.NODE_ENV !== 'production',
  graphiqlDevToken: env.NODE_ENV === 'production' ? null : (env.GRAPHIQL_DEV_TOKEN ?? null),
}));

export type GatewayConfig = ReturnType<typeof loadGatewayConfig>;
