import { randomBytes } from 'node:crypto';
import { createTestDatabase, TEST_REDIS_URL, type TestDatabase } from '@stockline/testkit';
import { loadGatewayConfig } from '../../../../gateway/src/config.ts';
import { createGatewayServer, type GatewayServer } from '../../../../gateway/src/server.ts';
import { loadInventoryConfig } from '../../../inventory/src/config.ts';
import { createInventoryServer, type InventoryServer } from '../../../inventory/src/server.ts';
import { loadAnalyticsConfig } from '../../src/config.ts';
import { createAnalyticsServer, type AnalyticsServer } from '../../src/server.ts';

export interface AnalyticsPlatform {
  database: TestDatabase;
  inventory: InventoryServer;
  analytics: AnalyticsServer | null;
  gateway: GatewayServer | null;
  inventoryUrl: string;
  analyticsUrl: string | null;
  /** The gateway's origin (its /graphql and the CSV export proxy under /analytics/export). */
  gatewayOrigin: string | null;
  /** The Redis channel prefix of this platform's events (unique per test file). */
  channelPrefix: string;
  stop(): Promise<void>;
}

/**
 * A fresh database with inventory publishing on Redis (a prefix of its own), the analytics subgraph
 * in-process on an in-memory DuckDB fed from inventory's event log over HTTP, and the gateway in
 * front of both. `analytics: false` leaves analytics out (a test runs it as its own OS process).
 */
export async function startAnalyticsPlatform(label: string, { analytics: withAnalytics = true } = {}): Promise<AnalyticsPlatform> {
  const database = await createTestDatabase(label);
  const channelPrefix = `test.${label}.${randomBytes(3).toString('hex')}.`;
  const events = { REDIS_URL: TEST_REDIS_URL, EVENTS_CHANNEL_PREFIX: channelPrefix };
  const inventory = await createInventoryServer({
    config: loadInventoryConfig({ env: {}, overrides: { DATABASE_URL: database.url, LOG_LEVEL: 'silent', NODE_ENV: 'test', ...events } }),
  });
  const inventoryUrl = `http://127.0.0.1:${await inventory.start(0, '127.0.0.1')}`;
  let analytics: AnalyticsServer | null = null;
  let analyticsUrl: string | null = null;
  let gateway: GatewayServer | null = null;
  let gatewayOrigin: string | null = null;
  if (withAnalytics) {
    analytics = await createAnalyticsServer({
      config: loadAnalyticsConfig({ env: {}, overrides: { LOG_LEVEL: 'silent', NODE_ENV: 'test', ANALYTICS_DB_PATH: ':memory:', INVENTORY_URL: inventoryUrl, ...events } }),
    });
    analyticsUrl = `http://127.0.0.1:${await analytics.start(0, '127.0.0.1')}`;
    gateway = await createGatewayServer({
      config: loadGatewayConfig({ env: {}, overrides: { LOG_LEVEL: 'silent', NODE_ENV: 'test', INVENTORY_URL: inventoryUrl, ANALYTICS_URL: analyticsUrl } }),
    });
    gatewayOrigin = `http://127.0.0.1:${await gateway.start(0, '127.0.0.1')}`;
  }
  return {
    database,
    inventory,
    analytics,
    gateway,
    inventoryUrl,
    analyticsUrl,
    gatewayOrigin,
    channelPrefix,
    async stop() {
      await gateway?.stop();
      await analytics?.stop();
      await inventory.stop();
      await database.drop();
    },
  };
}
