import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DEV_JWT_SECRET, Role, verifyToken } from '@stockline/auth';
import { InventoryCallError, InventoryClient, InventoryRoute } from '../src/data/inventory.client.ts';

interface Seen {
  path: string;
  authorization: string;
  body: any;
}

let server: Server | null = null;

/** A stand-in inventory answering each request with the next of `answers` (status, body); null never answers. */
async function fakeInventory(answers: ([number, unknown] | null)[]) {
  const seen: Seen[] = [];
  server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    seen.push({ path: req.url!, authorization: String(req.headers.authorization), body: JSON.parse(raw) });
    const answer = answers[Math.min(seen.length - 1, answers.length - 1)];
    if (!answer) return; // hang
    res.writeHead(answer[0], { 'content-type': 'application/json' }).end(JSON.stringify(answer[1]));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const client = (options: Partial<ConstructorParameters<typeof InventoryClient>[0]> = {}) =>
    new InventoryClient({ baseUrl: `http://127.0.0.1:${(server!.address() as AddressInfo).port}`, jwtSecret: DEV_JWT_SECRET, backoffMs: 5, ...options });
  return { seen, client };
}

afterEach(async () => {
  if (!server) return;
  server.closeAllConnections();
  await new Promise((resolve) => server!.close(resolve));
  server = null;
});

const caller = { tenantId: 'tenant-x', actorId: 'user-7' };
const consume = { idempotencyKey: 'order:o1:fulfill:s1:consume', reference: 'o1', consumptions: [{ reservationId: 'r1', quantity: 2 }] };
const ok = { reservations: [{ id: 'r1', itemId: 'i', locationId: 'l', quantity: 2, consumedQuantity: 2, status: 'CONSUMED', reference: 'o1' }], userErrors: [] };

describe('InventoryClient', () => {
  it('retries a 5xx with the very same body and idempotency key, and returns the answer', async () => {
    const { seen, client } = await fakeInventory([[503, {}], [502, {}], [200, ok]]);
    expect(await client().consume(caller, consume)).toEqual(ok);
    expect(seen).toHaveLength(3);
    expect(seen.map((s) => s.path)).toEqual(Array(3).fill(InventoryRoute.Consume));
    for (const s of seen) expect(s.body).toEqual({ ...consume, actorId: 'user-7' });
  });

  it('sends a service token of the caller\'s tenant, reused across calls', async () => {
    const { seen, client } = await fakeInventory([[200, ok]]);
    const inventory = client();
    await inventory.consume(caller, consume);
    await inventory.release(caller, { idempotencyKey: 'order:o1:release:1', reservationIds: ['r1'] });
    const viewer = await verifyToken(seen[0].authorization.replace(/^Bearer /, ''), DEV_JWT_SECRET);
    expect(viewer).toMatchObject({ tenantId: 'tenant-x', userId: 'service:orders', roles: [Role.Service] });
    expect(seen[1].authorization).toBe(seen[0].authorization);
    expect(seen[1].path).toBe(InventoryRoute.Release);
  });

  it('does not retry a 4xx and throws InventoryCallError with its status', async () => {
    const { seen, client } = await fakeInventory([[403, { code: 'FORBIDDEN' }]]);
    const error = await client().consume(caller, consume).catch((e) => e);
    expect(error).toBeInstanceOf(InventoryCallError);
    expect(error.status).toBe(403);
    expect(seen).toHaveLength(1);
  });

  it('times out each attempt and gives up after the retries with status null', async () => {
    const { seen, client } = await fakeInventory([null]);
    const error = await client({ timeoutMs: 150, retries: 1 }).consume(caller, consume).catch((e) => e);
    expect(error).toBeInstanceOf(InventoryCallError);
    expect(error.status).toBeNull();
    expect(seen).toHaveLength(2);
  });

  it('throws when inventory answers 200 without reservations and userErrors', async () => {
    const { client } = await fakeInventory([[200, { hello: 'world' }]]);
    const error = await client().consume(caller, consume).catch((e) => e);
    expect(error).toBeInstanceOf(InventoryCallError);
    expect(error.status).toBe(200);
  });

  it('throws InventoryCallError when nothing listens', async () => {
    const inventory = new InventoryClient({ baseUrl: 'http://127.0.0.1:1', jwtSecret: DEV_JWT_SECRET, retries: 1, backoffMs: 1 });
    const error = await inventory.reserveLines(caller, { idempotencyKey: 'k', reference: 'o', lines: [] }).catch((e) => e);
    expect(error).toBeInstanceOf(InventoryCallError);
    expect(error.status).toBeNull();
  });
});
