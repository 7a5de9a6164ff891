import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const fixture = fileURLToPath(new URL('./fixtures/loaded-modules.ts', import.meta.url));
/** The drivers a fresh Node process has loaded after importing `specifier`. */
const driversLoadedBy = (specifier: string) => JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', fixture, specifier], { encoding: 'utf8' })) as string[];

describe('the service host', () => {
  it('builds a subgraph without loading PostgreSQL or Redis drivers (analytics on DuckDB, media on object storage)', () => {
    expect(driversLoadedBy('@stockline/service')).toEqual([]);
  });

  it('leaves the PostgreSQL outbox, relay and idempotency keys to @stockline/service-data', () => {
    expect(driversLoadedBy('@stockline/service-data')).toEqual(['pg', 'ioredis']);
  });
});
