import { ReleasingPrismaPg } from '@stockline/db/prisma-pg';
import type { Pool } from '@stockline/db';
import { Prisma, PrismaClient } from '../generated/prisma/client.ts';

export { Prisma };
export type Db = PrismaClient;
/** A client bound to one open transaction. */
export type Tx = Prisma.TransactionClient;

/** The PostgreSQL schema this subgraph owns. */
export const SCHEMA = 'orders';

/** Prisma on the service's pg pool, with every model in the `orders` schema. */
export function createPrisma(pool: Pool): Db {
  return new PrismaClient({ adapter: new ReleasingPrismaPg(pool, { schema: SCHEMA }) });
}

/**
 * Runs `fn` in one READ COMMITTED transaction. Waits up to 10 s for a connection and allows 30 s,
 * because an order's row lock serializes its saga steps and a burst may queue behind them.
 */
export function inTransaction<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.$transaction(fn, { maxWait: 10_000, timeout: 30_000, isolationLevel: Prisma.TransactionIsolationLevel.ReadCommitted });
}
