/**
 * Issue 14, item 7: one subgraph down. Its server is stopped (connections to its port are refused),
 * then a new one is started on the same port. Queries that need it get the rest of their data and an
 * error with a path and a code for what is missing; queries that do not need it are unaffected; the
 * gateway's /readyz names it and its monitor marks it DOWN and fires ServiceDown; once it is back,
 * everything recovers without touching the gateway.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenFor, uniqueTenant } from '@stockline/testkit';
import { createLogger } from '@stockline/observability';
import { loadAnalyticsConfig } from '../../subgraphs/analytics/src/config.ts';
import { createAnalyticsServer } from '../../subgraphs/analytics/src/server.ts';
import { loadInventoryConfig } from '../../subgraphs/inventory/src/config.ts';
import { createInventoryServer } from '../../subgraphs/inventory/src/server.ts';
import { seedCatalog } from '../support/fixtures.ts';
import { until } from '../support/spawn-process.ts';
import { startPlatformBehindDbProxy, type PlatformBehindDbProxy } from './support/platform-behind-db-proxy.ts';

let platform: PlatformBehindDbProxy;
const tenant = uniqueTenant('subgraph-down');
let ids: { itemId: string; locationId: string };
const FROM = new Date(Date.now() - 30 * 86_400_000).toISOString();
const TO = new Date(Date.now() + 86_400_000).toISOString();
/** Needs inventory (item, locations) and analytics (the item's analytics). */
const WITH_ANALYTICS = `query($id: ID!, $from: DateTime!, $to: DateTime!) { locations { code } item(id: $id) { sku analytics(from: $from, to: $to) { unitsReceived } } }`;
/** Needs inventory only. */
const INVENTORY_ONLY = `query($id: ID!) { locations { code } item(id: $id) { sku stock { onHand } } }`;
/** Needs analytics only. */
const ANALYTICS_ONLY = `{ analyticsLag { position } }`;
/** Needs orders only. */
const ORDERS_ONLY = `{ orders(first: 5) { nodes { number } } }`;
const SERVICES = `{ services { name status } alerts(active: true) { rule status labels { name value } } }`;

const query = (q: string, variables: Record<string, unknown> = {}) => platform.as(tenant, ['admin'], q, { id: ids.itemId, from: FROM, to: TO, ...variables });
const readyz = async () => {
  const response = await fetch(`${platform.gatewayUrl}/readyz`, { signal: AbortSignal.timeout(10_000) });
  return { status: response.status, body: (await response.json()) as { checks: Record<string, { ok: boolean }> } };
};
const admin = async () => {
  const response = await fetch(`${platform.gatewayUrl}/admin/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenFor(tenant, ['admin'])}` },
    body: JSON.stringify({ query: SERVICES }),
    signal: AbortSignal.timeout(10_000),
  });
  return ((await response.json()) as { data: { services: { name: string; status: string }[]; alerts: { rule: string; labels: { name: string; value: string }[] }[] } }).data;
};
const statusOf = async (name: string) => (await admin()).services.find((s) => s.name === name)?.status;
const serviceDownAlerts = async (name: string) => (await admin()).alerts.filter((a) => a.rule === 'ServiceDown' && a.labels.some((l) => l.value === name));
const port = (url: string) => Number(new URL(url).port);

beforeAll(async () => {
  platform = await startPlatformBehindDbProxy({ label: 'rel_subgraph_down', env: { MONITOR_INTERVAL_MS: '200', MONITOR_MISSES_DOWN: '2' } });
  const seeded = await seedCatalog(platform as never, tenant, { items: 1, onHand: 7 });
  ids = { itemId: seeded.itemIds[0]!, locationId: seeded.locationIds[0]! };
  // Everything answers before anything is stopped.
  await until(async () => (await readyz()).status === 200, 'the gateway ready', { timeoutMs: 30_000 });
}, 120_000);
afterAll(async () => {
  await platform?.stop();
});

