import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gqlBody } from '../lib/graphql.ts';
import { loadScenarios, runBench } from '../lib/run-bench.ts';
import type { Scenario } from '../lib/types.ts';

const out = mkdtempSync(join(tmpdir(), 'stockline-bench-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** A scenario small enough for CI: one second of an item read and one of a raw SQL read. */
const tiny: Scenario = {
  id: 'T1',
  title: 'tiny read',
  async run(ctx) {
    const { itemIds } = await ctx.fixture();
    const read = await ctx.load({ name: 'item read: ours', body: gqlBody('query($id: ID!) { item(id: $id) { sku stock { onHand } } }', { id: itemIds[0] }), connections: 4 });
    const raw = await ctx.sqlLoad({ name: 'item read: raw SQL', concurrency: 4, run: async (client) => void (await client.query('SELECT 1')) });
    return { measurements: [read, raw], comparisons: [{ label: 'read vs raw', ours: read.name, baseline: raw.name, goal: { text: 'reported', zeroErrors: true } }] };
  },
};

describe('the benchmark harness', () => {
  it('finds every scenario module under bench/scenarios with an id, a title and run()', async () => {
    const scenarios = await loadScenarios();
    expect(scenarios.map((s) => s.id)).toEqual(expect.arrayContaining(['P1', 'P2', 'P3', 'P7', 'P8', 'P9']));
    for (const s of scenarios) {
      expect(s.id).toMatch(/^P\d+$/);
      expect(typeof s.title).toBe('string');
      expect(typeof s.run).toBe('function');
    }
  });

  it('runs a scenario against the services as processes and writes latest.json, report.md and SVG charts', async () => {
    const results = await runBench({ mode: 'quick', scenarios: [tiny], outDir: out, fixtureItems: 5, warmupS: 0, measureS: 1, log: () => {} });
    const json = JSON.parse(readFileSync(join(out, 'latest.json'), 'utf8'));
    expect(json).toEqual(JSON.parse(JSON.stringify(results)));
    expect(json).toMatchObject({ version: 1, mode: 'quick', timing: { warmupS: 0, measureS: 1 }, machine: { cpus: expect.any(Number) } });
    const [scenario] = json.scenarios;
    expect(scenario.error).toBeUndefined();
    expect(scenario.measurements.map((m: { name: string }) => m.name)).toEqual(['item read: ours', 'item read: raw SQL']);
    for (const m of scenario.measurements) {
      expect(m).toMatchObject({ operations: expect.any(Number), throughput: expect.any(Number), errors: 0, latencyMs: { p50: expect.any(Number), p99: expect.any(Number) } });
      expect(m.operations).toBeGreaterThan(0);
    }
    expect(scenario.comparisons[0]).toMatchObject({ ours: 'item read: ours', baseline: 'item read: raw SQL', ratio: expect.any(Number), met: true });
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toContain('| T1 | read vs raw |');
    for (const chart of ['T1-throughput.svg', 'T1-latency.svg']) expect(readFileSync(join(out, 'charts', chart), 'utf8')).toMatch(/^<svg /);
    expect(existsSync(join(out, 'logs', 'inventory.log'))).toBe(true);
  }, 180_000);
});
