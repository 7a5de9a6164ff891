import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type pg from 'pg';

/** How long the client waits for one migration statement. */
const MIGRATION_TIMEOUT_MS = 3_600_000;

export interface RunMigrationsOptions {
  pool: pg.Pool;
  /** The PostgreSQL schema the service owns; created when missing. */
  schema: string;
  /** A Prisma migrations folder: one sub-folder per migration holding migration.sql. */
  dir: string;
  log?: (message: string) => void;
}

/**
 * Applies the SQL migrations of `dir` (authored with `prisma migrate diff`) that are not yet applied,
 * in name order, inside the service's own schema, in one transaction under an advisory lock so that
 * replicas starting together apply each migration once.
 *
 * Why not `prisma migrate deploy`: with the JS engine it ignores the adapter's schema (tables land in
 * `public`) and takes about 11 s per service. The SQL is Prisma's; only the applying is ours.
 * Throws when an applied migration's file has changed since.
 */
export async function runMigrations({ pool, schema, dir, log = () => {} }: RunMigrationsOptions): Promise<string[]> {
  const names = (await readdir(dir, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  const client = await pool.connect();
  const applied: string[] = [];
  // A migration (or the wait for another replica's) may take longer than a request's statement bound
  // (DATABASE_STATEMENT_TIMEOUT_MS): lifted for this transaction, server side and client side.
  const query = (text: string, values?: unknown[]) => client.query({ text, values, query_timeout: MIGRATION_TIMEOUT_MS } as pg.QueryConfig);
  try {
    await query('BEGIN');
    await query('SET LOCAL statement_timeout = 0');
    await query('SELECT pg_advisory_xact_lock(hashtext($1))', [`stockline:migrate:${schema}`]);
    await query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    await query(`CREATE TABLE IF NOT EXISTS "${schema}"._migrations (
      name text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const { rows } = await client.query<{ name: string; checksum: string }>(`SELECT name, checksum FROM "${schema}"._migrations`);
    const done = new Map(rows.map((r) => [r.name, r.checksum]));
    for (const name of names) {
      const sql = await readFile(join(dir, name, 'migration.sql'), 'utf8');
      const checksum = createHash('sha256').update(sql).digest('hex');
      const previous = done.get(name);
      if (previous) {
        if (previous !== checksum) throw new Error(`Migration ${schema}/${name} was changed after it was applied`);
        continue;
      }
      await query(`SET LOCAL search_path TO "${schema}"`);
      await query(sql);
      await query(`INSERT INTO "${schema}"._migrations (name, checksum) VALUES ($1, $2)`, [name, checksum]);
      applied.push(name);
      log(`applied migration ${schema}/${name}`);
    }
    await query('COMMIT');
    return applied;
  } catch (error) {
    await query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
