import type { TestDatabase } from '@stockline/testkit';
import { startTestPlatform } from '../../../../test/support/test-platform.ts';

export interface Platform {
  database: TestDatabase;
  inventoryBaseUrl: string;
  /** The gateway's /graphql: every test call goes through it, as a client's would. */
  gatewayUrl: string;
  /** The orders subgraph's own /graphql, for the few checks that must bypass the gateway. */
  ordersSubgraphUrl: string;
  stop(): Promise<void>;
}

/** Variables that configure the event bus, which every service of the platform shares. */
const BUS_ENV = ['REDIS_URL', 'EVENTS_CHANNEL_PREFIX'];

/**
 * The platform (test/support/test-platform.ts) on a fresh database, orders calling inventory over
 * real HTTP. `ordersOverrides` are orders' own variables (INVENTORY_URL through a proxy, saga
 * timings); REDIS_URL and EVENTS_CHANNEL_PREFIX among them configure the bus of the whole platform.
 */
export async function startPlatform(label: string, { ordersOverrides = {} }: { ordersOverrides?: Record<string, string> } = {}): Promise<Platform> {
  const bus = Object.fromEntries(Object.entries(ordersOverrides).filter(([name]) => BUS_ENV.includes(name)));
  const orders = Object.fromEntries(Object.entries(ordersOverrides).filter(([name]) => !BUS_ENV.includes(name)));
  const platform = await startTestPlatform({ label, redis: false, env: bus, serviceEnv: { orders } });
  return {
    database: platform.database,
    inventoryBaseUrl: platform.inventoryUrl,
    gatewayUrl: platform.url,
    ordersSubgraphUrl: `${platform.ordersUrl}/graphql`,
    stop: () => platform.stop(),
  };
}
