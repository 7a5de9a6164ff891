import { PrismaPg } from '@prisma/adapter-pg';

type Adapter = Awaited<ReturnType<PrismaPg['connect']>>;
type Transaction = Awaited<ReturnType<Adapter['startTransaction']>>;
type Query = Parameters<Transaction['executeRaw']>[0];
/** What PgTransaction holds besides its interface: the pool client, and the listener cleanup. */
type PgTransaction = Transaction & { client: { release(error?: Error | boolean): void }; cleanup?: () => void };

const ENDS_TRANSACTION = /^\s*(COMMIT|ROLLBACK)\s*$/i;

/**
 * Prisma's pg adapter, except that a transaction whose COMMIT or ROLLBACK fails gives its connection
 * back. Prisma 7's transaction manager sends COMMIT/ROLLBACK as a query and only then calls the
 * adapter's commit()/rollback(), which release the connection; when that query throws (the database
 * went away mid-transaction) it never calls them, and the connection stayed checked out for good —
 * found by the PostgreSQL-down reliability test (orders kept 1–2 connections after each outage).
 * Here the failed COMMIT/ROLLBACK releases it with the error, so the pool discards it.
 */
export class ReleasingPrismaPg extends PrismaPg {
  override async connect(): Promise<Adapter> {
    const adapter = await super.connect();
    const start = adapter.startTransaction.bind(adapter);
    adapter.startTransaction = async (isolationLevel) => releaseOnFailedEnd((await start(isolationLevel)) as PgTransaction);
    return adapter;
  }
}

function releaseOnFailedEnd(tx: PgTransaction): Transaction {
  let released = false;
  const release = (error?: Error) => {
    if (released) return;
    released = true;
    tx.cleanup?.();
    tx.client.release(error ?? true);
  };
  const executeRaw = tx.executeRaw.bind(tx);
  const commit = tx.commit.bind(tx);
  const rollback = tx.rollback.bind(tx);
  tx.executeRaw = async (query: Query) => {
    try {
      return await executeRaw(query);
    } catch (error) {
      if (ENDS_TRANSACTION.test(query.sql)) release(error instanceof Error ? error : new Error(String(error)));
      throw error;
    }
  };
  tx.commit = async () => {
    if (released) return;
    released = true;
    await commit();
  };
  tx.rollback = async () => {
    if (released) return;
    released = true;
    await rollback();
  };
  return tx;
}
