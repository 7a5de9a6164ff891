import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_REDIS_URL, graphql, tokenFor, uniqueTenant } from '@stockline/testkit';
import { createLogger } from '@stockline/observability';
import { loadGatewayConfig } from '../../gateway/src/config.ts';
import { createGatewayServer, type GatewayServer } from '../../gateway/src/server.ts';
import { startTestPlatform, type TestPlatform } from '../support/test-platform.ts';

const CREATE = `mutation($name: String!, $scopes: [String!]!, $expiresAt: DateTime) {
  createApiKey(name: $name, scopes: $scopes, expiresAt: $expiresAt) { secret apiKey { id name prefix scopes createdAt expiresAt revokedAt } userErrors { code field } } }`;
const REVOKE = `mutation($id: ID!) { revokeApiKey(id: $id) { apiKey { id revokedAt } userErrors { code field } } }`;
const LIST = `{ apiKeys { id name prefix scopes createdAt lastUsedAt expiresAt revokedAt } }`;
const VIEWER = `{ viewer { id tenant roles scopes } }`;
const AUDIT = `query($action: String, $first: Int, $after: String) { auditLog(action: $action, first: $first, after: $after) {
  totalCount nodes { id actorId action details requestId occurredAt } pageInfo { hasNextPage endCursor } } }`;
const ITEMS = `{ items(first: 1) { totalCount } }`;

let platform: TestPlatform;
let second: GatewayServer;
let secondUrl: string;
let logs = '';
const prefix = `test.${randomBytes(4).toString('hex')}.`;
const tenant = uniqueTenant('access');
const other = uniqueTenant('access-other');
const as = (t: string, roles: string[], query: string, variables?: Record<string, unknown>) => platform.as(t, roles, query, variables);
const withKey = (secret: string, query: string, variables?: Record<string, unknown>, url = platform.url) => graphql(url, { query, variables, token: secret });
const codeOf = (r: { errors?: { extensions?: { code?: string } }[] }) => r.errors?.[0]?.extensions?.code;

async function createKey(scopes: string[], { t = tenant, expiresAt }: { t?: string; expiresAt?: string } = {}) {
  const r = await as(t, ['admin'], CREATE, { name: `key ${scopes.join(' ')}`, scopes, expiresAt });
  expect(r.data.createApiKey.userErrors).toEqual([]);
  return r.data.createApiKey as { secret: string; apiKey: { id: string; prefix: string; scopes: string[] } };
}

/** Asks until `done` holds or 5 s have passed; returns the last answer. */
async function within5s<T>(ask: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 5_000;
  let value = await ask();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    value = await ask();
  }
  return value;
}

beforeAll(async () => {
  const logDestination = { write: (line: string) => void (logs += line) };
  platform = await startTestPlatform({ env: { LOG_LEVEL: 'debug', EVENTS_CHANNEL_PREFIX: prefix }, logDestination });
  // A second gateway instance on the same subgraphs and Redis: revocations must reach it too.
  second = await createGatewayServer({
    config: loadGatewayConfig({
      env: { NODE_ENV: 'test', VITEST: 'true' },
      overrides: { HOST: '127.0.0.1', PORT: '0', INVENTORY_URL: platform.inventoryUrl, ORDERS_URL: platform.ordersUrl, ACCESS_URL: platform.accessUrl, REDIS_URL: TEST_REDIS_URL, EVENTS_CHANNEL_PREFIX: prefix },
    }),
    logger: createLogger({ service: 'gateway-2', level: 'debug', destination: logDestination }),
  });
  secondUrl = `http://127.0.0.1:${await second.start()}/graphql`;
}, 60_000);

afterAll(async () => {
  await second?.stop();
  await platform?.stop();
});

describe('viewer', () => {
  it('names the caller, its tenant, roles and the scopes of its roles', async () => {
    const r = await as(tenant, ['clerk'], VIEWER);
    expect(r.data.viewer).toEqual({ id: 'test-user', tenant, roles: ['clerk'], scopes: ['read_inventory', 'write_inventory', 'read_orders', 'write_orders', 'read_analytics', 'read_media'] });
  });
});

