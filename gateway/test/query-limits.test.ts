import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql, tokenFor } from '@stockline/testkit';
import { startGateway } from './support/start-gateway.ts';
import { startStubSubgraphs, type StubSubgraphs } from './support/stub-subgraphs.ts';

let stub: StubSubgraphs;
let gateway: Awaited<ReturnType<typeof startGateway>>;
let production: Awaited<ReturnType<typeof startGateway>>;
let token: string;

beforeAll(async () => {
  stub = await startStubSubgraphs();
  gateway = await startGateway(stub.env);
  production = await startGateway({ ...stub.env, NODE_ENV: 'production', JWT_SECRET: 'a-production-secret-of-some-length' });
  token = await tokenFor('limits-tenant', ['viewer']);
});
afterAll(async () => {
  await gateway?.server.stop();
  await production?.server.stop();
  await stub?.close();
});

/** Sends `body` as JSON and expects the gateway to call no subgraph. */
async function refused(body: unknown, { url = gateway.url, headers = {} as Record<string, string> } = {}) {
  const before = stub.calls();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  expect(response.headers.get('content-type')).toMatch(/json/);
  expect(stub.calls()).toBe(before);
  return { status: response.status, ...(JSON.parse(text) as { data?: unknown; errors: { message: string; extensions: Record<string, unknown> }[] }) };
}

