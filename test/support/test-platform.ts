import { randomBytes } from 'node:crypto';
import type { DestinationStream } from 'pino';
import { TEST_REDIS_URL, createTestDatabase, graphql, tokenFor } from '@stockline/testkit';
import { startPlatform } from '../../scripts/platform.ts';

export interface TestPlatformOptions {
  /** Use real Redis under a channel prefix of this platform's own. @default true */
  redis?: boolean;
  /** Variables for every service. */
  env?: Record<string, string>;
  /** Variables for one service only, by name (e.g. orders reaching inventory through a proxy). */
  serviceEnv?: Partial<Record<string, Record<string, string>>>;
  /** Part of the database's name, to tell test files apart. @default e2e */
  label?: string;
  logDestination?: DestinationStream;
}

/**
 * The whole platform in this test process, as `npm start` runs it on embedded defaults, on a fresh
 * PostgreSQL database and (unless `redis: false`) real Redis under a channel prefix of its own.
 * Ports are picked free. The one way tests start the platform in-process.
 */
export async function startTestPlatform({ redis = true, env = {}, serviceEnv = {}, label = 'e2e', logDestination }: TestPlatformOptions = {}) {
  const database = await createTestDatabase(label);
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
    serviceEnv,
    logDestination,
  });
  const url = `${platform.gatewayUrl}/graphql`;
  return {
    ...platform,
    url,
    database,
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
