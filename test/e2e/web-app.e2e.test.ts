/**
 * The board at /app in Debian's Chromium against the whole platform in this process: live updates on two
 * pages, orders moving through their statuses, resume after a dropped socket, same-origin only, no console
 * error, every HTTP document in the trusted manifest. Screenshots and first-paint figures go to
 * test-artifacts/web-app/ (gitignored).
 */
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page, type WebSocketRoute } from 'playwright-core';
import { tokenFor } from '@stockline/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { seedCatalog } from '../support/fixtures.ts';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DIST = `${ROOT}clients/web/dist`;
const ARTIFACTS = `${ROOT}test-artifacts/web-app`;
const LIVE_MS = 5_000;

const ADJUST = `mutation($input: AdjustStockInput!) { adjustStock(input: $input) { stockLevel { onHand } userErrors { code } } }`;
const levelId = (itemId: string, locationId: string) => Buffer.from(`${itemId}:${locationId}`).toString('base64url');

interface Observed { requests: string[]; consoleErrors: string[]; documents: string[] }

let platform: TestPlatform;
let browser: Browser;
let tenant: string;
let token: string;
let origin: string;
let catalog: { locationIds: string[]; itemIds: string[] };
const pages: { page: Page; context: BrowserContext; observed: Observed }[] = [];
/** The board's socket on page A, routed through the test so it can be dropped and kept down. */
let socketBlocked = false;
let socket: { page: WebSocketRoute; server: WebSocketRoute } | null = null;