describe('query limits', () => {
  it('serves an ordinary query through the subgraph (the refusals below are real)', async () => {
    const before = stub.calls();
    const result = await graphql(gateway.url, { query: '{ items(first: 1) { totalCount } }', token });
    expect(result.errors).toBeUndefined();
    expect(result.data.items.totalCount).toBe(7);
    expect(stub.calls()).toBe(before + 1);
  });

  it('refuses a query 40 levels deep with QUERY_TOO_COMPLEX, the limit and the depth, calling no subgraph', async () => {
    let selection = 'id';
    for (let i = 0; i < 20; i++) selection = `lines { item { ${selection} } }`;
    const { status, errors } = await refused({ query: `{ orders(first: 1) { nodes { ${selection} } } }` });
    expect(status).toBe(400);
    expect(errors[0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'depth', max: 15 });
    expect(errors[0].extensions.measured).toBeGreaterThanOrEqual(40);
    expect(errors[0].extensions.stacktrace).toBeUndefined();
  });

  it('refuses 100 aliases with QUERY_TOO_COMPLEX (limit aliases, measured 100)', async () => {
    const aliases = Array.from({ length: 100 }, (_, i) => `a${i}: items(first: 1) { totalCount }`).join(' ');
    const { errors } = await refused({ query: `{ ${aliases} }` });
    expect(errors[0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'aliases', max: 30, measured: 100 });
  });

  it('refuses a document of too many tokens before parsing it', async () => {
    const fields = Array.from({ length: 12_000 }, () => 'totalCount').join(' ');
    const { status, errors } = await refused({ query: `{ items(first: 1) { ${fields} } }` });
    expect(status).toBe(400);
    expect(errors[0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'tokens', max: 10_000 });
    expect(errors[0].extensions.measured).toBeGreaterThan(10_000);
  });

  it('refuses too many directives', async () => {
    const fields = Array.from({ length: 60 }, () => 'totalCount @include(if: true)').join(' ');
    const { errors } = await refused({ query: `{ items(first: 1) { ${fields} } }` });
    expect(errors[0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'directives', max: 50, measured: 60 });
  });

  it('refuses a 5 MB query with a JSON GraphQL error (413, limit bytes), not an HTML page', async () => {
    const query = `{ items(first: 1) { totalCount } } # ${'x'.repeat(5 * 1024 * 1024)}`;
    const { status, errors } = await refused({ query });
    expect(status).toBe(413);
    expect(errors[0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'bytes', max: 2 * 1024 * 1024 });
    expect(errors[0].extensions.measured).toBeGreaterThan(5 * 1024 * 1024);
  });

  it('refuses a 50 MB body with 413 before reading it, with a Content-Length and chunked', async () => {
    const { request } = await import('node:http');
    for (const chunked of [false, true]) {
      const bytes = 50 * 1024 * 1024;
      const result = await new Promise<{ status: number; sent: number; code: string }>((resolve, reject) => {
        let sent = 0;
        let answered = false;
        const req = request(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...(chunked ? {} : { 'content-length': String(bytes) }) } });
        req.on('response', (res) => {
          answered = true;
          const at = sent;
          let body = '';
          res.on('data', (c) => (body += c));
          res.on('end', () => (req.destroy(), resolve({ status: res.statusCode!, sent: at, code: JSON.parse(body).errors[0].extensions.code })));
        });
        req.on('error', (e) => void (answered || reject(e)));
        const chunk = Buffer.alloc(1024 * 1024, 0x20);
        const pump = () => {
          while (!answered && sent < bytes) {
            sent += chunk.length;
            if (!req.write(chunk)) return void req.once('drain', pump);
          }
          if (!answered) req.end();
        };
        pump();
      });
      expect(result).toMatchObject({ status: 413, code: 'QUERY_TOO_COMPLEX' });
      // Answered long before 50 MB were sent: the gateway did not read the body to refuse it.
      expect(result.sent).toBeLessThan(bytes / 2);
    }
  });

  it('refuses a batch of 1,000 operations (limit batch, max 1, measured 1000)', async () => {
    const batch = Array.from({ length: 1_000 }, () => ({ query: '{ items(first: 1) { totalCount } }' }));
    const { status, errors } = await refused(batch);
    expect(status).toBe(400);
    expect(errors[0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'batch', max: 1, measured: 1_000 });
  });

  it('refuses the estimated cost over MAX_QUERY_COST with limit cost and the measured cost', async () => {
    const page = 'items(first: 250) { nodes { stockLevels { location { code } } category { name } } }';
    const { errors } = await refused({ query: `{ a: ${page} b: ${page} }` });
    expect(errors[0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'cost', max: 10_000, measured: 11_004, cost: 11_004, maxCost: 10_000 });
  });

  it('refuses a text/plain POST (CSRF prevention) without running it', async () => {
    const before = stub.calls();
    const response = await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'text/plain', authorization: `Bearer ${token}` }, body: JSON.stringify({ query: '{ items(first: 1) { totalCount } }' }) });
    const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
    expect(response.status).toBe(400);
    expect(body.errors[0].extensions.code).toBe('BAD_REQUEST');
    expect(stub.calls()).toBe(before);
  });

  it('answers two operations without operationName with BAD_REQUEST naming them, no stack (issue 16)', async () => {
    for (const target of [gateway, production]) {
      const t = target === production ? await tokenFor('limits-tenant', ['viewer'], { secret: 'a-production-secret-of-some-length' }) : token;
      const { status, errors } = await refused(
        { query: 'query Place { items(first: 1) { totalCount } } query Ship { items(first: 2) { totalCount } }' },
        { url: target.url, headers: { authorization: `Bearer ${t}` } },
      );
      expect(status).toBe(400);
      expect(errors[0].extensions.code).toBe('BAD_REQUEST');
      expect(errors[0].extensions.operations).toEqual(['Place', 'Ship']);
      expect(errors[0].message).toContain('operationName');
      expect(errors[0].extensions.stacktrace).toBeUndefined();
    }
  });

  it('runs the named operation of a two-operation document when operationName is given', async () => {
    const result = await graphql(gateway.url, { query: 'query Place { items(first: 1) { totalCount } } query Ship { items(first: 2) { totalCount } }', token, headers: {} });
    expect(result.errors?.[0].extensions?.code).toBe('BAD_REQUEST');
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: 'query Place { items(first: 1) { totalCount } } query Ship { items(first: 2) { totalCount } }', operationName: 'Ship' }),
    });
    const body = (await response.json()) as { data: { items: { totalCount: number } } };
    expect(body.data.items.totalCount).toBe(7);
  });

  it('in production hides "Did you mean" suggestions and refuses introspection', async () => {
    const t = await tokenFor('limits-tenant', ['viewer'], { secret: 'a-production-secret-of-some-length' });
    const typo = await graphql(production.url, { query: '{ itemz(first: 1) { totalCount } }', token: t });
    expect(typo.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(typo.errors?.[0].message).not.toMatch(/Did you mean/);
    const dev = await graphql(gateway.url, { query: '{ itemz(first: 1) { totalCount } }', token });
    expect(dev.errors?.[0].message).toMatch(/Did you mean/);
    const introspection = await graphql(production.url, { query: '{ __schema { queryType { name } } }', token: t });
    expect(introspection.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const devIntrospection = await graphql(gateway.url, { query: '{ __schema { queryType { name } } }', token });
    expect(devIntrospection.data.__schema.queryType.name).toBe('Query');
  });
});
