/**
 * Hand-made mutants of the inventory repositories' tenant filters, the mutation StrykerJS cannot make
 * (it does not edit inside SQL text). Each `<alias>.tenant_id = ${tenantId}` (and the EXISTS join on
 * `i.tenant_id`) is replaced in turn by TRUE, and the inventory tests that call the repositories run
 * against it; a filter whose removal no test notices is a survivor. Works in a copy of the repository
 * (a temporary directory, node_modules linked), never in the working tree. Results: docs/testing.md.
 *
 *   node --import tsx scripts/mutate-tenant-filters.ts
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const DATA = 'subgraphs/inventory/src/data';
const TESTS = [
  'subgraphs/inventory/test/repositories-tenant-scope.test.ts',
  'subgraphs/inventory/test/stock-service.test.ts',
  'subgraphs/inventory/test/reservation-service.test.ts',
];
const FILTER = /(\b\w+\.)?tenant_id = (\$\{tenantId\}|i\.tenant_id)/g;
const SKIP = new Set(['node_modules', '.git', '.stryker-tmp', 'reports', '.data', '.turbo', 'test-artifacts']);

const copy = mkdtempSync(join(tmpdir(), 'stockline-tenant-mutants-'));
try {
  cpSync(ROOT, copy, { recursive: true, filter: (src) => !SKIP.has(relative(ROOT, src).split('/')[0]) });
  symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'));
  const results: { at: string; filter: string; outcome: 'killed' | 'survived' }[] = [];
  for (const name of readdirSync(join(copy, DATA)).filter((f) => f.endsWith('.repository.ts')).sort()) {
    const path = join(copy, DATA, name);
    const source = readFileSync(path, 'utf8');
    for (const match of source.matchAll(FILTER)) {
      const line = source.slice(0, match.index).split('\n').length;
      writeFileSync(path, source.slice(0, match.index) + 'TRUE' + source.slice(match.index! + match[0].length));
      const run = spawnSync('npx', ['vitest', 'run', '--bail=1', '--reporter=dot', ...TESTS], { cwd: copy, encoding: 'utf8' });
      writeFileSync(path, source);
      const outcome = run.status === 0 ? 'survived' : 'killed';
      results.push({ at: `${DATA}/${name}:${line}`, filter: match[0], outcome });
      console.log(`${outcome.padEnd(8)} ${DATA}/${name}:${line}  ${match[0]}`);
    }
  }
  const killed = results.filter((r) => r.outcome === 'killed').length;
  console.log(`\n${killed} of ${results.length} tenant filters killed (${((100 * killed) / results.length).toFixed(1)}%)`);
} finally {
  rmSync(copy, { recursive: true, force: true });
}
