import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SERVICES, services } from '@stockline/registry';
import { LAUNCHER_ENV } from '../scripts/launcher-config.ts';
import { serviceEnv } from './support/service-env.ts';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

/** Rows of the "Services" table: `| \`name\` | \`workspace\` | port | … |`. */
function servicesTable(): { name: string; workspace: string; port: number }[] {
  const section = readme.split(/^## /m).find((s) => s.startsWith('Services'));
  if (!section) throw new Error('README has no "## Services" section');
  return [...section.matchAll(/^\| `([a-z-]+)` \| `(@[^`]+)` \| (\d+) \|/gm)].map((m) => ({ name: m[1], workspace: m[2], port: Number(m[3]) }));
}

describe('README', () => {
  it('documents every environment variable a service reads in its configuration table', async () => {
    const documented = new Set([...readme.matchAll(/^\|[^|]*\|/gm)].flatMap((m) => [...m[0].matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((v) => v[1])));
    const read = new Set([...(await Promise.all(services({ present: true }).map(serviceEnv))).flat(), ...LAUNCHER_ENV]);
    expect([...read].filter((v) => !documented.has(v))).toEqual([]);
  });

  it('lists in its services table exactly the services of the registry, with their workspace and port', () => {
    const rows = servicesTable();
    expect(rows.map((r) => r.name).sort()).toEqual(SERVICES.map((s) => s.name).sort());
    for (const s of SERVICES) expect(rows.find((r) => r.name === s.name), s.name).toEqual({ name: s.name, workspace: s.workspace, port: s.port });
  });

  it('gives the two quick-start commands', () => {
    expect(readme).toContain('npm install && npm start');
    expect(readme).toMatch(/^npm test$/m);
  });
});
