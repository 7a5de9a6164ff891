import { EventLog, createHttpEventSource, createPubSub, serviceToken, type PubSub } from '@stockline/events';

export interface GatewayEventLogOptions {
  /** The platform's bus when the gateway shares a process with the services (embedded defaults). */
  bus?: PubSub;
  redisUrl: string | null;
  channelPrefix: string;
  jwtSecret: string;
  /** Base URL of each stream's owner (the stream is named after the subgraph). */
  streamOwners: Record<string, string>;
  onError?: (error: unknown) => void;
}

/**
 * The event log as the gateway reads it: live notifications from Redis (or the shared in-process bus),
 * replay from each owning subgraph's internal event API with a `service` token. The gateway never reads
 * another service's tables.
 */
export function createGatewayEventLog({ bus, redisUrl, channelPrefix, jwtSecret, streamOwners, onError }: GatewayEventLogOptions) {
  const ownBus = bus ?? createPubSub({ redisUrl, onError });
  const token = serviceToken({ jwtSecret, sub: 'gateway' });
  const sources = Object.fromEntries(Object.entries(streamOwners).map(([stream, baseUrl]) => [stream, createHttpEventSource({ baseUrl, token })]));
  const log = new EventLog({ bus: ownBus, channelPrefix, sources });
  return {
    log,
    async close() {
      // Closing our own connections ends their subscriptions; `log.close()` first would leave its
      // unsubscribe in flight while the connection quits ("Connection is closed", unhandled).
      if (bus) return log.close();
      const subscriber = (ownBus as { getSubscriber?: () => { unsubscribe(): Promise<unknown> } }).getSubscriber?.();
      await subscriber?.unsubscribe().catch(() => {});
      await ownBus.close();
    },
  };
}
