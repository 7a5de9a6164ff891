import { createServer, type Server } from 'node:http';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { DocumentNode } from 'graphql';
import { bearerToken, verifyToken, type Viewer } from '@stockline/auth';
// The scope alone, not @stockline/db's index: a subgraph without PostgreSQL must not load pg.
import { withTenant } from '@stockline/db/tenant-scope';
import { maskError } from '@stockline/errors';
import { REQUEST_ID_HEADER, metricsFor, requestIdFrom, serveMetrics, startTracing, traceRequests, useMetrics, useRequestLogging, type Logger } from '@stockline/observability';
import { useHealthChecks, type ReadinessCheck } from './use-health-checks.ts';
import { listen } from './listen.ts';

const CHECK_VIOLATION = '23514';

/** What every subgraph's context has: the verified caller, the request id and a child logger. */
export interface BaseContext {
  viewer: Viewer;
  requestId: string;
  log: Logger;
}

export interface SubgraphServiceOptions<C extends BaseContext> {
  name: string;
  typeDefs: DocumentNode;
  /** Resolver map; typed loosely because federation adds __resolveReference. */
  resolvers: Record<string, any>;
  jwtSecret: string;
  logger: Logger;
  /** Expose error details and stack traces. @default false */
  exposeErrors?: boolean;
  /** Adds the service's own per-request parts (DataLoaders, services) to the base context. */
  buildContext: (base: BaseContext, req: Request) => C | Promise<C>;
  readiness: ReadinessCheck[];
  /** Extra routes (internal APIs), mounted before /graphql. */
  routes?: (app: Express) => void;
  plugins?: ApolloServerPlugin<C>[];
  /** OTLP endpoint (OTEL_EXPORTER_OTLP_ENDPOINT); spans are exported when set. @default off */
  otlpEndpoint?: string | null;
  /** Called after the HTTP server has stopped accepting and drained; close pools here. */
  onStop?: () => Promise<void>;
}

export interface SubgraphService {
  app: Express;
  httpServer: Server;
  /** Starts Apollo and listens; resolves with the bound port. */
  listen(port: number, host?: string): Promise<number>;
  /** Stops accepting, finishes in-flight requests, then runs onStop. Idempotent. */
  stop(): Promise<void>;
}

/**
 * An Apollo subgraph on Express with bearer-token auth on every operation, request ids in logs,
 * /healthz, /readyz and /metrics (Prometheus), masked errors and graceful shutdown.
 */
export function createSubgraphService<C extends BaseContext>(options: SubgraphServiceOptions<C>): SubgraphService {
  const { name, typeDefs, resolvers, jwtSecret, logger, exposeErrors = false } = options;
  const app = express();
  app.disable('x-powered-by');
  const httpServer = createServer(app);
  httpServer.keepAliveTimeout = 65_000;
  let shuttingDown = false;
  let started = false;
  let stopping: Promise<void> | null = null;
  const metrics = metricsFor(name);
  startTracing({ endpoint: options.otlpEndpoint, serviceName: name });

  const apollo = new ApolloServer<C>({
    schema: buildSubgraphSchema({ typeDefs, resolvers }),
    formatError: maskError({
      expose: exposeErrors,
      onMasked: (f, e) => {
        // 23514: a CHECK constraint refused a write — a stock invariant the domain should have kept.
        if ((e as { originalError?: { code?: string } })?.originalError?.code === CHECK_VIOLATION) metrics.stockInvariantViolations.inc();
        logger.error({ err: e, path: f.path }, 'unexpected error');
      },
    }),
    includeStacktraceInErrorResponses: exposeErrors,
    // Our entry points own SIGTERM/SIGINT: stop everything in order, then exit 0. Apollo's own handler
    // would re-raise the signal and kill the process mid-shutdown.
    stopOnTerminationSignals: false,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
      useRequestLogging<C>(logger),
      useMetrics<C>(metrics),
      ...(options.plugins ?? []),
    ],
  });

  useHealthChecks(app, { checks: options.readiness, isShuttingDown: () => shuttingDown });
  serveMetrics(app, metrics);
  options.routes?.(app);

  return {
    app,
    httpServer,
    async listen(port, host) {
      await apollo.start();
      started = true;
      app.use(
        '/graphql',
        traceRequests(name),
        express.json({ limit: '10mb' }),
        // The request runs in its tenant's scope: every query it makes, whatever its WHERE says, sees
        // only that tenant's rows (row-level security, docs/data.md#tenant-isolation).
        async (req: Request, res: Response, next: NextFunction) => {
          const verified = verifyToken(bearerToken(req.headers.authorization), jwtSecret);
          res.locals.viewer = verified;
          const viewer = await verified.catch(() => null);
          if (viewer) withTenant(viewer.tenantId, next);
          else next(); // the context below answers the credential's error
        },
        expressMiddleware(apollo, {
          context: async ({ req, res }) => {
            const requestId = requestIdFrom(req.headers[REQUEST_ID_HEADER]);
            const viewer = await (res.locals.viewer as Promise<Viewer>);
            const log = logger.child({ requestId, tenant: viewer.tenantId });
            return options.buildContext({ viewer, requestId, log }, req);
          },
        }),
      );
      const bound = await listen(httpServer, port, host);
      logger.info({ port: bound }, `${name} subgraph listening`);
      return bound;
    },
    stop() {
      stopping ??= (async () => {
        shuttingDown = true;
        // Stopping Apollo also closes the HTTP server after draining in-flight requests.
        if (started) await apollo.stop();
        await options.onStop?.();
        logger.info(`${name} subgraph stopped`);
      })();
      return stopping;
    },
  };
}
