import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { seedFixture } from './fixture.ts';
import { gql } from './graphql.ts';
import { httpLoad, fromLatencies, sqlLoad } from './load.ts';
import { evaluate, writeReport, type BenchResults, type ScenarioResult } from './report.ts';
import { ROOT, startPeerGateway, startPlatform, type Proc } from './services.ts';
import type { BenchContext, Fixture, Scenario } from './types.ts';

export interface BenchOptions {
  mode: 'quick' | 'full';
  /** Scenario ids to run (all when empty). */
  only?: string[];
  /** Items in the seeded tenant. @default 250 */
  fixtureItems?: number;
  /** Run these instead of bench/scenarios (the harness's own test). */
  scenarios?: Scenario[];
  /** Where latest.json, report.md and charts go. @default bench/results */
  outDir?: string;
  warmupS?: number;
  measureS?: number;
  /** PostgreSQL server to create the fresh database on. @default BENCH_DATABASE_URL ?? postgresql://postgres@127.0.0.1:5432/postgres */
  adminDatabaseUrl?: string;
  redisUrl?: string;
  log?: (message: string) => void;
}

export const SCENARIO_DIR = join(ROOT, 'bench/scenarios');

/** Every `bench/scenarios/<id>-<name>.ts` module's `scenario`, in file name order. */
export async function loadScenarios(only: string[] = []): Promise<Scenario[]> {
  const files = readdirSync(SCENARIO_DIR).filter((f) => /^p\d+-.*\.ts$/i.test(f)).sort((a, b) => parseInt(a.slice(1)) - parseInt(b.slice(1)));
  const scenarios: Scenario[] = [];
  for (const file of files) {
    const mod = await import(pathToFileURL(join(SCENARIO_DIR, file)).href);
    if (!mod.scenario) throw new Error(`${file} does not export \`scenario\``);
    scenarios.push(mod.scenario);
  }
  const wanted = new Set(only.map((id) => id.toUpperCase()));
  return wanted.size ? scenarios.filter((s) => wanted.has(s.id.toUpperCase())) : scenarios;
}

/**
 * Runs the benchmark: a fresh database, the services as separate processes on real PostgreSQL and
 * Redis, every scenario loaded from this process, results and report written to `outDir`.
 */
export async function runBench(options: BenchOptions): Promise<BenchResults> {
  const log = options.log ?? ((m: string) => console.log(`[bench] ${m}`));
  const outDir = options.outDir ?? join(ROOT, 'bench/results');
  const timing = { warmupS: options.warmupS ?? (options.mode === 'quick' ? 2 : 5), measureS: options.measureS ?? (options.mode === 'quick' ? 8 : 30) };
  const scenarios = options.scenarios ?? (await loadScenarios(options.only));
  const started = Date.now();
  const run = randomBytes(3).toString('hex');
  const adminUrl = options.adminDatabaseUrl ?? process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
  const dbName = `stockline_bench_${run}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${dbName}"`);
  await admin.end();
  const dbUrl = new URL(adminUrl);
  dbUrl.pathname = `/${dbName}`;
  const databaseUrl = dbUrl.toString();
  const logDir = join(outDir, 'logs');
  const profileDir = join(outDir, 'profiles');

  log(`fresh database ${dbName}; starting inventory, orders and gateway as separate processes`);
  const dropDatabase = async () => {
    const cleanup = new pg.Client({ connectionString: adminUrl });
    await cleanup.connect();
    await cleanup.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    await cleanup.end();
  };
  const platform = await startPlatform({ databaseUrl, redisUrl: options.redisUrl ?? process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379', channelPrefix: `bench.${run}.`, logDir, profileDir }).catch(
    async (error) => {
      await dropDatabase();
      throw error;
    },
  );
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 20 });
  let peer: Proc | null = null;
  let peerStarting: Promise<Proc> | null = null;
  let fixture: Promise<Fixture> | null = null;
  const ctx: BenchContext = {
    mode: options.mode,
    timing,
    gatewayUrl: platform.gatewayUrl,
    inventoryUrl: platform.inventoryUrl,
    ordersUrl: platform.ordersUrl,
    databaseUrl,
    logDir,
    pool,
    async peerGatewayUrl() {
      peerStarting ??= startPeerGateway({ subgraphUrls: { inventory: platform.inventoryUrl, orders: platform.ordersUrl }, logDir, workDir: join(outDir, '.hive') });
      peer = await peerStarting;
      return peer.url;
    },
    fixture: () => (fixture ??= seedFixture(platform.gatewayUrl, { tenant: `bench-${run}`, items: options.fixtureItems ?? 250 })),
    async gql(query, variables, { url, token } = {}) {
      return gql(url ?? platform.gatewayUrl, token ?? (await ctx.fixture()).token, query, variables);
    },
    async load(o) {
      return httpLoad({ ...o, url: `${o.url ?? platform.gatewayUrl}/graphql`, token: o.token ?? (await ctx.fixture()).token }, timing);
    },
    sqlLoad: (o) => sqlLoad(pool, o, timing),
    async timeOnce(name, unit, operations, op) {
      const t = performance.now();
      await op();
      const ms = performance.now() - t;
      return fromLatencies(name, unit, [ms], ms / 1000, 0, operations);
    },
    log,
  };

  const results: ScenarioResult[] = [];
  try {
    for (const scenario of scenarios) {
      log(`${scenario.id} ${scenario.title}`);
      const t = Date.now();
      try {
        const outcome = await scenario.run(ctx);
        results.push({ id: scenario.id, title: scenario.title, ...outcome, comparisons: outcome.comparisons.map((c) => evaluate(c, outcome.measurements)) });
        for (const m of outcome.measurements) log(`  ${m.name}: ${m.throughput} ${m.unit}/s, p50 ${m.latencyMs.p50} ms, p99 ${m.latencyMs.p99} ms, errors ${m.errors}`);
      } catch (error) {
        log(`  ${scenario.id} failed: ${(error as Error).stack ?? error}`);
        results.push({ id: scenario.id, title: scenario.title, measurements: [], comparisons: [], error: String((error as Error).message ?? error) });
      }
      log(`  (${Math.round((Date.now() - t) / 1000)} s)`);
    }
  } finally {
    await (peer as Proc | null)?.stop();
    await platform.stop();
    await pool.end();
    await dropDatabase();
  }
  const report: BenchResults = {
    version: 1,
    mode: options.mode,
    startedAt: new Date(started).toISOString(),
    durationS: Math.round((Date.now() - started) / 1000),
    machine: { cpus: cpus().length, node: process.version, platform: process.platform },
    timing,
    scenarios: results,
  };
  writeReport(outDir, report);
  log(`wrote ${join(outDir, 'latest.json')} and report.md in ${report.durationS} s`);
  return report;
}
