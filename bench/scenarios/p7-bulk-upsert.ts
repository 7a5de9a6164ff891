import { randomBytes } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { from as copyFrom } from 'pg-copy-streams';
import { noUserErrors } from '../lib/graphql.ts';
import { fromLatencies } from '../lib/load.ts';
import type { Measurement, Scenario } from '../lib/types.ts';

const UPSERT = `mutation($inputs: [UpsertItemInput!]!) { bulkUpsertItems(inputs: $inputs) { items { id } userErrors { code message } } }`;
export const ITEMS = 10_000;
const CALLS = 10;

const rowsOf = (prefix: string) => Array.from({ length: ITEMS }, (_, i) => ({ sku: `${prefix}-${String(i).padStart(5, '0')}`, name: `Bulk item ${i}`, description: `Loaded by the benchmark, row ${i}` }));

/** Runs `op` `times` times; the measurement's throughput is items/s over all of them, latency per run. */
async function repeat(name: string, times: number, op: (round: number) => Promise<void>): Promise<Measurement> {
  const runs: number[] = [];
  for (let r = 0; r < times; r++) {
    const t = performance.now();
    await op(r);
    runs.push(performance.now() - t);
  }
  const totalS = runs.reduce((s, v) => s + v, 0) / 1000;
  return fromLatencies(name, 'item', runs, totalS, 0, ITEMS * times);
}

export const scenario: Scenario = {
  id: 'P7',
  title: 'bulkUpsertItems: 10,000 items in 10 calls vs PostgreSQL COPY of the same rows',
  async run(ctx) {
    const { tenant } = await ctx.fixture();
    const times = ctx.mode === 'quick' ? 1 : 3;
    const run = randomBytes(2).toString('hex');
    const ours = await repeat('bulkUpsertItems: ours', times, async (r) => {
      const rows = rowsOf(`BULK-${run}-${r}`);
      for (let c = 0; c < CALLS; c++) {
        const { bulkUpsertItems } = await ctx.gql(UPSERT, { inputs: rows.slice((c * ITEMS) / CALLS, ((c + 1) * ITEMS) / CALLS) });
        noUserErrors('bulkUpsertItems', bulkUpsertItems);
      }
    });
    const copy = await repeat('COPY: raw', times, async (r) => {
      const rows = rowsOf(`COPY-${run}-${r}`);
      const client = await ctx.pool.connect();
      try {
        const text = rows.map((row) => [tenant, row.sku, row.name, row.description].join('\t')).join('\n') + '\n';
        await pipeline(Readable.from([text]), client.query(copyFrom('COPY inventory.items (tenant_id, sku, name, description) FROM STDIN')));
      } finally {
        client.release();
      }
    });
    return {
      measurements: [ours, copy],
      comparisons: [{ label: '10,000 items in 10 calls vs COPY', ours: ours.name, baseline: copy.name, goal: { text: '≥ 0.25× COPY', minRatio: 0.25 } }],
      notes: [
        `${times} round(s) of 10,000 new items each; latency columns are per round of 10,000 (${CALLS} sequential calls of ${ITEMS / CALLS}).`,
        'bulkUpsertItems also writes an ItemChanged outbox event per item and checks versions; COPY writes the item rows only.',
      ],
    };
  },
};
