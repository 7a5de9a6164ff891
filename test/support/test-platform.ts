import { randomBytes } from 'node:crypto';
import type { DestinationStream } from 'pino';
import { TEST_REDIS_URL, createTestDatabase, graphql, tokenFor } from '@stockline/testkit';
import { startPlatform } from '../../scripts/platform.ts';

/**
 * The whole platform in this test process, as `npm start` runs it, on a fresh PostgreSQL database
 * and (unless `redis: false`) real Redis under a channel prefix of its own. Ports are picked free.
 */
export async function startTestPlatform({ redis = true, env = {}, logDestination }: { redis?: boolean; env?: Record<string, string>; logDestination?: DestinationStream } = {}) {
  const database = await createTestDatabase('e2e');
  const platform = await startPlatform({
    env: {
      DATABASE_URL: database.url,
      LOG_LEVEL: 'silent',
      NODE_ENV: 'test',
      VITEST: 'true',
      RESERVATION_SWEEP_INTERVAL_MS: '250',
      ...(redis ? { REDIS_URL: TEST_REDIS_URL, EVENTS_CHANNEL_PREFIX: `test.${randomBytes(4).toString('hex')}.` } : {}),
      ...env,
    },
    ports: { gateway: 0, inventory: 0, orders: 0, access: 0, media: 0, analytics: 0 },
    logDestination,
  });
  const url = `${platform.gatewayUrl}/graphql`;
  return {
    ...platform,
    url,
    databaseUrl: database.url,
    /** A GraphQL call through the gateway as `tenant` with `roles`. */
    async as(tenant: string, roles: string[], query: string, variables?: Record<string, unknown>) {
      return graphql(url, { query, variables, token: await tokenFor(tenant, roles) });
    },
    async stop() {
      await platform.stop();
      await database.drop();
    },
  };
}

export type TestPlatform = Awaited<ReturnType<typeof startTestPlatform>>;
