import { loadGatewayConfig } from '../../src/config.ts';
import { createGatewayServer, type GatewayServer } from '../../src/server.ts';
import { createLogger } from '@stockline/observability';

/** A gateway on a free loopback port, configured by `env` (on top of test defaults). */
export async function startGateway(env: Record<string, string>): Promise<{ server: GatewayServer; url: string; base: string }> {
  const config = loadGatewayConfig({ env: { NODE_ENV: 'test', LOG_LEVEL: 'silent', ...env }, overrides: { HOST: '127.0.0.1', PORT: '0' } });
  const server = await createGatewayServer({ config, logger: createLogger({ service: 'gateway', level: process.env.TEST_LOG ?? 'silent' }) });
  const port = await server.start(0, '127.0.0.1');
  const base = `http://127.0.0.1:${port}`;
  return { server, url: `${base}/graphql`, base };
}
