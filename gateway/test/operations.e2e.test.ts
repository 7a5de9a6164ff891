/**
 * Operating the platform end to end: /metrics counts what the test did, real Prometheus scrapes every
 * service, the monitor's webhook tells "service down" and "resolved" once each, and headless Chromium
 * sees the dashboard draw charts and mark a stopped service down (screenshot in test/artifacts).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@stockline/observability';
import { graphql, tokenFor, uniqueTenant } from '@stockline/testkit';
import { loadOrdersConfig } from '../../subgraphs/orders/src/config.ts';
import { createOrdersServer, type OrdersServer } from '../../subgraphs/orders/src/server.ts';
import { seedCatalog } from '../../test/support/fixtures.ts';
import { startTestPlatform, type TestPlatform } from '../../test/support/test-platform.ts';
import { startPrometheus, type RunningPrometheus } from './support/start-prometheus.ts';
import { startWebhookReceiver } from './support/webhook-receiver.ts';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const GATEWAY_DIR = fileURLToPath(new URL('..', import.meta.url));
const SCREENSHOT = fileURLToPath(new URL('./artifacts/dashboard.png', import.meta.url));
const COUNTED = 7;

const tenant = uniqueTenant('ops');
let webhook: Awaited<ReturnType<typeof startWebhookReceiver>>;
let platform: TestPlatform;
let prometheus: RunningPrometheus;
let browser: Browser;
let page: Page;
let restartedOrders: OrdersServer | null = null;

/** Every service of the platform by name, from its `<name>Url` fields. */
const services = () => Object.fromEntries(Object.entries(platform).filter(([k, v]) => k.endsWith('Url') && typeof v === 'string' && k !== 'databaseUrl' && k !== 'url').map(([k, v]) => [k.replace(/Url$/, ''), v as string]));

beforeAll(async () => {
  if (!existsSync(`${GATEWAY_DIR}/dashboard/dist/index.html`)) {
    await promisify(execFile)('npx', ['vite', 'build', '--config', 'dashboard/vite.config.ts'], { cwd: GATEWAY_DIR, timeout: 120_000 });
  }
  webhook = await startWebhookReceiver();
  platform = await startTestPlatform({ redis: false, env: { MONITOR_INTERVAL_MS: '500', ALERT_WEBHOOK_URL: webhook.url } });
  prometheus = await startPrometheus(Object.fromEntries(Object.entries(services()).map(([name, url]) => [name, new URL(url).host])));
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await prometheus?.stop();
  await restartedOrders?.stop();
  await platform?.stop();
  await webhook?.close();
});

/** The value of one series in Prometheus's text format, whatever the order of its labels. */
function sampleValue(text: string, name: string, labels: Record<string, string>): number | null {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) return Number(line.split(' ').at(-1));
  }
  return null;
}

