import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@stockline/testkit';
import { ReleasingPrismaPg } from '../src/prisma-pg.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('prisma_pg');
});
afterAll(() => db?.drop());

const checkedOut = (pool: pg.Pool) => pool.totalCount - pool.idleCount;

/** Ends the backend of the only connection `pool` has checked out, as a database outage would. */
async function killBackend(pid: number) {
  const admin = new pg.Client({ connectionString: db.url });
  await admin.connect();
  await admin.query('SELECT pg_terminate_backend($1)', [pid]);
  await admin.end();
}

describe('ReleasingPrismaPg', () => {
  for (const end of ['COMMIT', 'ROLLBACK']) {
    it(`gives the connection back when ${end} fails because the database went away`, async () => {
      const pool = new pg.Pool({ connectionString: db.url, max: 2 });
      pool.on('error', () => {});
      const adapter = await new ReleasingPrismaPg(pool).connect();
      const tx = await adapter.startTransaction();
      const [[pid]] = (await tx.queryRaw({ sql: 'SELECT pg_backend_pid()', args: [], argTypes: [] })).rows as number[][];
      expect(checkedOut(pool)).toBe(1);
      await killBackend(pid);
      // What Prisma's transaction manager does: the statement first, then commit()/rollback() only if it succeeded.
      await expect(tx.executeRaw({ sql: end, args: [], argTypes: [] })).rejects.toThrow();
      expect(checkedOut(pool)).toBe(0);
      await tx.rollback(); // a later call does not release twice
      const again = await adapter.startTransaction();
      expect((await again.queryRaw({ sql: 'SELECT 1 AS one', args: [], argTypes: [] })).rows).toEqual([[1]]);
      await again.executeRaw({ sql: 'COMMIT', args: [], argTypes: [] });
      await again.commit();
      expect(checkedOut(pool)).toBe(0);
      await pool.end();
    });
  }
});
