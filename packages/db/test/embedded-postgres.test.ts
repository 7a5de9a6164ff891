import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres } from '../src/embedded-postgres.ts';
import { EMBEDDED_TEMPLATE_PATH } from '../src/embedded-template.ts';
import { freeLoopbackPort as freePort } from '@stockline/testkit';

const dataDir = mkdtempSync(join(tmpdir(), 'stockline-embedded-test-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function query(url: string, sql: string) {
  const client = new pg.Client({ connectionString: url.replace(/\?.*$/, '') });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('startEmbeddedPostgres', () => {
  it('has the packed empty cluster that npm install builds', () => {
    expect(existsSync(EMBEDDED_TEMPLATE_PATH)).toBe(true);
  });

  it('starts an empty data directory from the packed cluster and keeps what is written across a restart', async () => {
    const first = await startEmbeddedPostgres({ dataDir, port: await freePort() });
    try {
      expect(existsSync(join(dataDir, 'PG_VERSION'))).toBe(true);
      await query(first.url, `CREATE EXTENSION IF NOT EXISTS pg_trgm; CREATE TABLE kept (name text); INSERT INTO kept VALUES ('written before the restart')`);
    } finally {
      await first.stop();
    }
    const second = await startEmbeddedPostgres({ dataDir, port: await freePort() });
    try {
      expect(await query(second.url, `SELECT name, similarity(name, 'written before') > 0.3 AS similar FROM kept`)).toEqual([{ name: 'written before the restart', similar: true }]);
    } finally {
      await second.stop();
    }
  });
});
