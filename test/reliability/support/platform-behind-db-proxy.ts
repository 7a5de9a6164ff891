import { randomBytes } from 'node:crypto';
import type { DestinationStream } from 'pino';
import { TEST_REDIS_URL, createTestDatabase, graphql, tokenFor } from '@stockline/testkit';
import { startPlatform } from '../../../scripts/platform.ts';
import { startFaultProxy, type FaultProxy } from './fault-proxy.ts';

/**
 * The platform in this process (as `startTestPlatform` starts it) on a fresh database, every service
 * reaching PostgreSQL through a fault proxy the test switches: `proxy.mode = 'refuse'; proxy.cut()` is
 * a database that went away, `proxy.latencyMs = 2000` a slow link. `databaseUrl` is the direct URL
 * (for the test's own checks, which must not go through the fault).
 */
export async function startPlatformBehindDbProxy({ label, env = {}, logDestination }: { label: string; env?: Record<string, string>; logDestination?: DestinationStream }) {
  const database = await createTestDatabase(label);
  const direct = new URL(database.url);
  const proxy: FaultProxy = await startFaultProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
  const proxied = new URL(database.url);
  proxied.hostname = proxy.host;
  proxied.port = String(proxy.port);
  const platformEnv: Record<string, string> = {
    DATABASE_URL: proxied.toString(),
    LOG_LEVEL: 'silent',
    NODE_ENV: 'test',
    VITEST: 'true',
    RESERVATION_SWEEP_INTERVAL_MS: '250',
    REDIS_URL: TEST_REDIS_URL,
    EVENTS_CHANNEL_PREFIX: `test.${randomBytes(4).toString('hex')}.`,
    ...env,
  };
  const platform = await startPlatform({
    env: platformEnv,
    ports: { gateway: 0, inventory: 0, orders: 0, access: 0, media: 0, analytics: 0 },
    logDestination,
  });
  const url = `${platform.gatewayUrl}/graphql`;
  return {
    ...platform,
    url,
    database,
    databaseUrl: database.url,
    proxy,
    /** The environment every service was configured from (to build one again, e.g. after stopping it). */
    env: platformEnv,
    async as(tenant: string, roles: string[], query: string, variables?: Record<string, unknown>) {
      return graphql(url, { query, variables, token: await tokenFor(tenant, roles) });
    },
    async stop() {
      proxy.mode = 'pass';
      proxy.latencyMs = 0;
      await platform.stop();
      await proxy.close();
      await database.drop();
    },
  };
}

export type PlatformBehindDbProxy = Awaited<ReturnType<typeof startPlatformBehindDbProxy>>;
