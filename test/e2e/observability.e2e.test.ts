import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenFor, uniqueTenant } from '@stockline/testkit';
import { startTestPlatform, type TestPlatform } from '../support/test-platform.ts';

let platform: TestPlatform;
const lines: { service: string; requestId?: string; msg: string; operationName?: string }[] = [];
const tenant = uniqueTenant('obs');

beforeAll(async () => {
  platform = await startTestPlatform({
    env: { LOG_LEVEL: 'info' },
    logDestination: { write: (line: string) => void lines.push(JSON.parse(line)) },
  });
});
afterAll(async () => {
  await platform?.stop();
});

describe('request ids and logs', () => {
  it('carries the caller\'s request id from the gateway to the subgraph, in JSON log lines and the response header', async () => {
    const response = await fetch(platform.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenFor(tenant, ['viewer'])}`, 'x-request-id': 'trace-abc-123' },
      body: JSON.stringify({ query: 'query ListItems { items(first: 1) { totalCount } }' }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe('trace-abc-123');
    const traced = lines.filter((l) => l.requestId === 'trace-abc-123' && l.msg === 'graphql operation');
    expect(traced.map((l) => l.service).sort()).toEqual(['gateway', 'inventory']);
    expect(traced.find((l) => l.service === 'gateway')?.operationName).toBe('ListItems');
  });

  it('makes up a request id when the caller sends none or a malformed one', async () => {
    const response = await fetch(platform.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenFor(tenant, ['viewer'])}`, 'x-request-id': 'bad id with spaces' },
      body: JSON.stringify({ query: '{ locations { id } }' }),
    });
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('graceful shutdown', () => {
  it('finishes a request in flight when stopping, then refuses new connections', async () => {
    const token = await tokenFor(tenant, ['admin']);
    const inputs = Array.from({ length: 3000 }, (_, i) => ({ sku: `GS-${i}`, name: `Graceful ${i}` }));
    // Stop once the mutation has reached the inventory subgraph: in flight at every hop, whatever the machine's speed.
    const reachedInventory = new Promise((resolve) => platform.inventory.service.httpServer.once('request', resolve));
    const inFlight = fetch(platform.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: 'mutation($inputs: [UpsertItemInput!]!) { bulkUpsertItems(inputs: $inputs) { items { id } userErrors { code } } }', variables: { inputs } }),
    });
    await reachedInventory;
    const stopping = platform.stop();
    const response = await inFlight;
    expect(response.status).toBe(200);
    const body = (await response.json()) as { data: { bulkUpsertItems: { items: unknown[]; userErrors: unknown[] } } };
    expect(body.data.bulkUpsertItems.userErrors).toEqual([]);
    expect(body.data.bulkUpsertItems.items).toHaveLength(3000);
    await stopping;
    await expect(fetch(`${platform.gatewayUrl}/healthz`)).rejects.toThrow();
  });
});
