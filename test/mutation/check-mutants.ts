/**
 * Checks by hand that given Stryker mutants are killed: in a copy of the repository (a temporary directory,
 * node_modules linked), each mutant of a Stryker report is written into its source file in turn, exactly as
 * Stryker made it (location and replacement from the report), and the given test files run against it;
 * a mutant they all pass on survived. The way docs/testing.md's "killed afterwards" survivors were checked.
 *
 *   node --import tsx test/mutation/check-mutants.ts <report.json> <id,id,…> <test file>…
 *
 * <report.json>: `reports/mutation/mutation.json` or an `--incrementalFile` of a run.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';

interface Position {
  line: number;
  column: number;
}
interface Mutant {
  id: string;
  mutatorName: string;
  replacement?: string;
  status: string;
  location: { start: Position; end: Position };
}

const [reportPath, idList, ...tests] = process.argv.slice(2);
if (!reportPath || !idList || tests.length === 0) {
  console.error('usage: node --import tsx test/mutation/check-mutants.ts <report.json> <id,id,…> <test file>…');
  process.exit(2);
}
const ROOT = resolve(import.meta.dirname, '../..');
const SKIP = new Set(['node_modules', '.git', '.stryker-tmp', 'reports', '.data', '.turbo', 'test-artifacts']);
const report = JSON.parse(readFileSync(reportPath, 'utf8')) as { files: Record<string, { mutants: Mutant[] }> };
const wanted = new Set(idList.split(','));

/** Offset in `source` of a report position (lines and columns from 1). */
function offsetOf(source: string, { line, column }: Position): number {
  let offset = 0;
  for (let l = 1; l < line; l++) offset = source.indexOf('\n', offset) + 1;
  return offset + column - 1;
}

const copy = mkdtempSync(join(tmpdir(), 'stockline-check-mutants-'));
let survived = 0;
try {
  cpSync(ROOT, copy, { recursive: true, filter: (src) => !SKIP.has(relative(ROOT, src).split('/')[0]) });
  symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'));
  const vitest = () => spawnSync('npx', ['vitest', 'run', '--bail=1', '--reporter=dot', ...tests], { cwd: copy, encoding: 'utf8' });
  // The tests must pass on the unmutated copy, or every mutant would look killed.
  const baseline = vitest();
  if (baseline.status !== 0) throw new Error(`the tests fail without a mutant:\n${baseline.stdout}${baseline.stderr}`);
  for (const [file, { mutants }] of Object.entries(report.files)) {
    const path = join(copy, relative(ROOT, resolve(ROOT, file)));
    const source = readFileSync(path, 'utf8');
    for (const m of mutants.filter((x) => wanted.has(x.id))) {
      const from = offsetOf(source, m.location.start);
      const to = offsetOf(source, m.location.end);
      writeFileSync(path, source.slice(0, from) + (m.replacement ?? '') + source.slice(to));
      const run = vitest();
      writeFileSync(path, source);
      const outcome = run.status === 0 ? 'survived' : 'killed';
      if (outcome === 'survived') survived++;
      wanted.delete(m.id);
      const original = source.slice(from, to).split('\n')[0].slice(0, 60);
      console.log(`${outcome.padEnd(8)} #${m.id} ${file}:${m.location.start.line} ${m.mutatorName}: ${original} -> ${(m.replacement ?? '').split('\n')[0].slice(0, 60)}`);
    }
  }
  if (wanted.size) console.log(`not in the report: ${[...wanted].join(', ')}`);
} finally {
  rmSync(copy, { recursive: true, force: true });
}
process.exit(survived ? 1 : 0);
