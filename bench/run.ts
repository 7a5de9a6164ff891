/**
 * npm run bench [-- --quick] [-- --only P1,P2] [-- --measure 10 --warmup 2] [-- --out dir]
 * See bench/README.md.
 */
import { parseArgs } from 'node:util';
import { runBench } from './lib/run-bench.ts';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    out: { type: 'string' },
    measure: { type: 'string' },
    warmup: { type: 'string' },
  },
});

const results = await runBench({
  mode: values.quick ? 'quick' : 'full',
  only: values.only ? values.only.split(',').map((s) => s.trim()) : [],
  outDir: values.out,
  measureS: values.measure ? Number(values.measure) : undefined,
  warmupS: values.warmup ? Number(values.warmup) : undefined,
});
const failed = results.scenarios.filter((s) => s.error);
for (const s of results.scenarios) {
  for (const c of s.comparisons) console.log(`${s.id} ${c.label}: ratio ${c.ratio ?? '—'} (goal ${c.goal.text}) ${c.met === null ? '' : c.met ? 'met' : 'MISSED ' + c.shortfall.join('; ')}`);
}
process.exit(failed.length ? 1 : 0);
