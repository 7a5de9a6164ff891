import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql, tokenFor, uniqueTenant } from '@stockline/testkit';
import { expectedMovementStats, expectedSummary, expectedTimeseries } from '../support/ledger-reports.ts';
import { startAnalyticsPlatform, type AnalyticsPlatform } from '../support/analytics-platform.ts';
import { eventually } from '../support/eventually.ts';
import { caller, inventoryHead, parseCsv, readLedger, runBusiness } from '../support/live-ledger.ts';
import type { ScriptedTenant } from '../support/history.ts';

const DAY = 86_400_000;

describe('analytics fed live from the inventory event log, through the gateway', () => {
  let platform: AnalyticsPlatform;
  let url: string;
  const tenants = [uniqueTenant('analytics-live-a'), uniqueTenant('analytics-live-b')];
  const tokens: Record<string, string> = {};
  const ledgers: Record<string, ScriptedTenant> = {};
  const business: Record<string, Awaited<ReturnType<typeof runBusiness>>> = {};
  const today = new Date(Math.floor(Date.now() / DAY) * DAY);
  const range = { from: new Date(today.getTime() - 2 * DAY), to: new Date(Date.now() + DAY) };

  beforeAll(async () => {
    platform = await startAnalyticsPlatform('analytics_live');
    url = `${platform.gatewayOrigin}/graphql`;
    for (const [i, tenant] of tenants.entries()) {
      tokens[tenant] = await tokenFor(tenant, ['admin']);
      business[tenant] = await runBusiness(caller(url, tokens[tenant]), platform.inventory, tenant, { scale: i + 1 });
    }
    // Every committed event numbered and published: the head is final.
    await platform.inventory.relay.drain();
    const head = await inventoryHead(platform.inventoryUrl);
    await eventually(async () => {
      const lag = await caller(url, tokens[tenants[0]])(`{ analyticsLag { position eventsBehind lastEventAt } }`);
      expect(lag.analyticsLag.position).toBeGreaterThanOrEqual(head);
    });
    for (const tenant of tenants) ledgers[tenant] = await readLedger(caller(url, tokens[tenant]), tenant);
  }, 120_000);
  afterAll(() => platform?.stop());

  it('gives the daily time series the ledger gives, ending on the live level', async () => {
    for (const tenant of tenants) {
      const call = caller(url, tokens[tenant]);
      const query = `query($from: DateTime!, $to: DateTime!, $i: Interval!, $loc: ID, $cat: ID) {
        inventoryTimeseries(from: $from, to: $to, interval: $i, locationId: $loc, categoryId: $cat) { at onHand received shipped adjusted } }`;
      const ledger = ledgers[tenant];
      for (const filters of [{}, { locationId: business[tenant].locations[1] }, { categoryId: business[tenant].categories[0] }]) {
        const data = await call(query, { from: range.from.toISOString(), to: range.to.toISOString(), i: 'DAY', loc: null, cat: null, ...(filters.locationId ? { loc: filters.locationId } : {}), ...(filters.categoryId ? { cat: filters.categoryId } : {}) });
        expect(data.inventoryTimeseries).toEqual(expectedTimeseries(ledger, { ...range, interval: 'DAY', ...filters }));
      }
      const data = await call(query, { from: range.from.toISOString(), to: range.to.toISOString(), i: 'DAY' });
      const live = [...ledger.levels.values()].reduce((s, l) => s + l.onHand, 0);
      expect(data.inventoryTimeseries.at(-1).onHand).toBe(live);
      expect(live).toBeGreaterThan(0);
    }
  });

  it('sums the live levels in the inventory summary and ranks top movers as the ledger does', async () => {
    for (const tenant of tenants) {
      const call = caller(url, tokens[tenant]);
      const ledger = ledgers[tenant];
      const data = await call(`query($from: DateTime!, $to: DateTime!, $loc: ID) {
        all: inventorySummary { itemCount unitsOnHand unitsReserved outOfStockCount belowReorderPointCount }
        here: inventorySummary(locationId: $loc) { itemCount unitsOnHand unitsReserved outOfStockCount belowReorderPointCount }
        topMovers(from: $from, to: $to, limit: 3) { item { id sku } unitsShipped unitsReceived } }`, { from: range.from.toISOString(), to: range.to.toISOString(), loc: business[tenant].locations[0] });
      expect(data.all).toEqual(expectedSummary(ledger, {}));
      expect(data.here).toEqual(expectedSummary(ledger, { locationId: business[tenant].locations[0] }));
      expect(data.all.belowReorderPointCount).toBe(1);
      const movers = expectedMovementStats(ledger, range).slice(0, 3);
      expect(data.topMovers.map((m: any) => ({ itemId: m.item.id, unitsShipped: m.unitsShipped, unitsReceived: m.unitsReceived }))).toEqual(movers);
      // Item is federated: its sku comes from inventory in the same query.
      expect(data.topMovers[0].item.sku).toMatch(/^SKU-/);
    }
  });

  it('adds analytics to Item: units, average daily shipped, days of cover, projected stockout', async () => {
    const tenant = tenants[1];
    const call = caller(url, tokens[tenant]);
    const item = business[tenant].items[3];
    const data = await call(`query($id: ID!, $from: DateTime!, $to: DateTime!) {
      item(id: $id) { stock { available } analytics(from: $from, to: $to) { unitsShipped unitsReceived averageDailyShipped daysOfCover projectedStockoutAt } } }`, { id: item, from: range.from.toISOString(), to: range.to.toISOString() });
    const stats = expectedMovementStats(ledgers[tenant], range).find((s) => s.itemId === item)!;
    const days = (range.to.getTime() - range.from.getTime()) / DAY;
    const a = data.item.analytics;
    expect(a.unitsShipped).toBe(stats.unitsShipped);
    expect(a.unitsReceived).toBe(stats.unitsReceived);
    expect(a.averageDailyShipped).toBeCloseTo(stats.unitsShipped / days, 9);
    expect(a.daysOfCover).toBeCloseTo(data.item.stock.available / (stats.unitsShipped / days), 6);
    expect(new Date(a.projectedStockoutAt).getTime()).toBeGreaterThan(Date.now());
  });

  it('exports its consumer lag on /metrics, at zero once caught up', async () => {
    await eventually(async () => {
      const text = await (await fetch(`${platform.analyticsUrl}/metrics`)).text();
      expect(text).toMatch(/^stockline_event_consumer_lag\{[^}]*consumer="analytics:inventory",stream="inventory"[^}]*\} 0$/m);
    });
  });

  it('keeps tenants apart: one tenant never sees the other one\'s items or units', async () => {
    const [a, b] = tenants;
    const data = await caller(url, tokens[a])(`query($from: DateTime!, $to: DateTime!) { topMovers(from: $from, to: $to, limit: 100) { item { id } } }`, range);
    const ids = new Set(data.topMovers.map((m: any) => m.item.id));
    expect(business[b].items.some((id) => ids.has(id))).toBe(false);
    expect(business[a].items.every((id) => ids.has(id))).toBe(true);
    const other = await caller(url, tokens[a])(`query($loc: ID) { inventorySummary(locationId: $loc) { itemCount unitsOnHand } }`, { loc: business[b].locations[0] });
    expect(other.inventorySummary).toEqual({ itemCount: 0, unitsOnHand: 0 });
  });

  it('refuses bad ranges with BAD_USER_INPUT and an unauthenticated call with UNAUTHENTICATED', async () => {
    const token = tokens[tenants[0]];
    const query = `query($from: DateTime!, $to: DateTime!) { inventoryTimeseries(from: $from, to: $to, interval: DAY) { at } }`;
    const backwards = await graphql(url, { query, token, variables: { from: range.to.toISOString(), to: range.from.toISOString() } });
    expect(backwards.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const tooLong = await graphql(url, { query, token, variables: { from: '2019-01-01T00:00:00Z', to: '2026-01-01T00:00:00Z' } });
    expect(tooLong.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const anonymous = await graphql(url, { query: `{ inventorySummary { itemCount } }` });
    expect(anonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  describe('the CSV export, through the gateway origin', () => {
    const csv = (path: string, token?: string) => fetch(`${platform.gatewayOrigin}/analytics/export/${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    const qs = () => `from=${encodeURIComponent(range.from.toISOString())}&to=${encodeURIComponent(range.to.toISOString())}`;

    it('streams each tenant its own time series as CSV, equal to the ledger', async () => {
      for (const tenant of tenants) {
        const response = await csv(`inventory-timeseries.csv?${qs()}&interval=DAY`, tokens[tenant]);
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
        const rows = parseCsv(await response.text());
        const expected = expectedTimeseries(ledgers[tenant], { ...range, interval: 'DAY' });
        expect(rows).toEqual(expected.map((p) => ({ at: p.at, on_hand: String(p.onHand), received: String(p.received), shipped: String(p.shipped), adjusted: String(p.adjusted) })));
      }
    });

    it('exports top movers with skus, ABC classes and the summary, each scoped to the caller\'s tenant', async () => {
      const [a, b] = tenants;
      const movers = parseCsv(await (await csv(`top-movers.csv?${qs()}&limit=100`, tokens[a])).text());
      expect(movers.map((r) => r.item_id).sort()).toEqual([...business[a].items].sort());
      expect(movers.every((r) => r.sku.startsWith('SKU-'))).toBe(true);
      const abc = parseCsv(await (await csv(`abc-classification.csv?${qs()}`, tokens[b])).text());
      expect(abc.map((r) => r.item_id).sort()).toEqual([...business[b].items].sort());
      expect(abc[0].class).toBe('A');
      const summary = parseCsv(await (await csv('inventory-summary.csv', tokens[b])).text());
      expect(summary).toEqual([{
        item_count: '4', units_on_hand: String(expectedSummary(ledgers[b], {}).unitsOnHand), units_reserved: String(expectedSummary(ledgers[b], {}).unitsReserved),
        out_of_stock_count: String(expectedSummary(ledgers[b], {}).outOfStockCount), below_reorder_point_count: '1',
      }]);
    });

    it('answers 401 without a token and 400 BAD_USER_INPUT for a bad range or an unknown report', async () => {
      const anonymous = await csv(`inventory-timeseries.csv?${qs()}`);
      expect(anonymous.status).toBe(401);
      expect(((await anonymous.json()) as { code: string }).code).toBe('UNAUTHENTICATED');
      const token = tokens[tenants[0]];
      const backwards = await csv(`inventory-timeseries.csv?from=${encodeURIComponent(range.to.toISOString())}&to=${encodeURIComponent(range.from.toISOString())}`, token);
      expect(backwards.status).toBe(400);
      expect(((await backwards.json()) as { code: string }).code).toBe('BAD_USER_INPUT');
      const unknown = await csv('no-such-report.csv', token);
      expect(unknown.status).toBe(400);
      expect(((await unknown.json()) as { code: string }).code).toBe('BAD_USER_INPUT');
    });
  });
});
