import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DomainEvent } from '@stockline/events';
import { DuckDbAnalyticsStore } from '../src/data/duckdb-analytics-store.ts';
import { AnalyticsService } from '../src/domain/analytics.service.ts';
import { toIngestEvent } from '../src/domain/to-ingest-event.ts';
import { scriptHistory, type ScriptedTenant } from './support/history.ts';
import {
  expectedAbc,
  expectedAvailable,
  expectedDeadStock,
  expectedMovementStats,
  expectedSummary,
  expectedTimeseries,
} from './support/ledger-reports.ts';

const DAY = 86_400_000;
const CONSUMER = 'analytics:inventory';
const history = scriptHistory({ tenantIds: ['store-a', 'store-b'], seed: 11 });
const [a, b] = history.tenants;
const end = new Date(history.start.getTime() + history.days * DAY);
const now = new Date(end.getTime() + 3_600_000);
const actor = (t: ScriptedTenant) => ({ tenantId: t.tenantId, userId: 'test' });
const iso = (points: { at: Date | string }[]) => points.map((p) => ({ ...p, at: new Date(p.at).toISOString() }));

async function ingestAll(store: DuckDbAnalyticsStore, events: DomainEvent[], batch = 50) {
  for (let i = 0; i < events.length; i += batch) await store.ingest(CONSUMER, events.slice(i, i + batch).map(toIngestEvent));
}

/** Every report of a tenant, for comparing two stores figure by figure. */
async function everyReport(service: AnalyticsService, t: ScriptedTenant) {
  const range = { from: history.start, to: end };
  return {
    day: await service.inventoryTimeseries(actor(t), { ...range, interval: 'DAY' }),
    week: await service.inventoryTimeseries(actor(t), { ...range, interval: 'WEEK', locationId: t.locations[0] }),
    month: await service.inventoryTimeseries(actor(t), { ...range, interval: 'MONTH', categoryId: t.categories[0] }),
    summary: await service.inventorySummary(actor(t), {}),
    movers: await service.topMovers(actor(t), { ...range, limit: 100 }),
    abc: await service.abcClassification(actor(t), range),
    dead: await service.deadStock(actor(t), { days: 1 }),
    turnover: await service.stockTurnover(actor(t), range),
    items: [...(await service.itemAnalytics(actor(t), t.items.map((i) => i.id), range))],
  };
}

