import { isEmbeddedDatabase } from '@stockline/db';
import { Database, type Sql } from './sql.ts';

/**
 * Prisma owns the schema and its migrations (prisma/schema.prisma, prisma/migrations); at run time the
 * service talks to PostgreSQL through `pg` (./sql.ts): a profile put ~30% of the write path in Prisma's
 * client runtime. These names stay for the modules that import them.
 */
export type Db = Database;
/** A client bound to one open transaction. */
export type Tx = Sql;

/** The PostgreSQL schema this subgraph owns. */
export const SCHEMA = 'inventory';

/** Runs `fn` in one READ COMMITTED transaction on one pooled connection. */
export function inTransaction<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction(fn);
}

/**
 * The service's database on its pool (the name is kept for callers from before `pg` replaced Prisma's
 * client at run time).
 */
export function createPrisma(pool: import('pg').Pool): Db {
  return new Database(pool, { namedStatements: !isEmbeddedDatabase(pool.options.connectionString) });
}
