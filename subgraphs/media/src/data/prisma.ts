import { ReleasingPrismaPg } from '@stockline/db/prisma-pg';
import type { Pool } from '@stockline/db';
import { Prisma, PrismaClient } from '../generated/prisma/client.ts';

export { Prisma };
export type Db = PrismaClient;
/** A client bound to one open transaction. */
export type Tx = Prisma.TransactionClient;

/** The PostgreSQL schema this subgraph owns. */
export const SCHEMA = 'media';

/** Prisma on the service's pg pool, with every model in the `media` schema. */
export function createPrisma(pool: Pool): Db {
  return new PrismaClient({ adapter: new ReleasingPrismaPg(pool, { schema: SCHEMA }) });
}
