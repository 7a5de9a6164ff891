import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { GraphQLError, getOperationAST, parse, specifiedRules, validate, type DocumentNode, type ExecutionArgs, type GraphQLSchema, type ValidationRule } from 'graphql';
import { useServer, type Extra } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { Viewer } from '@stockline/auth';
import { metricsFor, type Logger } from '@stockline/observability';
import { CloseCode } from './close-code.ts';
import { ConnectionRegistry, type Connection } from './connection-registry.ts';
import { EventHub } from './event-hub.ts';
import type { StreamReader } from './event-feed.ts';
import type { ExecuteAsViewer } from './hydration-group.ts';
import { prepareSubscription, type PreparedSubscription } from './prepare-subscription.ts';
import { SubscriptionService } from './subscription-service.ts';
import type { SubscriptionsConfig } from './subscriptions-env.ts';
import { closeSlow, useLiveness } from './use-liveness.ts';

/** A close reason is at most 123 bytes (RFC 6455). */
const MAX_REASON = 120;

export interface ServeSubscriptionsOptions {
  httpServer: Server;
  /** @default '/graphql' */
  path?: string;
  /** The same credential check as HTTP: `Authorization` value in, principal out, UNAUTHENTICATED otherwise. */
  authenticate: (authorization: string | undefined) => Promise<Viewer>;
  /** The gateway's API schema (null until the gateway has loaded). */
  schema: () => GraphQLSchema | null | undefined;
  /** Runs a query or mutation through the gateway as a viewer (hydration, and operations sent over the socket). */
  executeAsViewer: ExecuteAsViewer;
  reader: StreamReader;
  config: SubscriptionsConfig;
  /** Extra validation rules (the gateway's query limits). */
  validationRules?: readonly ValidationRule[];
  logger?: Logger;
}

type ConnectionExtra = Extra & { connection?: Connection };
type OperationContext = { viewer: Viewer; socket: Extra['socket']; prepared?: PreparedSubscription; query: string };

/**
 * graphql-ws on the HTTP server's `path` (beside Apollo's HTTP handler on the same path): authenticates
 * connection_init like an HTTP request, serves the contract's subscriptions from the event log through
 * `SubscriptionService`, and queries and mutations sent over the socket through the gateway.
 */
export function serveSubscriptions(options: ServeSubscriptionsOptions) {
  const { httpServer, path = '/graphql', authenticate, config, logger } = options;
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 1024 * 1024 });
  const hub = new EventHub({ reader: options.reader, bufferSize: config.replayBufferEvents, onError: (err) => logger?.warn({ err }, 'event log read failed; retrying') });
  const service = new SubscriptionService({ hub, executeAsViewer: options.executeAsViewer, maxQueuedResults: config.maxQueuedEvents });
  const connections = new ConnectionRegistry({ maxConnectionsPerTenant: config.maxConnectionsPerTenant });
  const rules = [...specifiedRules, ...(options.validationRules ?? [])];
  let closing = false;

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (new URL(request.url ?? '/', 'http://localhost').pathname !== path) return;
    if (closing) return void socket.destroy();
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  };
  httpServer.on('upgrade', onUpgrade);
  const metrics = metricsFor('gateway');
  const stopLiveness = useLiveness(wss, { ...config, onDead: () => metrics.websocketHeartbeatFailures.inc() });

  const server = useServer<Record<string, unknown>, { connection: Connection }>(
    {
      connectionInitWaitTimeout: config.initTimeoutMs,
      onConnect: async (ctx) => {
        const extra = ctx.extra as ConnectionExtra;
        const params = ctx.connectionParams ?? {};
        const authorization = params.authorization ?? params.Authorization;
        let viewer: Viewer;
        try {
          viewer = await authenticate(typeof authorization === 'string' ? authorization : undefined);
        } catch (error) {
          extra.socket.close(CloseCode.Forbidden, reason(`Forbidden: ${(error as Error).message}`));
          return false;
        }
        const connection = connections.add(extra.socket, viewer);
        if (!connection) return false;
        extra.connection = connection;
        metrics.websocketConnections.inc();
        return true;
      },
      onClose: (ctx) => {
        const { connection } = ctx.extra as ConnectionExtra;
        if (!connection) return;
        connections.remove(connection);
        metrics.websocketConnections.dec();
      },
      onSubscribe: async (ctx, _id, payload) => {
        const { connection, socket } = ctx.extra as ConnectionExtra;
        const schema = options.schema();
        if (!connection || !schema) return [new GraphQLError('The gateway is not ready', { extensions: { code: 'SERVICE_UNAVAILABLE' } })];
        let document: DocumentNode;
        try {
          document = parse(payload.query);
        } catch (error) {
          return [error as GraphQLError];
        }
        const errors = validate(schema, document, rules);
        if (errors.length > 0) return errors;
        const operation = getOperationAST(document, payload.operationName);
        if (!operation) return [new GraphQLError('Unable to identify the operation: give operationName', { extensions: { code: 'BAD_USER_INPUT' } })];
        const args: ExecutionArgs = { schema, document, operationName: payload.operationName, variableValues: payload.variables };
        const contextValue: OperationContext = { viewer: connection.viewer, socket, query: payload.query };
        if (operation.operation !== 'subscription') return { ...args, contextValue };
        // graphql-ws has already counted this one.
        if (Object.keys(ctx.subscriptions).length > config.maxSubscriptionsPerConnection) {
          return [new GraphQLError(`Too many subscriptions on this connection (limit ${config.maxSubscriptionsPerConnection})`, { extensions: { code: 'LIMIT_EXCEEDED' } })];
        }
        try {
          const { viewer } = connection;
          contextValue.prepared = prepareSubscription({ schema, document, operationName: payload.operationName, variables: payload.variables, tenantId: viewer.tenantId, scopes: viewer.scopes ?? [] });
        } catch (error) {
          if (error instanceof GraphQLError) return [error];
          throw error;
        }
        return { ...args, contextValue };
      },
      subscribe: (args) => {
        const { prepared, viewer, socket } = args.contextValue as OperationContext;
        metrics.subscriptions.inc();
        return service.open(prepared!, viewer, args.schema, { onSlow: () => closeSlow(socket), onEnd: () => metrics.subscriptions.dec() });
      },
      execute: (args) => {
        const { viewer, query } = args.contextValue as OperationContext;
        return options.executeAsViewer({ query, variables: (args.variableValues ?? {}) as Record<string, unknown>, operationName: args.operationName ?? undefined }, viewer);
      },
    },
    wss,
    0, // liveness is ours: one timer for every socket, a grace much longer than the ping interval
  );

  return {
    /** Authenticated connections on this instance. */
    get connectionCount() {
      return connections.size;
    },
    /** Subscribers whose starting point is fixed (they will receive every later event). */
    get listenerCount() {
      return hub.listenerCount;
    },
    get groupCount() {
      return service.groupCount;
    },
    /** Closes (4403) the sockets of a revoked API key, a user or a tenant on this instance; returns how many. */
    closeConnections: (match: { keyId?: string; userId?: string; tenantId?: string }, why?: string) => connections.closeWhere(match, why),
    /** Closes every socket with 1001 (clients reconnect elsewhere and resume with `after`) and stops reading events. */
    async close() {
      closing = true;
      httpServer.off('upgrade', onUpgrade);
      stopLiveness();
      await server.dispose();
      hub.close();
    },
  };
}

export type SubscriptionServer = ReturnType<typeof serveSubscriptions>;

function reason(text: string): string {
  let short = text;
  while (Buffer.byteLength(short) > MAX_REASON) short = short.slice(0, -2);
  return short;
}
