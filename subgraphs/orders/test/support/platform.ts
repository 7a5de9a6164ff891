import { createTestDatabase, type TestDatabase } from '@stockline/testkit';
import { loadInventoryConfig } from '../../../inventory/src/config.ts';
import { createInventoryServer, type InventoryServer } from '../../../inventory/src/server.ts';
import { loadOrdersConfig } from '../../src/config.ts';
import { createOrdersServer, type OrdersServer } from '../../src/server.ts';

export interface Platform {
  database: TestDatabase;
  inventory: InventoryServer;
  orders: OrdersServer;
  inventoryBaseUrl: string;
  inventoryUrl: string;
  ordersUrl: string;
  stop(): Promise<void>;
}

/**
 * A fresh database with the inventory and orders subgraphs running in-process on free ports,
 * orders calling inventory over real HTTP. `ordersOverrides` are orders' environment variables.
 */
export async function startPlatform(label: string, { ordersOverrides = {} }: { ordersOverrides?: Record<string, string> } = {}): Promise<Platform> {
  const database = await createTestDatabase(label);
  const inventory = await createInventoryServer({
    config: loadInventoryConfig({ overrides: { DATABASE_URL: database.url, LOG_LEVEL: 'silent', NODE_ENV: 'test' } }),
  });
  const inventoryPort = await inventory.start(0, '127.0.0.1');
  const inventoryBaseUrl = `http://127.0.0.1:${inventoryPort}`;
  const orders = await createOrdersServer({
    config: loadOrdersConfig({
      overrides: { DATABASE_URL: database.url, LOG_LEVEL: 'silent', NODE_ENV: 'test', INVENTORY_URL: inventoryBaseUrl, ...ordersOverrides },
    }),
  });
  const ordersPort = await orders.start(0, '127.0.0.1');
  return {
    database,
    inventory,
    orders,
    inventoryBaseUrl,
    inventoryUrl: `${inventoryBaseUrl}/graphql`,
    ordersUrl: `http://127.0.0.1:${ordersPort}/graphql`,
    async stop() {
      await orders.stop();
      await inventory.stop();
      await database.drop();
    },
  };
}