describe('the analytics store fed with a scripted 60-day history', () => {
  let store: DuckDbAnalyticsStore;
  let service: AnalyticsService;

  beforeAll(async () => {
    store = await DuckDbAnalyticsStore.open({ path: ':memory:' });
    service = new AnalyticsService(store, () => now);
    await ingestAll(store, history.events);
  });
  afterAll(() => store.close());

  it('gives the daily, weekly and monthly time series the ledger gives, with every filter', async () => {
    for (const t of [a, b]) {
      const cases = [
        { interval: 'DAY' as const },
        { interval: 'WEEK' as const },
        { interval: 'MONTH' as const },
        { interval: 'DAY' as const, itemId: t.items[1].id },
        { interval: 'DAY' as const, categoryId: t.categories[0] },
        { interval: 'WEEK' as const, locationId: t.locations[1] },
        { interval: 'DAY' as const, categoryId: t.categories[1], locationId: t.locations[0] },
      ];
      for (const c of cases) {
        // A range starting mid-day and mid-history: onHand opens with everything before it.
        const q = { from: new Date(history.start.getTime() + 10.5 * DAY), to: end, ...c };
        const points = await service.inventoryTimeseries(actor(t), q);
        expect(iso(points)).toEqual(expectedTimeseries(t, q));
      }
    }
  });

  it('carries onHand forward through the quiet days, and ends on the live level', async () => {
    const points = await service.inventoryTimeseries(actor(a), { from: history.start, to: now, interval: 'DAY' });
    expect(points).toHaveLength(history.days + 1);
    const quiet = points.slice(20, 25);
    expect(quiet.every((p) => p.received === 0 && p.shipped === 0 && p.adjusted === 0)).toBe(true);
    expect(new Set(points.slice(19, 25).map((p) => p.onHand)).size).toBe(1);
    const live = [...a.levels.values()].reduce((s, l) => s + l.onHand, 0);
    expect(points.at(-1)!.onHand).toBe(live);
    expect(live).toBeGreaterThan(0);
  });

  it('sums the current levels in the inventory summary, by location and by category', async () => {
    for (const t of [a, b]) {
      for (const f of [{}, { locationId: t.locations[0] }, { locationId: t.locations[2] }, { categoryId: t.categories[1] }, { categoryId: t.categories[0], locationId: t.locations[1] }]) {
        expect(await service.inventorySummary(actor(t), f)).toEqual(expectedSummary(t, f));
      }
    }
    expect((await service.inventorySummary(actor(a), {})).belowReorderPointCount + (await service.inventorySummary(actor(a), {})).outOfStockCount).toBeGreaterThanOrEqual(0);
  });

  it('ranks top movers and classifies ABC by units shipped as the ledger does', async () => {
    const range = { from: new Date(history.start.getTime() + 5 * DAY), to: new Date(history.start.getTime() + 45 * DAY) };
    const expected = expectedMovementStats(a, range);
    expect(await service.topMovers(actor(a), { ...range, limit: 3 })).toEqual(expected.slice(0, 3));
    expect(await service.topMovers(actor(a), { ...range, limit: 100 })).toEqual(expected);
    const abc = await service.abcClassification(actor(a), range);
    expect(abc.map(({ itemId, unitsShipped, class: c }) => ({ itemId, unitsShipped, class: c }))).toEqual(expectedAbc(a, range));
    expect(abc.at(-1)!.cumulativeShare).toBeCloseTo(1, 9);
    expect(new Set(abc.map((r) => r.class))).toContain('A');
  });

  it('gives each item its units, average daily shipped, days of cover and projected stockout', async () => {
    const range = { from: history.start, to: end };
    const result = await service.itemAnalytics(actor(a), a.items.map((i) => i.id), range);
    const stats = new Map(expectedMovementStats(a, range).map((s) => [s.itemId, s]));
    let covered = 0;
    for (const item of a.items) {
      const got = result.get(item.id)!;
      const shipped = stats.get(item.id)?.unitsShipped ?? 0;
      expect(got.unitsShipped).toBe(shipped);
      expect(got.unitsReceived).toBe(stats.get(item.id)?.unitsReceived ?? 0);
      expect(got.averageDailyShipped).toBeCloseTo(shipped / history.days, 9);
      if (shipped === 0) {
        expect(got.daysOfCover).toBeNull();
        expect(got.projectedStockoutAt).toBeNull();
      } else {
        covered++;
        const cover = expectedAvailable(a, item.id) / (shipped / history.days);
        expect(got.daysOfCover).toBeCloseTo(cover, 9);
        expect(got.projectedStockoutAt!.getTime()).toBe(now.getTime() + Math.round(cover * DAY));
      }
    }
    expect(covered).toBeGreaterThan(0);
  });

  it('lists dead stock: items holding stock with no movement in N days', async () => {
    const lastMoves = a.movements.map((m) => m.at.getTime()).sort((x, y) => x - y);
    for (const days of [1, Math.floor((now.getTime() - lastMoves[Math.floor(lastMoves.length / 2)]) / DAY)]) {
      const got = await service.deadStock(actor(a), { days });
      expect(got.map((r) => ({ itemId: r.itemId, onHand: r.onHand, lastMovementAt: r.lastMovementAt!.toISOString() }))).toEqual(expectedDeadStock(a, { now, days }));
    }
    expect((await service.deadStock(actor(a), { days: 1 })).length).toBeGreaterThan(0);
  });

  it('computes stock turnover from units shipped and the average daily onHand', async () => {
    const range = { from: history.start, to: end };
    const points = expectedTimeseries(a, { ...range, interval: 'DAY' });
    const shipped = points.reduce((s, p) => s + p.shipped, 0);
    const average = points.reduce((s, p) => s + p.onHand, 0) / points.length;
    const got = await service.stockTurnover(actor(a), range);
    expect(got.unitsShipped).toBe(shipped);
    expect(got.averageOnHand).toBeCloseTo(average, 9);
    expect(got.turnover).toBeCloseTo(shipped / average, 9);
  });

  it('keeps tenants apart: another tenant sees none of these figures', async () => {
    const stranger = { tenantId: 'store-nobody', userId: 'x' };
    expect(await service.inventorySummary(stranger, {})).toEqual({ itemCount: 0, unitsOnHand: 0, unitsReserved: 0, outOfStockCount: 0, belowReorderPointCount: 0 });
    expect((await service.inventoryTimeseries(stranger, { from: history.start, to: end, interval: 'WEEK' })).every((p) => p.onHand === 0 && p.shipped === 0)).toBe(true);
    expect(await service.topMovers(stranger, { from: history.start, to: end })).toEqual([]);
    // Tenant b's item asked for by tenant a: nothing.
    const [[, crossed]] = await service.itemAnalytics(actor(a), [b.items[0].id], { from: history.start, to: end });
    expect(crossed).toEqual({ unitsShipped: 0, unitsReceived: 0, averageDailyShipped: 0, daysOfCover: null, projectedStockoutAt: null });
  });

  it('refuses a range whose from is after to, or longer than five years, and a limit out of bounds, with BAD_USER_INPUT', async () => {
    const refused = [
      service.inventoryTimeseries(actor(a), { from: end, to: history.start, interval: 'DAY' }),
      service.inventoryTimeseries(actor(a), { from: new Date('2020-01-01T00:00:00Z'), to: new Date('2025-06-01T00:00:00Z'), interval: 'MONTH' }),
      service.topMovers(actor(a), { from: history.start, to: end, limit: 0 }),
      service.topMovers(actor(a), { from: history.start, to: end, limit: 101 }),
      service.itemAnalytics(actor(a), [a.items[0].id], { from: end, to: end }),
      service.deadStock(actor(a), { days: 0 }),
    ];
    for (const attempt of refused) await expect(attempt).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
  });

  it('answers unknown ids with an empty result', async () => {
    const points = await service.inventoryTimeseries(actor(a), { from: history.start, to: end, interval: 'MONTH', itemId: 'no-such-item' });
    expect(points.every((p) => p.onHand === 0 && p.received === 0)).toBe(true);
    expect(await service.inventorySummary(actor(a), { locationId: 'no-such-location' })).toMatchObject({ itemCount: 0, unitsOnHand: 0 });
  });
});

