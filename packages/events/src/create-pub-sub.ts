import { PubSub as InProcessPubSub, type PubSubEngine } from 'graphql-subscriptions';
import { RedisPubSub } from 'graphql-redis-subscriptions';
import { Redis } from 'ioredis';

export interface PubSub extends PubSubEngine {
  /** Resolves when the bus answers (Redis PING); always for the in-process bus. */
  ping(): Promise<void>;
  close(): Promise<void>;
  /** Calls `listener` after the bus reconnected (messages published meanwhile were lost). Returns the unsubscribe. */
  onReconnect?(listener: () => void): () => void;
}

/**
 * Redis pub/sub when `redisUrl` is given, else an in-process bus (embedded mode: every service
 * runs in one process, so the bus reaches them all). Messages are JSON either way.
 */
export function createPubSub({ redisUrl, onError }: { redisUrl?: string | null; onError?: (error: Error) => void }): PubSub {
  if (!redisUrl) {
    const bus = new InProcessPubSub() as unknown as PubSub;
    bus.close = async () => {};
    bus.ping = async () => {};
    return bus;
  }
  const options = { maxRetriesPerRequest: null, enableAutoPipelining: true } as const;
  const publisher = new Redis(redisUrl, options);
  const subscriber = new Redis(redisUrl, options);
  // ioredis reconnects by itself; a lost connection is reported once here, not as an unhandled event.
  let reported = false;
  for (const client of [publisher, subscriber]) {
    client.on('error', (error) => {
      if (!reported) onError?.(error);
      reported = true;
    });
    client.on('ready', () => (reported = false));
  }
  // RedisPubSub drops the promises of its UNSUBSCRIBE calls; one still pending when the bus closes
  // would reject unhandled ("Connection is closed"). Nothing is left to unsubscribe from then.
  for (const method of ['unsubscribe', 'punsubscribe'] as const) {
    const raw = subscriber[method].bind(subscriber) as (...args: unknown[]) => Promise<unknown>;
    (subscriber as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
      const pending = raw(...args);
      pending.catch(() => {});
      return pending;
    };
  }
  const bus = new RedisPubSub({ publisher, subscriber }) as unknown as PubSub;
  bus.ping = async () => {
    await publisher.ping();
  };
  bus.close = async () => {
    await Promise.allSettled([publisher.quit(), subscriber.quit()]);
  };
  // ioredis resubscribes by itself after a reconnect; whatever was published meanwhile is gone, so
  // the event log catches up from the durable replay when told.
  let connectedOnce = false;
  const reconnectListeners = new Set<() => void>();
  subscriber.on('ready', () => {
    if (connectedOnce) reconnectListeners.forEach((l) => l());
    connectedOnce = true;
  });
  bus.onReconnect = (listener) => {
    reconnectListeners.add(listener);
    return () => reconnectListeners.delete(listener);
  };
  return bus;
}
