import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { round } from './load.ts';
import { barChart, percentileChart } from './svg.ts';
import type { Comparison, Measurement, ScenarioOutcome } from './types.ts';

export interface ScenarioResult extends ScenarioOutcome {
  id: string;
  title: string;
  /** Set when the scenario threw: it is reported, the run goes on. */
  error?: string;
  comparisons: EvaluatedComparison[];
}

export interface EvaluatedComparison extends Comparison {
  /** ours.throughput / baseline.throughput. */
  ratio: number | null;
  /** Whether every part of the goal holds; null when it could not be judged. */
  met: boolean | null;
  /** What is missing, e.g. "ratio 0.31 < 0.5". */
  shortfall: string[];
}

export interface BenchResults {
  version: 1;
  mode: 'quick' | 'full';
  startedAt: string;
  durationS: number;
  machine: { cpus: number; node: string; platform: string };
  timing: { warmupS: number; measureS: number };
  scenarios: ScenarioResult[];
}

export function evaluate(comparison: Comparison, measurements: Measurement[]): EvaluatedComparison {
  const ours = measurements.find((m) => m.name === comparison.ours);
  const base = comparison.baseline ? measurements.find((m) => m.name === comparison.baseline) : null;
  if (!ours || (comparison.baseline && !base)) return { ...comparison, ratio: null, met: null, shortfall: ['measurement missing'] };
  const ratio = base && base.throughput > 0 ? round(ours.throughput / base.throughput) : null;
  const g = comparison.goal;
  const shortfall: string[] = [];
  if (g.minRatio !== undefined && (ratio === null || ratio < g.minRatio)) shortfall.push(`ratio ${ratio} < ${g.minRatio}`);
  if (g.p99AtMostBaseline && base && ours.latencyMs.p99 > base.latencyMs.p99) shortfall.push(`p99 ${ours.latencyMs.p99} ms > baseline ${base.latencyMs.p99} ms`);
  if (g.p99BelowMs !== undefined && ours.latencyMs.p99 >= g.p99BelowMs) shortfall.push(`p99 ${ours.latencyMs.p99} ms ≥ ${g.p99BelowMs} ms`);
  if (g.zeroErrors && ours.errors > 0) shortfall.push(`${ours.errors} errors`);
  const judged = g.minRatio !== undefined || g.p99AtMostBaseline || g.p99BelowMs !== undefined || g.zeroErrors;
  return { ...comparison, ratio, met: judged ? shortfall.length === 0 : null, shortfall };
}

/** Writes latest.json, report.md and the SVG charts into `dir`. */
export function writeReport(dir: string, results: BenchResults): void {
  mkdirSync(join(dir, 'charts'), { recursive: true });
  writeFileSync(join(dir, 'latest.json'), JSON.stringify(results, null, 2) + '\n');
  const md: string[] = [
    `# Stockline benchmark (${results.mode})`,
    '',
    `Run ${results.startedAt}, ${Math.round(results.durationS)} s, ${results.machine.cpus} cores, Node ${results.machine.node}. ` +
      `Warm-up ${results.timing.warmupS} s excluded, then ${results.timing.measureS} s measured per run unless stated. ` +
      `Services, peers and the load generator share the machine: read the ratios, measured side by side, more than the absolute numbers.`,
    '',
    '| scenario | comparison | ours | baseline | ratio | goal | met |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const s of results.scenarios) {
    if (s.error) md.push(`| ${s.id} ${s.title} | — | — | — | — | — | failed: ${s.error.replace(/\|/g, '/').slice(0, 200)} |`);
    for (const c of s.comparisons) {
      const ours = s.measurements.find((m) => m.name === c.ours);
      const base = c.baseline ? s.measurements.find((m) => m.name === c.baseline) : undefined;
      const cell = (m?: Measurement) => (m ? `${m.throughput} ${m.unit}/s, p99 ${m.latencyMs.p99} ms${m.errors ? `, ${m.errors} errors` : ''}` : '—');
      const met = c.met === null ? '—' : c.met ? 'yes' : `**no** (${c.shortfall.join('; ')})`;
      md.push(`| ${s.id} | ${c.label} | ${cell(ours)} | ${base ? `${c.baseline}: ${cell(base)}` : '—'} | ${c.ratio ?? '—'} | ${c.goal.text} | ${met} |`);
    }
  }
  for (const s of results.scenarios) {
    md.push('', `## ${s.id} — ${s.title}`, '');
    if (s.error) md.push(`Failed: \`${s.error}\``, '');
    if (s.measurements.length) {
      md.push('| run | ops | s | throughput | mean | p50 | p90 | p99 | p99.9 | max | errors | offered rate |', '|---|---|---|---|---|---|---|---|---|---|---|---|');
      for (const m of s.measurements) {
        const l = m.latencyMs;
        md.push(`| ${m.name} | ${m.operations} | ${m.durationS} | ${m.throughput} ${m.unit}/s | ${l.mean} | ${l.p50} | ${l.p90} | ${l.p99} | ${l.p99_9} | ${l.max} | ${m.errors} | ${m.offeredRate ?? '—'} |`);
      }
      const tp = `charts/${s.id}-throughput.svg`;
      const units = [...new Set(s.measurements.map((m) => m.unit))].join(', ');
      writeFileSync(join(dir, tp), barChart({ title: `${s.id} throughput`, unit: `${units}/s`, rows: s.measurements.map((m, i) => ({ label: m.name, value: m.throughput, series: seriesOf(m.name, i) })) }));
      const lat = `charts/${s.id}-latency.svg`;
      writeFileSync(join(dir, lat), percentileChart({ title: `${s.id} latency distribution`, series: s.measurements.slice(0, 6).map((m) => ({ label: m.name, latencyMs: m.latencyMs })) }));
      md.push('', `![${s.id} throughput](${tp})`, '', `![${s.id} latency](${lat})`);
    }
    if (s.notes?.length) md.push('', ...s.notes.map((n) => `- ${n}`));
  }
  writeFileSync(join(dir, 'report.md'), md.join('\n') + '\n');
}

/** Baselines grey, ours blue. */
const seriesOf = (name: string, i: number) => (/hive|raw|copy|floor|baseline/i.test(name) ? 1 : i % 2 === 0 ? 0 : 2);