describe('createApiKey', () => {
  it('returns a prefixed secret once; the list shows the key without it', async () => {
    const { secret, apiKey } = await createKey(['read_inventory', 'read_orders']);
    expect(secret).toMatch(/^slk_[A-Za-z0-9_-]{43}$/);
    expect(secret.startsWith(apiKey.prefix)).toBe(true);
    expect(apiKey.prefix.length).toBeLessThan(16);
    const list = await as(tenant, ['admin'], LIST);
    expect(list.data.apiKeys.find((k: { id: string }) => k.id === apiKey.id)).toMatchObject({ scopes: ['read_inventory', 'read_orders'], revokedAt: null });
    expect(JSON.stringify(list.data)).not.toContain(secret.slice(apiKey.prefix.length));
  });

  it('refuses an unknown scope with INVALID_INPUT on that scope, and creates nothing', async () => {
    const before = (await as(tenant, ['admin'], LIST)).data.apiKeys.length;
    const r = await as(tenant, ['admin'], CREATE, { name: 'bad', scopes: ['read_inventory', 'write_everything'] });
    expect(r.data.createApiKey).toMatchObject({ secret: null, apiKey: null, userErrors: [{ code: 'INVALID_INPUT', field: ['scopes', '1'] }] });
    const past = await as(tenant, ['admin'], CREATE, { name: 'old', scopes: ['read_inventory'], expiresAt: '2020-01-01T00:00:00Z' });
    expect(past.data.createApiKey.userErrors).toEqual([{ code: 'INVALID_INPUT', field: ['expiresAt'] }]);
    expect((await as(tenant, ['admin'], LIST)).data.apiKeys.length).toBe(before);
  });

  it('refuses a clerk or a viewer with FORBIDDEN', async () => {
    for (const roles of [['clerk'], ['viewer']]) {
      const r = await as(tenant, roles, CREATE, { name: 'nope', scopes: ['read_inventory'] });
      expect(codeOf(r)).toBe('FORBIDDEN');
      expect(codeOf(await as(tenant, roles, LIST))).toBe('FORBIDDEN');
    }
  });

  it('never gives a key a scope its creator lacks', async () => {
    const { secret } = await createKey(['admin']);
    const r = await withKey(secret, CREATE, { name: 'wider', scopes: ['admin', 'read_inventory'] });
    expect(r.data.createApiKey.userErrors).toEqual([{ code: 'INVALID_INPUT', field: ['scopes', '1'] }]);
    const same = await withKey(secret, CREATE, { name: 'same', scopes: ['admin'] });
    expect(same.data.createApiKey.userErrors).toEqual([]);
  });
});

describe('an API key', () => {
  it('works for exactly its scopes, FORBIDDEN beyond them, on either gateway', async () => {
    const { secret, apiKey } = await createKey(['read_inventory']);
    for (const url of [platform.url, secondUrl]) {
      expect((await withKey(secret, ITEMS, {}, url)).errors).toBeUndefined();
      expect(codeOf(await withKey(secret, `{ orders(first: 1) { totalCount } }`, {}, url))).toBe('FORBIDDEN');
      expect(codeOf(await withKey(secret, `mutation { createCategory(name: "k") { category { id } } }`, {}, url))).toBe('FORBIDDEN');
      expect(codeOf(await withKey(secret, LIST, {}, url))).toBe('FORBIDDEN');
    }
    const me = await withKey(secret, VIEWER);
    expect(me.data.viewer).toEqual({ id: `apikey:${apiKey.id}`, tenant, roles: [], scopes: ['read_inventory'] });
    const listed = (await as(tenant, ['admin'], LIST)).data.apiKeys.find((k: { id: string }) => k.id === apiKey.id);
    expect(listed.lastUsedAt).not.toBeNull();
  });

  it('is refused with UNAUTHENTICATED on both gateways within 5 s of revokeApiKey, and the revocation is announced', async () => {
    const { secret, apiKey } = await createKey(['read_inventory']);
    const announced: string[] = [];
    const stop = second.auth.revocations.onPrincipalRevoked((keyId) => announced.push(keyId));
    // Both gateways have the key cached now.
    expect((await withKey(secret, ITEMS)).errors).toBeUndefined();
    expect((await withKey(secret, ITEMS, {}, secondUrl)).errors).toBeUndefined();
    const revoked = await as(tenant, ['admin'], REVOKE, { id: apiKey.id });
    expect(revoked.data.revokeApiKey).toMatchObject({ apiKey: { id: apiKey.id }, userErrors: [] });
    expect(revoked.data.revokeApiKey.apiKey.revokedAt).not.toBeNull();
    for (const url of [platform.url, secondUrl]) {
      const answer = await within5s(() => withKey(secret, ITEMS, {}, url), (r) => codeOf(r) === 'UNAUTHENTICATED');
      expect(codeOf(answer)).toBe('UNAUTHENTICATED');
    }
    expect(announced).toContain(apiKey.id);
    stop();
  });

  it('is refused with UNAUTHENTICATED once it has expired', async () => {
    const { secret } = await createKey(['read_inventory'], { expiresAt: new Date(Date.now() + 3_000).toISOString() });
    expect((await withKey(secret, ITEMS)).errors).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 3_100));
    expect(codeOf(await withKey(secret, ITEMS))).toBe('UNAUTHENTICATED');
    expect(codeOf(await withKey(secret, ITEMS, {}, secondUrl))).toBe('UNAUTHENTICATED');
  });

  it('refuses an unknown key with UNAUTHENTICATED', async () => {
    expect(codeOf(await withKey(`slk_${randomBytes(32).toString('base64url')}`, ITEMS))).toBe('UNAUTHENTICATED');
  });
});

