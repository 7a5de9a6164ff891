import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_REDIS_URL, tokenFor, uniqueTenant } from '@stockline/testkit';
import { startAnalyticsPlatform, type AnalyticsPlatform } from '../support/analytics-platform.ts';
import { startAnalyticsProcess, type AnalyticsProcess } from '../support/analytics-process.ts';
import { eventually } from '../support/eventually.ts';
import { expectedSummary, expectedTimeseries } from '../support/ledger-reports.ts';
import { caller, inventoryHead, readLedger } from '../support/live-ledger.ts';

const DAY = 86_400_000;

describe('the analytics service killed with SIGKILL mid-stream', () => {
  let platform: AnalyticsPlatform;
  let running: AnalyticsProcess | null = null;
  const dir = mkdtempSync(join(tmpdir(), 'analytics-crash-'));
  const tenant = uniqueTenant('analytics-crash');
  let token: string;

  beforeAll(async () => {
    platform = await startAnalyticsPlatform('analytics_crash', { analytics: false });
    token = await tokenFor(tenant, ['admin']);
  });
  afterAll(async () => {
    running?.kill('SIGKILL');
    await platform?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('catches up after a restart with no movement counted twice', async () => {
    const inventory = caller(`${platform.inventoryUrl}/graphql`, token);
    const location = (await inventory(`mutation { createLocation(code: "WH", name: "Warehouse") { location { id } } }`)).createLocation.location.id;
    const items: string[] = (await inventory(`mutation($i: [UpsertItemInput!]!) { bulkUpsertItems(inputs: $i) { items { id } } }`, {
      i: Array.from({ length: 20 }, (_, n) => ({ sku: `CR-${n}`, name: `Crash ${n}` })),
    })).bulkUpsertItems.items.map((i: { id: string }) => i.id);
    let round = 0;
    const writeRound = async () => {
      round++;
      const correction = (n: number) => round > 1 && n % 7 === 6;
      const inputs = Array.from({ length: 200 }, (_, n) => ({ itemId: items[n % items.length], locationId: location, delta: correction(n) ? -1 : 3, reason: correction(n) ? 'CORRECTION' : 'RECEIVED' }));
      const data = await inventory(`mutation($i: [AdjustStockInput!]!) { bulkAdjustStock(inputs: $i) { userErrors { code message } } }`, { i: inputs });
      expect(data.bulkAdjustStock.userErrors.slice(0, 2), `round ${round}`).toEqual([]);
    };
    for (let i = 0; i < 3; i++) await writeRound();

    const env = {
      ANALYTICS_DB_PATH: join(dir, 'analytics.duckdb'),
      INVENTORY_URL: platform.inventoryUrl,
      REDIS_URL: TEST_REDIS_URL,
      EVENTS_CHANNEL_PREFIX: platform.channelPrefix,
      ANALYTICS_BATCH_SIZE: '20',
    };
    const lag = async (p: AnalyticsProcess) => (await (await fetch(`${p.baseUrl}/lag`)).json()) as { position: number; head: number };
    running = await startAnalyticsProcess(env);
    // Keep writing while it applies, and kill it as soon as it has applied something.
    const writer = (async () => {
      for (let i = 0; i < 2; i++) await writeRound();
    })();
    const before = await eventually(async () => {
      const seen = await lag(running!);
      expect(seen.position).toBeGreaterThan(0);
      return seen;
    }, { intervalMs: 10 });
    running.kill('SIGKILL');
    expect((await running.exited).signal).toBe('SIGKILL');
    await writer;
    await writeRound();
    // Every committed event numbered and published: the head is final.
    await platform.inventory.relay.drain();
    const head = await inventoryHead(platform.inventoryUrl);
    expect(head).toBe(items.length + round * 200);
    expect(before.position).toBeLessThan(head);

    running = await startAnalyticsProcess(env);
    await eventually(async () => expect((await lag(running!)).position).toBeGreaterThanOrEqual(head), { timeoutMs: 90_000 });

    const ledger = await readLedger(inventory, tenant);
    expect(ledger.movements).toHaveLength(round * 200);
    const analytics = caller(`${running.baseUrl}/graphql`, token);
    const range = { from: new Date(Date.now() - DAY), to: new Date(Date.now() + DAY) };
    const data = await analytics(`query($from: DateTime!, $to: DateTime!) {
      inventoryTimeseries(from: $from, to: $to, interval: DAY) { at onHand received shipped adjusted }
      inventorySummary { itemCount unitsOnHand unitsReserved outOfStockCount belowReorderPointCount } }`, { from: range.from.toISOString(), to: range.to.toISOString() });
    expect(data.inventoryTimeseries).toEqual(expectedTimeseries(ledger, { ...range, interval: 'DAY' }));
    expect(data.inventorySummary).toEqual(expectedSummary(ledger, {}));
    const received = ledger.movements.filter((m) => m.reason === 'RECEIVED').reduce((s, m) => s + m.onHandDelta, 0);
    expect(data.inventoryTimeseries.reduce((s: number, p: { received: number }) => s + p.received, 0)).toBe(received);
    await running.stop();
    running = null;
  }, 180_000);
});
