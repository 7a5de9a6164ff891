import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subgraphs, urlEnv } from '@stockline/registry';
import { listen } from '@stockline/service';
import { graphql, tokenFor } from '@stockline/testkit';
import { startGateway } from './support/start-gateway.ts';

// docs/platform.md: production hides error details and GraphiQL. A subgraph that fails with a stack
// trace in its answer stands in for any unexpected error behind the gateway.

const SECRET = 'a-production-secret-of-some-length';
let failing: Server;
let production: Awaited<ReturnType<typeof startGateway>>;
let development: Awaited<ReturnType<typeof startGateway>>;

beforeAll(async () => {
  failing = createServer((req, res) => {
    if (req.method !== 'POST') return void res.end('{"status":"ready"}');
    req.resume();
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({
        data: { items: null },
        errors: [{ message: 'boom: relation "inventory.secret_table" does not exist', path: ['items'], extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['Error: boom', '    at /srv/inventory/src/data/secret.ts:12:3'] } }],
      }));
    });
  });
  const url = `http://127.0.0.1:${await listen(failing, 0, '127.0.0.1')}`;
  const env = Object.fromEntries(subgraphs().map((s) => [urlEnv(s.name), url]));
  production = await startGateway({ ...env, NODE_ENV: 'production', JWT_SECRET: SECRET });
  development = await startGateway({ ...env, NODE_ENV: 'development' });
});
afterAll(async () => {
  await production?.server.stop();
  await development?.server.stop();
  await new Promise((r) => failing?.close(r));
});

describe('production mode', () => {
  it('serves no GraphiQL', async () => {
    expect((await fetch(`${production.base}/graphiql`)).status).toBe(404);
    expect((await fetch(`${development.base}/graphiql`)).status).not.toBe(404);
  });

  it('answers an unexpected error with INTERNAL_SERVER_ERROR and no message, path or stack of the server', async () => {
    const response = await graphql(production.url, { query: '{ items(first: 1) { totalCount } }', token: await tokenFor('prod-tenant', ['viewer'], { secret: SECRET }) });
    expect(response.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    const text = JSON.stringify(response);
    expect(text).not.toContain('secret_table');
    expect(text).not.toContain('secret.ts');
    expect(text).not.toContain('stacktrace');
    // The same failure in development shows its details: the check above can see a leak.
    const dev = await graphql(development.url, { query: '{ items(first: 1) { totalCount } }', token: await tokenFor('dev-tenant', ['viewer']) });
    expect(JSON.stringify(dev)).toContain('secret_table');
  });
});