describe('an API key on the WebSocket', () => {
  /** Connects with `secret` in connection_init and subscribes; resolves the close code when the socket ends. */
  function subscribeWith(secret: string, httpUrl: string) {
    let connected = () => {};
    const opened = new Promise<void>((resolve) => (connected = resolve));
    let closedWith = (_code: number) => {};
    const closed = new Promise<number>((resolve) => (closedWith = resolve));
    const client = createClient({
      url: httpUrl.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      lazy: false,
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${secret}` },
      onNonLazyError: () => {},
      on: { connected: () => connected(), closed: (event) => closedWith((event as { code: number }).code) },
    });
    client.subscribe({ query: `subscription { stockChanged { itemId } }` }, { next: () => {}, error: () => {}, complete: () => {} });
    return { opened, closed, client };
  }

  it('is accepted in connection_init, and its subscriptions on both gateways end (4403) when it is revoked', async () => {
    const { secret, apiKey } = await createKey(['read_inventory']);
    const sockets = [subscribeWith(secret, platform.url), subscribeWith(secret, secondUrl)];
    await Promise.all(sockets.map((s) => s.opened));
    await as(tenant, ['admin'], REVOKE, { id: apiKey.id });
    const codes = await Promise.race([Promise.all(sockets.map((s) => s.closed)), new Promise<null>((resolve) => setTimeout(() => resolve(null), 5_000))]);
    expect(codes).toEqual([4403, 4403]);
    const refused = subscribeWith(secret, secondUrl);
    expect(await refused.closed).toBe(4403);
    for (const s of [...sockets, refused]) await s.client.dispose();
  });
});

describe('tenant isolation', () => {
  it('keeps keys apart: another tenant neither lists nor revokes them (NOT_FOUND)', async () => {
    const { secret, apiKey } = await createKey(['read_inventory']);
    const theirs = await as(other, ['admin'], LIST);
    expect(theirs.data.apiKeys.map((k: { id: string }) => k.id)).not.toContain(apiKey.id);
    const r = await as(other, ['admin'], REVOKE, { id: apiKey.id });
    expect(r.data.revokeApiKey).toEqual({ apiKey: null, userErrors: [{ code: 'NOT_FOUND', field: ['id'] }] });
    expect((await withKey(secret, ITEMS)).errors).toBeUndefined();
    const mine = await withKey(secret, VIEWER);
    expect(mine.data.viewer.tenant).toBe(tenant);
  });
});

describe('auditLog', () => {
  it('records key, catalog and location changes with actor, request id and what changed', async () => {
    const requestId = `req-${randomBytes(4).toString('hex')}`;
    const token = await tokenFor(tenant, ['admin'], { sub: 'alice' });
    const code = `WH-${randomBytes(2).toString('hex')}`;
    const loc = await graphql(platform.url, { query: `mutation($code: String!) { createLocation(code: $code, name: "North") { location { id } userErrors { code } } }`, variables: { code }, token, headers: { 'x-request-id': requestId } });
    expect(loc.data.createLocation.userErrors).toEqual([]);
    await graphql(secondUrl, { query: `mutation { upsertItem(input: { sku: "AUD-1", name: "Audited" }) { item { id } userErrors { code } } }`, token });
    const created = await createKey(['read_orders']);
    await as(tenant, ['admin'], REVOKE, { id: created.apiKey.id });

    const log = await within5s(() => as(tenant, ['admin'], AUDIT, { first: 50 }), (r) => r.data?.auditLog.nodes.some((n: { action: string }) => n.action === 'upsertItem'));
    const nodes = log.data.auditLog.nodes as { actorId: string; action: string; details: string; requestId: string | null }[];
    const location = nodes.find((n) => n.action === 'createLocation')!;
    expect(location).toMatchObject({ actorId: 'alice', requestId });
    expect(JSON.parse(location.details).arguments).toEqual({ code, name: 'North' });
    expect(nodes.find((n) => n.action === 'upsertItem')).toMatchObject({ actorId: 'alice' });
    expect(JSON.parse(nodes.find((n) => n.action === 'apiKey.created' && n.details.includes(created.apiKey.id))!.details)).toMatchObject({ keyId: created.apiKey.id, scopes: ['read_orders'] });
    expect(nodes.some((n) => n.action === 'apiKey.revoked' && n.details.includes(created.apiKey.id))).toBe(true);

    const onlyRevocations = await as(tenant, ['admin'], AUDIT, { action: 'apiKey.revoked' });
    expect(onlyRevocations.data.auditLog.nodes.every((n: { action: string }) => n.action === 'apiKey.revoked')).toBe(true);
    const page = await as(tenant, ['admin'], AUDIT, { first: 1 });
    expect(page.data.auditLog.pageInfo.hasNextPage).toBe(true);
    const next = await as(tenant, ['admin'], AUDIT, { first: 1, after: page.data.auditLog.pageInfo.endCursor });
    expect(next.data.auditLog.nodes[0].id).not.toBe(page.data.auditLog.nodes[0].id);
  });

  it('is for admins of the tenant only: FORBIDDEN to a clerk, empty of other tenants', async () => {
    expect(codeOf(await as(tenant, ['clerk'], AUDIT))).toBe('FORBIDDEN');
    await createKey(['read_inventory'], { t: other });
    const theirs = await as(other, ['admin'], AUDIT, { first: 250 });
    const mine = await as(tenant, ['admin'], AUDIT, { first: 250 });
    const mineIds = new Set(mine.data.auditLog.nodes.map((n: { id: string }) => n.id));
    expect(theirs.data.auditLog.totalCount).toBeGreaterThan(0);
    expect(theirs.data.auditLog.nodes.some((n: { id: string }) => mineIds.has(n.id))).toBe(false);
  });

  it('is append-only: the database refuses to change or delete an entry', async () => {
    const client = new pg.Client({ connectionString: platform.databaseUrl });
    await client.connect();
    try {
      await expect(client.query(`UPDATE access.audit_entries SET action = 'x'`)).rejects.toThrow(/append-only/);
      await expect(client.query(`DELETE FROM access.audit_entries`)).rejects.toThrow(/append-only/);
    } finally {
      await client.end();
    }
  });
});

describe('secrets', () => {
  it('are in neither the database nor the logs', async () => {
    const { secret } = await createKey(['read_inventory']);
    await withKey(secret, ITEMS);
    await withKey(secret, ITEMS, {}, secondUrl);
    const body = secret.slice(4);
    const client = new pg.Client({ connectionString: platform.databaseUrl });
    await client.connect();
    try {
      const { rows: tables } = await client.query<{ s: string; t: string }>(
        `SELECT table_schema AS s, table_name AS t FROM information_schema.tables WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')`,
      );
      expect(tables.some((t) => t.s === 'access' && t.t === 'api_keys')).toBe(true);
      for (const { s, t } of tables) {
        const { rows } = await client.query(`SELECT count(*)::int AS n FROM "${s}"."${t}" r WHERE r::text LIKE '%' || $1 || '%'`, [body]);
        expect(rows[0].n, `${s}.${t}`).toBe(0);
      }
    } finally {
      await client.end();
    }
    expect(logs.length).toBeGreaterThan(1_000);
    expect(logs).not.toContain(body);
  });
});
