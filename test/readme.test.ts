import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GATEWAY_ENV } from '../gateway/src/config.ts';
import { LAUNCHER_ENV } from '../scripts/launcher-config.ts';
import { INVENTORY_ENV } from '../subgraphs/inventory/src/config.ts';
import { ORDERS_ENV } from '../subgraphs/orders/src/config.ts';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it('documents every environment variable a service reads in its configuration table', () => {
    const documented = new Set([...readme.matchAll(/^\|[^|]*\|/gm)].flatMap((m) => [...m[0].matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((v) => v[1])));
    const read = new Set([...GATEWAY_ENV, ...INVENTORY_ENV, ...ORDERS_ENV, ...LAUNCHER_ENV]);
    expect([...read].filter((v) => !documented.has(v))).toEqual([]);
  });

  it('gives the two quick-start commands', () => {
    expect(readme).toContain('npm install && npm start');
    expect(readme).toMatch(/^npm test$/m);
  });
});
