import type pg from 'pg';

/** Throughput and latency of one measured run (warm-up excluded). */
export interface Measurement {
  /** Unique within its scenario, e.g. "ours" or "hive". */
  name: string;
  /** What one operation is, for the report: "request", "saga", "item". */
  unit: string;
  operations: number;
  durationS: number;
  /** Operations per second. */
  throughput: number;
  latencyMs: { mean: number; p50: number; p75: number; p90: number; p97_5: number; p99: number; p99_9: number; max: number };
  /** Transport errors, timeouts, non-2xx answers and GraphQL `errors` / non-empty `userErrors`. */
  errors: number;
  /** The offered rate when the run was rate-limited (operations/s), else null. */
  offeredRate: number | null;
}

/** What a scenario claims: ours against a baseline measured in the same run, or against an absolute bar. */
export interface Comparison {
  label: string;
  ours: string;
  /** Name of the baseline measurement; null for an absolute goal. */
  baseline: string | null;
  goal: Goal;
}

export interface Goal {
  /** Text shown in the report, e.g. "≥ 0.5× raw SQL". */
  text: string;
  /** ours.throughput / baseline.throughput must be at least this. */
  minRatio?: number;
  /** ours p99 must not exceed the baseline's. */
  p99AtMostBaseline?: boolean;
  /** ours p99 must stay under this. */
  p99BelowMs?: number;
  zeroErrors?: boolean;
}

export interface ScenarioOutcome {
  measurements: Measurement[];
  comparisons: Comparison[];
  /** Free text: what was tried, caveats, derived numbers. */
  notes?: string[];
}

/** One benchmark scenario: a module `bench/scenarios/<id>-<name>.ts` exporting `scenario`. */
export interface Scenario {
  id: string;
  title: string;
  run(ctx: BenchContext): Promise<ScenarioOutcome>;
}

export interface LoadOptions {
  name: string;
  /** Defaults to the gateway's /graphql. */
  url?: string;
  token?: string;
  /** Request body per request (JSON text); called for every request when a function. */
  body: string | ((n: number) => string);
  connections?: number;
  /** Fixed offered rate in requests/s over all connections (autocannon overallRate). */
  rate?: number;
  durationS?: number;
  warmupS?: number;
  unit?: string;
  /** Requests making one operation (a saga of two mutations is 2). */
  requestsPerOperation?: number;
  /** A chain of requests per connection instead of `body` (the next one may use what the previous answered). */
  chain?: ChainStep[];
}

export interface ChainStep {
  body: (context: Record<string, unknown>) => string;
  /** Reads the answer into the connection's context; return false to count it as an error. */
  onBody?: (body: string, context: Record<string, unknown>) => boolean | void;
}

export interface SqlLoadOptions {
  name: string;
  concurrency?: number;
  durationS?: number;
  warmupS?: number;
  unit?: string;
  /** One operation on a pooled client (the harness releases it). */
  run: (client: pg.PoolClient, n: number) => Promise<void>;
}

export interface Fixture {
  tenant: string;
  token: string;
  locationIds: string[];
  /** Items with ample stock at locationIds[0]. */
  itemIds: string[];
}

export interface BenchContext {
  mode: 'quick' | 'full';
  timing: { warmupS: number; measureS: number };
  gatewayUrl: string;
  inventoryUrl: string;
  ordersUrl: string;
  databaseUrl: string;
  /** Where service logs go (bench/results/logs). */
  logDir: string;
  /** A pool on the benchmark database, for baselines and setup. */
  pool: pg.Pool;
  /** Hive Gateway over the same supergraph and subgraphs; started on first call. */
  peerGatewayUrl(): Promise<string>;
  /** The seeded tenant (items, locations, stock), made on first call. */
  fixture(): Promise<Fixture>;
  /** A GraphQL call that throws on `errors`. */
  gql<T = any>(query: string, variables?: Record<string, unknown>, options?: { url?: string; token?: string }): Promise<T>;
  load(options: LoadOptions): Promise<Measurement>;
  sqlLoad(options: SqlLoadOptions): Promise<Measurement>;
  /** Times `op` run once, as a Measurement of `operations` units. */
  timeOnce(name: string, unit: string, operations: number, op: () => Promise<void>): Promise<Measurement>;
  log(message: string): void;
}