describe('ingesting the same history delivered twice, out of batch order and interleaved across tenants', () => {
  it('changes no figure', async () => {
    const reference = await DuckDbAnalyticsStore.open({ path: ':memory:' });
    const messy = await DuckDbAnalyticsStore.open({ path: ':memory:' });
    try {
      await ingestAll(reference, history.events);
      // Tenant b's events all first, then a's; every batch delivered twice, with overlapping windows.
      const byTenant = [...history.events.filter((e) => e.tenantId === b.tenantId), ...history.events.filter((e) => e.tenantId === a.tenantId)];
      for (let i = 0; i < byTenant.length; i += 30) {
        const window = byTenant.slice(Math.max(0, i - 10), i + 30).map(toIngestEvent);
        await messy.ingest(CONSUMER, window);
        await messy.ingest(CONSUMER, window.slice().reverse());
      }
      const again = await messy.ingest(CONSUMER, history.events.map(toIngestEvent));
      expect(again).toEqual({ applied: 0, skipped: history.events.length });
      for (const t of [a, b]) {
        expect(await everyReport(new AnalyticsService(messy, () => now), t)).toEqual(await everyReport(new AnalyticsService(reference, () => now), t));
      }
    } finally {
      await reference.close();
      await messy.close();
    }
  });
});

describe('the checkpoint', () => {
  const dir = mkdtempSync(join(tmpdir(), 'analytics-store-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is saved with the facts and survives a reopen; replaying from an older position counts nothing twice', async () => {
    const path = join(dir, 'analytics.duckdb');
    const half = Math.floor(history.events.length / 2);
    let store = await DuckDbAnalyticsStore.open({ path });
    await ingestAll(store, history.events.slice(0, half), 200);
    expect(await store.loadCheckpoint(CONSUMER)).toBe(history.events[half - 1].pos);
    await store.close();

    store = await DuckDbAnalyticsStore.open({ path });
    expect(await store.loadCheckpoint(CONSUMER)).toBe(history.events[half - 1].pos);
    // A consumer that crashed before saving resumes from an older position: the overlap is skipped.
    await ingestAll(store, history.events.slice(half - 40), 200);
    expect(await store.loadCheckpoint(CONSUMER)).toBe(history.events.at(-1)!.pos);
    const service = new AnalyticsService(store, () => now);
    const q = { from: history.start, to: end, interval: 'DAY' as const };
    expect(iso(await service.inventoryTimeseries(actor(a), q))).toEqual(expectedTimeseries(a, q));
    expect(await store.lastEventAt(CONSUMER)).toEqual(new Date(Math.max(...history.events.map((e) => new Date(e.occurredAt).getTime()))));
    await store.close();
  });
});
