import { PubSub as InProcessPubSub, type PubSubEngine } from 'graphql-subscriptions';
import { RedisPubSub } from 'graphql-redis-subscriptions';
import { Redis } from 'ioredis';

export interface PubSub extends PubSubEngine {
  /** Resolves when the bus answers (Redis PING); always for the in-process bus. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Redis pub/sub when `redisUrl` is given, else an in-process bus (embedded mode: every service
 * runs in one process, so the bus reaches them all). Messages are JSON either way.
 */
export function createPubSub({ redisUrl }: { redisUrl?: string | null }): PubSub {
  if (!redisUrl) {
    const bus = new InProcessPubSub() as unknown as PubSub;
    bus.close = async () => {};
    bus.ping = async () => {};
    return bus;
  }
  const options = { maxRetriesPerRequest: null, enableAutoPipelining: true } as const;
  const publisher = new Redis(redisUrl, options);
  const subscriber = new Redis(redisUrl, options);
  const bus = new RedisPubSub({ publisher, subscriber }) as unknown as PubSub;
  bus.ping = async () => {
    await publisher.ping();
  };
  bus.close = async () => {
    await Promise.allSettled([publisher.quit(), subscriber.quit()]);
  };
  return bus;
}
