import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen } from '@stockline/service';
import { tokenFor } from '@stockline/testkit';
import { startGateway } from './support/start-gateway.ts';
import { startStubSubgraphs, type StubSubgraphs } from './support/stub-subgraphs.ts';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
let stub: StubSubgraphs;
let gateway: Awaited<ReturnType<typeof startGateway>>;
const exported: string[] = [];
const collector = createServer((req, res) => {
  let body = '';
  req.on('data', (d) => (body += d));
  req.on('end', () => {
    if (req.url === '/v1/traces') exported.push(body);
    res.setHeader('content-type', 'application/json');
    res.end('{}');
  });
});

beforeAll(async () => {
  const port = await listen(collector, 0, '127.0.0.1');
  stub = await startStubSubgraphs();
  gateway = await startGateway({ ...stub.env, OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}` });
});
afterAll(async () => {
  await stub?.close();
  await new Promise((r) => collector.close(r));
});

describe('tracing', () => {
  it('continues the caller trace into the subgraph fetch and exports the spans over OTLP', async () => {
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenFor('trace-tenant', ['viewer'])}`, traceparent: `00-${TRACE_ID}-00f067aa0ba902b7-01` },
      body: JSON.stringify({ query: 'query Traced { items(first: 1) { totalCount } }', operationName: 'Traced' }),
    });
    expect(((await response.json()) as { errors?: unknown }).errors).toBeUndefined();
    expect(String(stub.lastHeaders().traceparent)).toMatch(new RegExp(`^00-${TRACE_ID}-[0-9a-f]{16}-01$`));
    await gateway.server.stop();
    const spans = exported.join('\n');
    const names = [...spans.matchAll(/"name":"([^"]+)"/g)].map((m) => m[1]);
    expect(names).toEqual(expect.arrayContaining(['gateway Traced', 'gateway.plan', 'gateway.fetch']));
    expect(spans).toContain(TRACE_ID);
  });
});
