import autocannon from 'autocannon';
import type pg from 'pg';
import type { LoadOptions, Measurement, SqlLoadOptions } from './types.ts';

/** A GraphQL answer that carries `errors` or a non-empty `userErrors` counts as an error. */
export const hasGraphqlError = (body: string) => body.includes('"errors":[') || /"userErrors":\[\{/.test(body);

/**
 * Loads `url` with autocannon from this process (the services run in others): a warm-up run that is
 * thrown away, then the measured run.
 */
export async function httpLoad(options: LoadOptions & { url: string; token: string }, defaults: { warmupS: number; measureS: number }): Promise<Measurement> {
  const warmupS = options.warmupS ?? defaults.warmupS;
  if (warmupS > 0) await runAutocannon(options, warmupS);
  return runAutocannon(options, options.durationS ?? defaults.measureS);
}

async function runAutocannon(options: LoadOptions & { url: string; token: string }, durationS: number): Promise<Measurement> {
  let graphqlErrors = 0;
  let n = 0;
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${options.token}` };
  const requests = options.chain
    ? options.chain.map((step) => ({
        method: 'POST' as const,
        setupRequest: (req: any, context: Record<string, unknown>) => ({ ...req, body: step.body(context) }),
        onResponse: (_status: number, body: string, context: Record<string, unknown>) => {
          if (hasGraphqlError(body) || step.onBody?.(body, context) === false) graphqlErrors++;
        },
      }))
    : [
        {
          method: 'POST' as const,
          setupRequest: (req: any) => ({ ...req, body: typeof options.body === 'function' ? options.body(n++) : options.body }),
          onResponse: (_status: number, body: string) => {
            if (hasGraphqlError(body)) graphqlErrors++;
          },
        },
      ];
  const result = await autocannon({
    url: options.url,
    method: 'POST',
    headers,
    connections: options.connections ?? 50,
    duration: durationS,
    overallRate: options.rate,
    timeout: 30,
    requests: requests as any,
  });
  const perOp = options.requestsPerOperation ?? 1;
  const completed = result.requests.total;
  const l = result.latency as any;
  return {
    name: options.name,
    unit: options.unit ?? 'request',
    operations: Math.floor(completed / perOp),
    durationS: result.duration,
    throughput: round(completed / perOp / result.duration),
    latencyMs: { mean: l.mean, p50: l.p50, p75: l.p75, p90: l.p90, p97_5: l.p97_5, p99: l.p99, p99_9: l.p99_9, max: l.max },
    errors: result.errors + result.timeouts + result.non2xx + graphqlErrors,
    offeredRate: options.rate ?? null,
  };
}

/** `run` as fast as `concurrency` clients of `pool` can, warm-up excluded. */
export async function sqlLoad(pool: pg.Pool, options: SqlLoadOptions, defaults: { warmupS: number; measureS: number }): Promise<Measurement> {
  const warmupS = options.warmupS ?? defaults.warmupS;
  if (warmupS > 0) await runSql(pool, options, warmupS);
  return runSql(pool, options, options.durationS ?? defaults.measureS);
}

async function runSql(pool: pg.Pool, options: SqlLoadOptions, durationS: number): Promise<Measurement> {
  const latencies: number[] = [];
  let errors = 0;
  let n = 0;
  const started = performance.now();
  const deadline = started + durationS * 1000;
  const worker = async () => {
    while (performance.now() < deadline) {
      const t = performance.now();
      const client = await pool.connect();
      try {
        await options.run(client, n++);
        latencies.push(performance.now() - t);
      } catch {
        errors++;
        await client.query('ROLLBACK').catch(() => {});
      } finally {
        client.release();
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 50 }, worker));
  const elapsed = (performance.now() - started) / 1000;
  return fromLatencies(options.name, options.unit ?? 'transaction', latencies, elapsed, errors);
}

export function fromLatencies(name: string, unit: string, latencies: number[], durationS: number, errors: number, operations = latencies.length): Measurement {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q: number) => (sorted.length ? round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]) : 0);
  const mean = sorted.length ? round(sorted.reduce((s, v) => s + v, 0) / sorted.length) : 0;
  return {
    name,
    unit,
    operations,
    durationS: round(durationS),
    throughput: round(operations / durationS),
    latencyMs: { mean, p50: at(0.5), p75: at(0.75), p90: at(0.9), p97_5: at(0.975), p99: at(0.99), p99_9: at(0.999), max: round(sorted.at(-1) ?? 0) },
    errors,
    offeredRate: null,
  };
}

export const round = (v: number) => Math.round(v * 100) / 100;
