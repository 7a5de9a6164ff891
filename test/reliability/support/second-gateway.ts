import { createLogger } from '@stockline/observability';
import { loadGatewayConfig } from '../../../gateway/src/config.ts';
import { createGatewayServer } from '../../../gateway/src/server.ts';
import type { TestPlatform } from '../../support/test-platform.ts';

/** Another gateway instance in front of the same subgraphs (as a second replica behind a load balancer). */
export async function startSecondGateway(platform: TestPlatform, env: Record<string, string> = {}) {
  const server = await createGatewayServer({
    config: loadGatewayConfig({
      env: { NODE_ENV: 'test', VITEST: 'true', ...env },
      overrides: {
        HOST: '127.0.0.1', PORT: '0',
        INVENTORY_URL: platform.inventoryUrl, ORDERS_URL: platform.ordersUrl, ACCESS_URL: platform.accessUrl,
        MEDIA_URL: platform.mediaUrl, ANALYTICS_URL: platform.analyticsUrl,
      },
    }),
    logger: createLogger({ service: 'gateway-2', level: 'silent' }),
  });
  const port = await server.start();
  return { url: `http://127.0.0.1:${port}/graphql`, stop: () => server.stop() };
}
