import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import express from 'express';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { PubSub } from '@stockline/events';
import { maskError } from '@stockline/errors';
import { REQUEST_ID_HEADER, createLogger, requestIdFrom, useRequestLogging, type Logger } from '@stockline/observability';
import { supergraphPath } from '@stockline/schema';
import { listen, useHealthChecks } from '@stockline/service';
import type { GatewayConfig } from './config.ts';
import type { GatewayContext } from './context.ts';
import { createDataSources } from './datasources/create-data-source.ts';
import { createGatewayAuth, useAuditTrail } from './auth/index.ts';
import { serveGraphiql } from './graphiql/index.ts';
import { proxyMedia } from './media/proxy-media.ts';
import { proxyAnalyticsExport } from './analytics/proxy-analytics-export.ts';
import { observeGateway } from './monitor/index.ts';
import { limitRequestBody, protectApollo, queryLimitRules, restoreRefusalCode } from './limits/index.ts';
import { attachSubscriptions, type SubscriptionServer } from './subscriptions/index.ts';
import { loadTrustedDocuments, serveWebApp, trustedDocumentsOnly } from './web-app/index.ts';

const READINESS_TIMEOUT_MS = 1_500;

/**
 * The Apollo gateway: composes the subgraphs from the checked-in supergraph (no subgraph needs to be
 * up for it to start), authenticates every operation, forwards the token and request id, serves
 * /healthz, /readyz (every subgraph ready) and /graphiql, and drains in-flight requests on stop.
 */
export async function createGatewayServer({ config, logger = createLogger({ service: 'gateway', level: config.logLevel }), bus }: { config: GatewayConfig; logger?: Logger; /** Shared in-process bus (embedded mode); else Redis from REDIS_URL. */ bus?: PubSub }) {
  const app = express();
  app.disable('x-powered-by');
  const httpServer = createServer(app);
  httpServer.keepAliveTimeout = 65_000;
  let shuttingDown = false;
  let subscriptions: SubscriptionServer | null = null;

  const supergraphSdl = readFileSync(config.supergraphPath ?? supergraphPath, 'utf8');
  const composed = subgraphNames(supergraphSdl);
  const auth = createGatewayAuth({ ...config.auth, jwtSecret: config.jwtSecret, accessUrl: composed.includes('access') ? (config.subgraphUrls.access ?? null) : null, timeoutMs: config.subgraphTimeoutMs, bus, logger });
  const dataSources = createDataSources({ timeoutMs: config.subgraphTimeoutMs, jwtSecret: config.jwtSecret });
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ name, url }) => {
      const base = config.subgraphUrls[name];
      return dataSources.create(base ? `${base}/graphql` : url!, name);
    },
  });
  const observability = observeGateway({ app, monitorConfig: config.monitor, logger, authenticate: auth.authenticate, targets: Object.fromEntries(Object.entries(config.subgraphUrls).filter(([name]) => composed.includes(name))) });
  const { plugins: protection, ...protectionOptions } = protectApollo<GatewayContext>({
    limits: config.limits,
    maxCost: config.maxQueryCost,
    production: config.nodeEnv === 'production',
    rateLimit: config.rateLimit,
    onStoreError: (err) => logger.warn({ err }, 'rate limit store failed; serving without limiting'),
    onRateLimited: observability.onRateLimited,
  });
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    ...protectionOptions,
    formatError: restoreRefusalCode(maskError({ expose: config.nodeEnv === 'development', onMasked: (f, e) => logger.error({ err: e, path: f.path }, 'unexpected error') })),
    includeStacktraceInErrorResponses: config.nodeEnv === 'development',
    // Our entry points own SIGTERM/SIGINT: stop everything in order, then exit 0. Apollo's own handler
    // would re-raise the signal and kill the process mid-shutdown.
    stopOnTerminationSignals: false,
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer }), ApolloServerPluginLandingPageDisabled(), useRequestLogging<GatewayContext>(logger), observability.plugin, ...protection, ...(auth.access ? [useAuditTrail<GatewayContext>({ access: auth.access, logger })] : [])],
  });

  useHealthChecks(app, {
    isShuttingDown: () => shuttingDown,
    checks: Object.entries(config.subgraphUrls).filter(([name]) => composed.includes(name)).map(([name, base]) => [
      name,
      async () => {
        const response = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(READINESS_TIMEOUT_MS) });
        if (!response.ok) throw new Error(`${name} /readyz answered ${response.status}`);
      },
    ]),
  });
  if (config.subgraphUrls.media) app.use('/media', proxyMedia({ target: config.subgraphUrls.media }));
  if (config.subgraphUrls.analytics) app.use('/analytics/export', proxyAnalyticsExport({ target: config.subgraphUrls.analytics, authenticate: auth.authenticate, jwtSecret: config.jwtSecret }));
  if (config.webApp.enabled) app.use('/app', serveWebApp({ devToken: config.graphiqlDevToken }));
  const trustedDocuments = config.webApp.trustedDocumentsOnly ? trustedDocumentsOnly(loadTrustedDocuments(config.webApp.manifestPath ?? undefined)) : null;
  if (config.graphiqlEnabled) {
    const defaultHeaders = config.graphiqlDevToken ? { Authorization: `Bearer ${config.graphiqlDevToken}` } : undefined;
    app.use('/graphiql', serveGraphiql({ defaultHeaders }));
  }

  return {
    app,
    httpServer,
    /** Authentication: `authenticate` (HTTP and WebSocket) and `revocations.onPrincipalRevoked`. */
    auth,
    /** graphql-ws on /graphql (null until started). */
    get subscriptions() {
      return subscriptions;
    },
    async start(port = config.port, host = config.host) {
      await auth.start();
      await apollo.start();
      app.use(
        '/graphql',
        (req, res, next) => {
          // One id per request, echoed to the client and forwarded to every subgraph call.
          res.locals.requestId = requestIdFrom(req.headers[REQUEST_ID_HEADER]);
          res.setHeader(REQUEST_ID_HEADER, res.locals.requestId);
          next();
        },
        limitRequestBody({ maxBytes: config.limits.maxRequestBytes, maxTokens: config.limits.maxTokens }),
        ...(trustedDocuments ? [trustedDocuments] : []),
        expressMiddleware(apollo, {
          context: async ({ req, res }) => {
            const requestId = res.locals.requestId as string;
            const viewer = await auth.authenticate(req.headers.authorization);
            return { viewer, token: viewer.token, requestId };
          },
        }),
      );
      subscriptions = attachSubscriptions({
        httpServer, apollo, gateway, config, bus, logger, authenticate: auth.authenticate, revocations: auth.revocations,
        contextFor: (viewer, requestId) => ({ viewer, token: viewer.token, requestId }),
        validationRules: queryLimitRules(config.limits),
      });
      const bound = await listen(httpServer, port, host);
      logger.info({ port: bound }, 'gateway listening');
      observability.start();
      return bound;
    },
    async stop() {
      shuttingDown = true;
      await subscriptions?.close();
      await apollo.stop();
      await dataSources.close();
      await observability.stop();
      await auth.close();
      logger.info('gateway stopped');
    },
  };
}

export type GatewayServer = Awaited<ReturnType<typeof createGatewayServer>>;

/** The subgraph names a supergraph composes (its @join__graph declarations). */
function subgraphNames(supergraphSdl: string): string[] {
  return [...supergraphSdl.matchAll(/@join__graph\(name: "([^"]+)"/g)].map((m) => m[1]);
}