describe('analytics down', () => {
  let stopped = false;
  it('answers a query that needs it with the inventory data and an error with a path and a code for the analytics part', async () => {
    const before = await query(WITH_ANALYTICS);
    expect(before.errors).toBeUndefined();
    await platform.analytics.stop();
    stopped = true;

    const r = await query(WITH_ANALYTICS);
    expect(r.status).toBe(200);
    expect(r.data?.locations).toEqual([{ code: 'A' }]);
    expect(r.errors?.length).toBeGreaterThan(0);
    // Item.analytics is non-null, so its null takes the item with it (GraphQL's null propagation); the
    // error says which field is missing and which service serves it.
    expect(r.errors!.map((e) => [e.path, e.extensions?.code, e.extensions?.serviceName])).toEqual([[['item', 'analytics'], 'SERVICE_UNAVAILABLE', 'analytics']]);
    // A query of analytics alone gets no data and the same clear code.
    const only = await query(ANALYTICS_ONLY);
    expect(only.errors!.map((e) => [e.path, e.extensions?.code, e.extensions?.serviceName])).toEqual([[['analyticsLag'], 'SERVICE_UNAVAILABLE', 'analytics']]);
  });

  it('leaves queries that do not need it unaffected', async () => {
    expect(stopped).toBe(true);
    const r = await query(INVENTORY_ONLY);
    expect(r.errors).toBeUndefined();
    expect(r.data).toEqual({ locations: [{ code: 'A' }], item: { sku: 'SKU-0', stock: { onHand: 7 } } });
    const orders = await query(ORDERS_ONLY);
    expect(orders.errors).toBeUndefined();
  });

  it('says so: /readyz answers 503 naming analytics (and only it), the monitor marks it DOWN and fires ServiceDown', async () => {
    const ready = await readyz();
    expect(ready.status).toBe(503);
    expect(Object.entries(ready.body.checks).filter(([, c]) => !c.ok).map(([name]) => name)).toEqual(['analytics']);
    await until(async () => (await statusOf('analytics')) === 'DOWN', 'analytics marked DOWN', { timeoutMs: 15_000 });
    await until(async () => (await serviceDownAlerts('analytics')).length === 1, 'ServiceDown firing for analytics', { timeoutMs: 15_000 });
    expect((await admin()).services.filter((s) => s.status === 'DOWN').map((s) => s.name)).toEqual(['analytics']);
  });

  it('recovers once a new analytics listens on the same port: full answers, /readyz 200, UP, the alert resolved', async () => {
    const config = loadAnalyticsConfig({ env: platform.env, overrides: { HOST: '127.0.0.1', PORT: String(port(platform.analyticsUrl)), INVENTORY_URL: platform.inventoryUrl, ANALYTICS_DB_PATH: ':memory:' } });
    const analytics = await createAnalyticsServer({ config, logger: createLogger({ service: 'analytics', level: 'silent' }) });
    await analytics.start();
    platform.analytics = analytics as typeof platform.analytics;
    await until(async () => (await query(WITH_ANALYTICS)).errors === undefined, 'the query answered in full', { timeoutMs: 30_000 });
    expect((await query(WITH_ANALYTICS)).data?.item.sku).toBe('SKU-0');
    expect((await readyz()).status).toBe(200);
    await until(async () => (await statusOf('analytics')) === 'UP', 'analytics UP again', { timeoutMs: 15_000 });
    await until(async () => (await serviceDownAlerts('analytics')).length === 0, 'ServiceDown resolved', { timeoutMs: 15_000 });
  });
});

describe('inventory down', () => {
  it('answers queries that need it with SERVICE_UNAVAILABLE at their path, and serves orders and analytics meanwhile', async () => {
    await platform.inventory.stop();
    const r = await query(INVENTORY_ONLY);
    expect(r.status).toBe(200);
    expect(r.errors?.length).toBeGreaterThan(0);
    expect(r.errors!.map((e) => [e.path, e.extensions?.code, e.extensions?.serviceName])).toEqual([
      [['locations'], 'SERVICE_UNAVAILABLE', 'inventory'],
      [['item'], 'SERVICE_UNAVAILABLE', 'inventory'],
    ]);
    expect((await query(ORDERS_ONLY)).errors).toBeUndefined();
    expect((await query(ANALYTICS_ONLY)).errors).toBeUndefined();
  });

  it('is named by /readyz and marked DOWN with ServiceDown firing', async () => {
    const ready = await readyz();
    expect(ready.status).toBe(503);
    expect(ready.body.checks.inventory?.ok).toBe(false);
    await until(async () => (await statusOf('inventory')) === 'DOWN', 'inventory marked DOWN', { timeoutMs: 15_000 });
    await until(async () => (await serviceDownAlerts('inventory')).length === 1, 'ServiceDown firing for inventory', { timeoutMs: 15_000 });
  });

  it('recovers once a new inventory listens on the same port, with the data it had', async () => {
    const config = loadInventoryConfig({ env: platform.env, overrides: { HOST: '127.0.0.1', PORT: String(port(platform.inventoryUrl)) } });
    const inventory = await createInventoryServer({ config, logger: createLogger({ service: 'inventory', level: 'silent' }) });
    await inventory.start();
    platform.inventory = inventory as typeof platform.inventory;
    await until(async () => (await query(INVENTORY_ONLY)).errors === undefined, 'inventory answering again', { timeoutMs: 30_000 });
    expect((await query(INVENTORY_ONLY)).data?.item).toEqual({ sku: 'SKU-0', stock: { onHand: 7 } });
    await until(async () => (await readyz()).status === 200, '/readyz 200 again', { timeoutMs: 15_000 });
    await until(async () => (await statusOf('inventory')) === 'UP', 'inventory UP again', { timeoutMs: 15_000 });
    await until(async () => (await serviceDownAlerts('inventory')).length === 0, 'ServiceDown resolved', { timeoutMs: 15_000 });
  });
});
