import type { Server } from 'node:http';
import type { ApolloGateway } from '@apollo/gateway';
import type { ApolloServer, BaseContext } from '@apollo/server';
import type { ValidationRule } from 'graphql';
import type { Viewer } from '@stockline/auth';
import type { PubSub } from '@stockline/events';
import type { Logger } from '@stockline/observability';
import { createGatewayEventLog } from './create-gateway-event-log.ts';
import { eventLogReader } from './event-log-reader.ts';
import { executeThroughGateway } from './execute-through-gateway.ts';
import { serveSubscriptions, type SubscriptionServer } from './serve-subscriptions.ts';
import { SUBSCRIPTION_FIELDS } from './subscription-fields.ts';
import type { SubscriptionsConfig } from './subscriptions-env.ts';

export interface AttachSubscriptionsOptions<C extends BaseContext> {
  httpServer: Server;
  apollo: ApolloServer<C>;
  gateway: ApolloGateway;
  config: { subscriptions: SubscriptionsConfig; jwtSecret: string; subgraphUrls: Record<string, string> };
  /** The gateway's one credential check (the same function HTTP requests go through). */
  authenticate: (authorization: string | undefined) => Promise<Viewer>;
  /** The context an HTTP request of `viewer` gets (hydration and socket operations run with it). */
  contextFor: (viewer: Viewer, requestId: string) => C | Promise<C>;
  /** Where revoked API keys are announced; their sockets are closed. */
  revocations?: { onPrincipalRevoked(listener: (keyId: string) => void): () => void };
  /** The platform's in-process bus on embedded defaults. */
  bus?: PubSub;
  validationRules?: readonly ValidationRule[];
  logger?: Logger;
}

/**
 * Serves the contract's subscriptions on the gateway's HTTP server (graphql-ws on /graphql), reading the
 * event log of every stream a subscription field follows from the subgraph that owns it. Call after
 * `apollo.start()` (the gateway's schema must be loaded before the first subscribe).
 */
export function attachSubscriptions<C extends BaseContext>(options: AttachSubscriptionsOptions<C>): SubscriptionServer {
  const { config, logger } = options;
  const streams = [...new Set(Object.values(SUBSCRIPTION_FIELDS).map((f) => f.stream))];
  const events = createGatewayEventLog({
    bus: options.bus,
    redisUrl: config.subscriptions.redisUrl,
    channelPrefix: config.subscriptions.eventsChannelPrefix,
    jwtSecret: config.jwtSecret,
    streamOwners: Object.fromEntries(streams.filter((s) => config.subgraphUrls[s]).map((s) => [s, config.subgraphUrls[s]])),
    onError: (err) => logger?.warn({ err }, 'event bus error'),
  });
  const server = serveSubscriptions({
    httpServer: options.httpServer,
    authenticate: options.authenticate,
    schema: () => options.gateway.schema,
    executeAsViewer: executeThroughGateway(options.apollo, options.contextFor),
    reader: eventLogReader(events.log, { onError: (err) => logger?.warn({ err }, 'event log read failed; retrying') }),
    config: config.subscriptions,
    validationRules: options.validationRules,
    logger,
  });
  const offRevoked = options.revocations?.onPrincipalRevoked((keyId) => server.closeConnections({ keyId }, 'API key revoked'));
  return {
    ...server,
    get connectionCount() {
      return server.connectionCount;
    },
    get listenerCount() {
      return server.listenerCount;
    },
    get groupCount() {
      return server.groupCount;
    },
    async close() {
      offRevoked?.();
      await server.close();
      await events.close();
    },
  };
}