async function poll<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('operating the platform', () => {
  it('counts the test requests in /metrics on the gateway and in the subgraph that served them', async () => {
    const token = await tokenFor(tenant, ['viewer']);
    for (let i = 0; i < COUNTED; i++) {
      const result = await graphql(platform.url, { query: 'query OpsCount { items(first: 1) { totalCount } }', token });
      expect(result.errors).toBeUndefined();
    }
    const gateway = await (await fetch(`${platform.gatewayUrl}/metrics`)).text();
    expect(sampleValue(gateway, 'stockline_graphql_requests_total', { operation: 'OpsCount', outcome: 'ok', service: 'gateway' })).toBe(COUNTED);
    expect(sampleValue(gateway, 'stockline_graphql_request_duration_seconds_count', { operation: 'OpsCount' })).toBe(COUNTED);
    expect(sampleValue(gateway, 'stockline_subgraph_fetch_duration_seconds_count', { subgraph: 'inventory' })).toBeGreaterThanOrEqual(COUNTED);
    const inventory = await (await fetch(`${platform.inventoryUrl}/metrics`)).text();
    expect(sampleValue(inventory, 'stockline_graphql_requests_total', { service: 'inventory', outcome: 'ok' })).toBeGreaterThanOrEqual(COUNTED);
    expect(inventory).toMatch(/^stockline_stock_invariant_violations_total\{service="inventory"\} 0$/m);
  });

  it('is scraped by Prometheus: up == 1 for every service, and PromQL sees the requests the test made', async () => {
    const jobs = Object.keys(services());
    await poll('every target up', async () => {
      const up = await prometheus.query('up');
      return jobs.every((job) => up.some((r) => r.metric.job === job && r.value[1] === '1'));
    });
    const counted = await poll('the OpsCount series', async () => {
      const [r] = await prometheus.query('sum(stockline_graphql_requests_total{job="gateway",operation="OpsCount",outcome="ok"})');
      return r && Number(r.value[1]) === COUNTED ? Number(r.value[1]) : null;
    });
    expect(counted).toBe(COUNTED);
  });

  it('shows the dashboard with charts drawn from live data', async () => {
    const { locationIds, itemIds } = await seedCatalog(platform, tenant, { items: 1, onHand: 2 });
    const reorder = await platform.as(tenant, ['admin'], 'mutation($i: ID!, $l: ID!) { setReorderPoint(itemId: $i, locationId: $l, reorderPoint: 5) { userErrors { code } } }', { i: itemIds[0], l: locationIds[0] });
    expect(reorder.data.setReorderPoint.userErrors).toEqual([]);
    page = await browser.newPage({ viewport: { width: 1280, height: 1100 } });
    const foreign: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(platform.gatewayUrl) && !r.url().startsWith('data:')) foreign.push(r.url());
    });
    await page.goto(`${platform.gatewayUrl}/dashboard/#token=${await tokenFor(tenant, ['admin'])}`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 20_000 });
    await page.waitForFunction("Number(document.getElementById('chart-rate')?.dataset.points ?? 0) >= 3", null, { timeout: 20_000 });
    expect(await page.locator('.chart canvas').count()).toBeGreaterThanOrEqual(5);
    await page.waitForSelector('[data-service="orders"][data-status="UP"]');
    await page.waitForSelector('#low-stock svg rect.bar');
    expect(foreign).toEqual([]);
  });

  it('alerts "service down" within 20 s of stopping a service and "resolved" once it returns, once each; the dashboard marks it down', async () => {
    const port = Number(new URL(platform.ordersUrl).port);
    const stoppedAt = Date.now();
    await platform.orders.stop();
    const down = await webhook.waitFor((a) => a.alertname === 'ServiceDown' && a.service === 'orders' && a.status === 'firing', 20_000);
    expect(down.at - stoppedAt).toBeLessThan(20_000);
    await page.waitForSelector('[data-service="orders"][data-status="DOWN"]', { timeout: 20_000 });
    await page.waitForSelector('#alerts li.FIRING');
    await page.screenshot({ path: SCREENSHOT, fullPage: true });

    restartedOrders = await createOrdersServer({
      config: loadOrdersConfig({ env: { NODE_ENV: 'test', LOG_LEVEL: 'silent', VITEST: 'true' }, overrides: { DATABASE_URL: platform.databaseUrl, HOST: '127.0.0.1', PORT: String(port), INVENTORY_URL: platform.inventoryUrl } }),
      logger: createLogger({ service: 'orders', level: 'silent' }),
    });
    await restartedOrders.start();
    await webhook.waitFor((a) => a.alertname === 'ServiceDown' && a.service === 'orders' && a.status === 'resolved', 20_000);
    await page.waitForSelector('[data-service="orders"][data-status="UP"]', { timeout: 20_000 });
    // A few more rounds: nothing fires or resolves twice.
    await new Promise((r) => setTimeout(r, 1_500));
    const orders = webhook.received.filter((a) => a.alertname === 'ServiceDown' && a.service === 'orders');
    expect(orders.map((a) => a.status), JSON.stringify(webhook.received)).toEqual(['firing', 'resolved']);
    const admin = await graphql(`${platform.gatewayUrl}/admin/graphql`, { query: '{ alerts { rule status labels { name value } } }', token: await tokenFor(tenant, ['admin']) });
    expect(admin.data.alerts).toContainEqual({ rule: 'ServiceDown', status: 'RESOLVED', labels: [{ name: 'service', value: 'orders' }] });
    const viewer = await graphql(`${platform.gatewayUrl}/admin/graphql`, { query: '{ alerts { rule } }', token: await tokenFor(tenant, ['viewer']) });
    expect(viewer.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});