async function openBoard({ viewport, signIn, routeSocket = false }: { viewport: { width: number; height: number }; signIn: 'dev-token' | 'paste'; routeSocket?: boolean }) {
  const context = await browser.newContext({ viewport });
  const observed: Observed = { requests: [], consoleErrors: [], documents: [] };
  context.on('request', (r) => {
    observed.requests.push(r.url());
    if (r.method() === 'POST' && new URL(r.url()).pathname === '/graphql') {
      const body = JSON.parse(r.postData() ?? '{}') as { query?: string; extensions?: { persistedQuery?: { sha256Hash?: string } } };
      observed.documents.push(body.extensions?.persistedQuery?.sha256Hash ?? createHash('sha256').update(body.query ?? '').digest('hex'));
    }
  });
  const page = await context.newPage();
  page.on('websocket', (ws) => observed.requests.push(ws.url()));
  page.on('console', (m) => { if (m.type() === 'error') observed.consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => observed.consoleErrors.push(e.message));
  if (routeSocket) {
    await page.routeWebSocket(/\/graphql$/, (ws) => {
      if (socketBlocked) return void ws.close({ code: 1013, reason: 'test: network down' });
      socket = { page: ws, server: ws.connectToServer() };
    });
  }
  await page.goto(`${origin}/app/`);
  if (signIn === 'dev-token') await page.getByTestId('use-dev-token').click();
  else {
    await page.getByLabel('Token or API key').fill(token);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }
  await page.locator(`[data-item-id="${catalog.itemIds[0]}"]`).first().waitFor({ timeout: 20_000 });
  await expect.poll(() => page.getByTestId('connection').getAttribute('data-state'), { timeout: 10_000 }).toBe('online');
  pages.push({ page, context, observed });
  return page;
}

const onHandShown = (page: Page, itemId: string, locationId: string) =>
  page.locator(`[data-testid=items] [data-level-id="${levelId(itemId, locationId)}"]`).getAttribute('data-on-hand');
const orderStatus = (page: Page, orderId: string) => page.locator(`[data-testid=orders] [data-order-id="${orderId}"]`).getAttribute('data-status', { timeout: 1_000 }).catch(() => null);

beforeAll(async () => {
  if (!existsSync(`${DIST}/index.html`)) execFileSync('npm', ['run', '-s', 'build', '-w', '@stockline/web'], { cwd: ROOT, stdio: 'inherit', timeout: 120_000 });
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium`);
  mkdirSync(ARTIFACTS, { recursive: true });
  tenant = `web${randomBytes(3).toString('hex')}`;
  token = await tokenFor(tenant, ['admin']);
  platform = await startTestPlatform({ env: { GRAPHIQL_DEV_TOKEN: token } });
  origin = platform.gatewayUrl;
  catalog = await seedCatalog(platform, tenant, { locations: ['A', 'B'], items: 3, onHand: 20 });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await platform?.stop();
});

describe('the board at /app in Chromium', { timeout: 60_000 }, () => {
  let a: Page;
  let b: Page;

  it('signs in on two pages (development token on a desktop, pasted token on a phone) and shows stock per location', async () => {
    const started = Date.now();
    a = await openBoard({ viewport: { width: 1280, height: 860 }, signIn: 'dev-token', routeSocket: true });
    const firstPaint = await a.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null);
    b = await openBoard({ viewport: { width: 390, height: 844 }, signIn: 'paste' });
    expect(await onHandShown(a, catalog.itemIds[0], catalog.locationIds[0])).toBe('20');
    expect(await onHandShown(b, catalog.itemIds[0], catalog.locationIds[1])).toBe('20');
    // Search as you type (searchItems), then back to the full board.
    await b.getByLabel('Search items').fill('Item 2');
    await expect.poll(() => b.locator('.count').innerText(), { timeout: 10_000 }).toMatch(/matching/);
    await b.locator(`[data-testid=items] [data-item-id="${catalog.itemIds[2]}"]`).waitFor({ timeout: 10_000 });
    await b.getByLabel('Search items').fill('');
    await expect.poll(() => b.locator('[data-testid=items] > li').count(), { timeout: 10_000 }).toBe(3);
    writeFileSync(`${ARTIFACTS}/metrics.json`, JSON.stringify({ firstContentfulPaintMs: firstPaint, boardReadyMs: Date.now() - started }, null, 2));
  });

  it('shows an adjustStock made through the API on both pages within seconds, with no reload', async () => {
    const navigations = pages.map(({ page }) => page.evaluate<number>('performance.getEntriesByType("navigation").length'));
    const reorder = await platform.as(tenant, ['admin'], `mutation($i: ID!, $l: ID!) { setReorderPoint(itemId: $i, locationId: $l, reorderPoint: 18) { userErrors { code } } }`, { i: catalog.itemIds[0], l: catalog.locationIds[0] });
    expect(reorder.data.setReorderPoint.userErrors).toEqual([]);
    const res = await platform.as(tenant, ['clerk'], ADJUST, { input: { itemId: catalog.itemIds[0], locationId: catalog.locationIds[0], delta: -5, reason: 'DAMAGED' } });
    expect(res.data.adjustStock.userErrors).toEqual([]);
    for (const page of [a, b]) {
      await expect.poll(() => onHandShown(page, catalog.itemIds[0], catalog.locationIds[0]), { timeout: LIVE_MS }).toBe('15');
      await expect.poll(() => page.locator(`[data-testid=movements] li[data-item-id="${catalog.itemIds[0]}"][data-reason=DAMAGED]`).getAttribute('data-delta'), { timeout: LIVE_MS }).toBe('-5');
      // 15 available under a reorder point of 18: the level and its item carry the low-stock badge.
      await page.locator(`[data-testid=items] [data-item-id="${catalog.itemIds[0]}"] [data-low-stock]`).waitFor({ timeout: LIVE_MS });
    }
    expect(await Promise.all(pages.map(({ page }) => page.evaluate<number>('performance.getEntriesByType("navigation").length')))).toEqual(await Promise.all(navigations));
    await a.screenshot({ path: `${ARTIFACTS}/board.png` });
    await b.screenshot({ path: `${ARTIFACTS}/board-phone.png`, fullPage: true });
  });

  it('lists a placed order as RESERVED, then FULFILLED after fulfillOrder, on both pages', async () => {
    const placed = await platform.as(tenant, ['clerk'], `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { order { id status } userErrors { code } } }`, {
      input: { lines: [{ itemId: catalog.itemIds[1], quantity: 2, locationId: catalog.locationIds[0] }], shippingAddress: { name: 'Ada', line1: '1 Sq', city: 'London', postalCode: 'SW1', country: 'GB' } },
    });
    expect(placed.data.placeOrder.userErrors).toEqual([]);
    const orderId = placed.data.placeOrder.order.id as string;
    for (const page of [a, b]) await expect.poll(() => orderStatus(page, orderId), { timeout: LIVE_MS }).toBe('RESERVED');
    const shipped = await platform.as(tenant, ['clerk'], `mutation($input: FulfillOrderInput!) { fulfillOrder(input: $input) { order { status } userErrors { code } } }`, {
      input: { orderId, carrier: 'UPS', trackingNumber: '1Z1' },
    });
    expect(shipped.data.fulfillOrder.userErrors).toEqual([]);
    for (const page of [a, b]) {
      await expect.poll(() => orderStatus(page, orderId), { timeout: LIVE_MS }).toBe('FULFILLED');
      await expect.poll(() => onHandShown(page, catalog.itemIds[1], catalog.locationIds[0]), { timeout: LIVE_MS }).toBe('18');
    }
  });

  it('after its socket drops, says it is offline, and on reconnect shows the final values and the 3 movements it missed', async () => {
    const [item, location] = [catalog.itemIds[2], catalog.locationIds[1]];
    socketBlocked = true;
    socket!.page.close({ code: 1013, reason: 'test: network down' });
    socket!.server.close();
    await a.getByTestId('offline-banner').waitFor({ timeout: 10_000 });
    for (const delta of [1, 2, 3]) {
      const res = await platform.as(tenant, ['clerk'], ADJUST, { input: { itemId: item, locationId: location, delta, reason: 'CORRECTION' } });
      expect(res.data.adjustStock.userErrors).toEqual([]);
    }
    // Page B, still connected, sees them live; page A cannot while its socket is down.
    await expect.poll(() => onHandShown(b, item, location), { timeout: LIVE_MS }).toBe('26');
    expect(await onHandShown(a, item, location)).toBe('20');
    socketBlocked = false;
    await expect.poll(() => a.getByTestId('connection').getAttribute('data-state'), { timeout: 20_000 }).toBe('online');
    await expect.poll(() => onHandShown(a, item, location), { timeout: LIVE_MS }).toBe('26');
    const missed = a.locator(`[data-testid=movements] li[data-item-id="${item}"][data-reason=CORRECTION]`);
    await expect.poll(async () => (await missed.evaluateAll((els) => els.map((e) => e.getAttribute('data-delta')))), { timeout: LIVE_MS }).toEqual(['3', '2', '1']);
    expect(await a.getByTestId('offline-banner').count()).toBe(0);
  });

  it('opens an item page with its ledger and on-hand chart, updated live', async () => {
    const item = catalog.itemIds[0];
    await a.locator(`[data-testid=items] [data-item-id="${item}"] a.item-name`).click();
    const ledger = a.getByTestId('ledger');
    await ledger.locator('li[data-reason=DAMAGED]').waitFor({ timeout: 10_000 });
    await platform.as(tenant, ['clerk'], ADJUST, { input: { itemId: item, locationId: catalog.locationIds[1], delta: 4, reason: 'RECEIVED' } });
    await expect.poll(() => ledger.locator('li').first().getAttribute('data-delta'), { timeout: LIVE_MS }).toBe('4');
    await expect.poll(() => a.getByTestId('item-available').innerText(), { timeout: LIVE_MS }).toMatch(/^39 /);
    await a.getByTestId('days-of-cover').waitFor();
    await a.waitForLoadState('networkidle');
    await a.screenshot({ path: `${ARTIFACTS}/item.png`, fullPage: true });
  });

  it('made no request to another host, logged no error, and sent only documents of its trusted manifest', async () => {
    const manifest = JSON.parse(readFileSync(`${DIST}/persisted-documents.json`, 'utf8')) as Record<string, string>;
    const host = new URL(origin).host;
    for (const { observed } of pages) {
      expect(observed.requests.filter((u) => new URL(u).host !== host)).toEqual([]);
      expect(observed.consoleErrors).toEqual([]);
      expect(observed.documents.length).toBeGreaterThan(0);
      expect(observed.documents.filter((h) => !(h in manifest))).toEqual([]);
    }
  });
});
