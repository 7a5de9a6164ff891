import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromLatencies } from '../lib/load.ts';
import { freePort, startProcess } from '../lib/services.ts';
import type { Scenario } from '../lib/types.ts';

/** `npm start` on embedded defaults with an empty data directory, from spawn until the gateway's /readyz is 200. */
async function coldStart(logDir: string): Promise<number> {
  const dataDir = mkdtempSync(join(tmpdir(), 'stockline-cold-'));
  const [port, inventory, orders, pgPort] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
  const env: Record<string, string | undefined> = {
    PORT: String(port),
    INVENTORY_PORT: String(inventory),
    ORDERS_PORT: String(orders),
    EMBEDDED_PG_PORT: String(pgPort),
    STOCKLINE_DATA_DIR: dataDir,
    DATABASE_URL: undefined,
    REDIS_URL: undefined,
    LOG_LEVEL: 'warn',
  };
  const started = performance.now();
  const proc = await startProcess({ name: 'cold-start', command: 'npm', args: ['start'], env, port, readyPath: '/readyz', logDir, timeoutMs: 90_000 });
  const ms = performance.now() - started;
  await proc.stop();
  rmSync(dataDir, { recursive: true, force: true });
  return ms;
}

export const scenario: Scenario = {
  id: 'P9',
  title: 'Cold start: npm start on embedded defaults, empty data directory, until /readyz is 200',
  async run(ctx) {
    const times = ctx.mode === 'quick' ? 1 : 3;
    const runs: number[] = [];
    for (let i = 0; i < times; i++) runs.push(await coldStart(ctx.logDir));
    const m = fromLatencies('cold start', 'start', runs, runs.reduce((s, v) => s + v, 0) / 1000, 0);
    return {
      measurements: [m],
      comparisons: [{ label: 'spawn → /readyz 200', ours: m.name, baseline: null, goal: { text: 'p99 (slowest) < 3000 ms', p99BelowMs: 3000 } }],
      notes: [`${times} cold start(s): ${runs.map((r) => Math.round(r)).join(', ')} ms. Runs while the benchmark's platform is up, on the same cores.`],
    };
  },
};
