import { createTestDatabase, type TestDatabase } from '@stockline/testkit';
import { loadGatewayConfig } from '../../../../gateway/src/config.ts';
import { createGatewayServer, type GatewayServer } from '../../../../gateway/src/server.ts';
import { loadInventoryConfig } from '../../../inventory/src/config.ts';
import { createInventoryServer, type InventoryServer } from '../../../inventory/src/server.ts';
import { loadOrdersConfig } from '../../src/config.ts';
import { createOrdersServer, type OrdersServer } from '../../src/server.ts';

export interface Platform {
  database: TestDatabase;
  inventory: InventoryServer;
  orders: OrdersServer;
  gateway: GatewayServer;
  inventoryBaseUrl: string;
  /** The gateway's /graphql: every test call goes through it, as a client's would. */
  gatewayUrl: string;
  /** The orders subgraph's own /graphql, for the few checks that must bypass the gateway. */
  ordersSubgraphUrl: string;
  stop(): Promise<void>;
}

/**
 * A fresh database with inventory, orders and the gateway running in-process on free ports,
 * orders calling inventory over real HTTP. `ordersOverrides` are orders' environment variables.
 */
export async function startPlatform(label: string, { ordersOverrides = {} }: { ordersOverrides?: Record<string, string> } = {}): Promise<Platform> {
  const database = await createTestDatabase(label);
  const inventory = await createInventoryServer({
    config: loadInventoryConfig({ env: {}, overrides: { DATABASE_URL: database.url, LOG_LEVEL: 'silent', NODE_ENV: 'test' } }),
  });
  const inventoryPort = await inventory.start(0, '127.0.0.1');
  const inventoryBaseUrl = `http://127.0.0.1:${inventoryPort}`;
  const orders = await createOrdersServer({
    config: loadOrdersConfig({
      env: {},
      overrides: { DATABASE_URL: database.url, LOG_LEVEL: 'silent', NODE_ENV: 'test', INVENTORY_URL: inventoryBaseUrl, ...ordersOverrides },
    }),
  });
  const ordersBaseUrl = `http://127.0.0.1:${await orders.start(0, '127.0.0.1')}`;
  const gateway = await createGatewayServer({
    config: loadGatewayConfig({ env: {}, overrides: { LOG_LEVEL: 'silent', NODE_ENV: 'test', INVENTORY_URL: inventoryBaseUrl, ORDERS_URL: ordersBaseUrl } }),
  });
  const gatewayPort = await gateway.start(0, '127.0.0.1');
  return {
    database,
    inventory,
    orders,
    gateway,
    inventoryBaseUrl,
    gatewayUrl: `http://127.0.0.1:${gatewayPort}/graphql`,
    ordersSubgraphUrl: `${ordersBaseUrl}/graphql`,
    async stop() {
      await gateway.stop();
      await orders.stop();
      await inventory.stop();
      await database.drop();
    },
  };
}
