import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@stockline/testkit';
import { createPool, runMigrations, type Pool } from '../src/index.ts';

let database: TestDatabase;
let pool: Pool;
let dir: string;

const write = async (name: string, sql: string) => {
  await mkdir(join(dir, name), { recursive: true });
  await writeFile(join(dir, name, 'migration.sql'), sql);
};

beforeAll(async () => {
  database = await createTestDatabase('migrations');
  pool = createPool({ url: database.url, max: 4, applicationName: 'migrations-test' });
  dir = await mkdtemp(join(tmpdir(), 'migrations-'));
});
afterAll(async () => {
  await pool?.end();
  await database?.drop();
  await rm(dir, { recursive: true, force: true });
});

describe('runMigrations', () => {
  it('applies pending migrations in name order inside the service schema, once', async () => {
    await write('0002_more', 'ALTER TABLE things ADD COLUMN label text;');
    await write('0001_init', 'CREATE TABLE things (id int PRIMARY KEY);');
    expect(await runMigrations({ pool, schema: 'svc', dir })).toEqual(['0001_init', '0002_more']);
    expect(await runMigrations({ pool, schema: 'svc', dir })).toEqual([]);
    const { rows } = await pool.query(`SELECT column_name FROM information_schema.columns WHERE table_schema = 'svc' AND table_name = 'things' ORDER BY ordinal_position`);
    expect(rows.map((r) => r.column_name)).toEqual(['id', 'label']);
  });

  it('applies each migration once when replicas start together', async () => {
    await write('0003_concurrent', 'CREATE TABLE concurrent_once (id int);');
    const results = await Promise.all([1, 2, 3].map(() => runMigrations({ pool, schema: 'svc', dir })));
    expect(results.flat()).toEqual(['0003_concurrent']);
  });

  it('refuses to start when an applied migration was changed afterwards, and applies nothing', async () => {
    await write('0001_init', 'CREATE TABLE things (id bigint PRIMARY KEY);');
    await write('0004_after', 'CREATE TABLE after_change (id int);');
    await expect(runMigrations({ pool, schema: 'svc', dir })).rejects.toThrow(/0001_init was changed/);
    const { rows } = await pool.query(`SELECT to_regclass('svc.after_change') AS t`);
    expect(rows[0].t).toBeNull();
  });

  it('rolls back a migration that fails, leaving it pending', async () => {
    const other = await mkdtemp(join(tmpdir(), 'migrations-bad-'));
    await mkdir(join(other, '0001_bad'));
    await writeFile(join(other, '0001_bad', 'migration.sql'), 'CREATE TABLE half (id int); SELECT no_such_function();');
    await expect(runMigrations({ pool, schema: 'bad', dir: other })).rejects.toThrow();
    const { rows } = await pool.query(`SELECT to_regclass('bad.half') AS t`);
    expect(rows[0].t).toBeNull();
    await rm(other, { recursive: true, force: true });
  });
});
