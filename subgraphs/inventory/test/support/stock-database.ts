import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { createPool, runMigrations } from '@stockline/db';
import { createTestDatabase, uniqueTenant } from '@stockline/testkit';
import { inject } from 'vitest';
import { SCHEMA, createPrisma, type Db } from '../../src/data/prisma.ts';

const MIGRATIONS = fileURLToPath(new URL('../../prisma/migrations', import.meta.url));

export interface StockDatabase {
  db: Db;
  /** A plain pool on the same database, for reading the tables behind the services' backs. */
  pool: pg.Pool;
  /** A new tenant with `items` items and `locations` locations; returns their ids. */
  seedTenant(label: string, counts?: { items?: number; locations?: number }): Promise<{ tenantId: string; items: string[]; locations: string[] }>;
  close(): Promise<void>;
}

/**
 * The inventory schema, migrated, in a database of the file's own, for tests of the domain services
 * without the HTTP server (fast enough to run once per mutant under Stryker). Tests keep apart by tenant.
 */
export async function openStockDatabase(label: string): Promise<StockDatabase> {
  // Under `npm run test:mutation` the files share one database migrated once per worker (test/mutation/global-setup.ts).
  const shared = inject('inventoryDatabaseUrl');
  const database = shared ? null : await createTestDatabase(label);
  const pool = createPool({ url: shared ?? database!.url, max: 4, applicationName: `test-${label}` });
  if (!shared) await runMigrations({ pool, schema: SCHEMA, dir: MIGRATIONS });
  return {
    db: createPrisma(pool),
    pool,
    async seedTenant(name, { items = 2, locations = 2 } = {}) {
      const tenantId = uniqueTenant(name);
      const itemIds = Array.from({ length: items }, () => randomUUID());
      const locationIds = Array.from({ length: locations }, () => randomUUID());
      await pool.query(
        `INSERT INTO inventory.items (id, tenant_id, sku, name, updated_at) SELECT id, $1, 'SKU-' || n, 'Item ' || n, now()
         FROM unnest($2::uuid[]) WITH ORDINALITY AS u(id, n)`,
        [tenantId, itemIds],
      );
      await pool.query(
        `INSERT INTO inventory.locations (id, tenant_id, code, name) SELECT id, $1, 'L' || n, 'Location ' || n
         FROM unnest($2::uuid[]) WITH ORDINALITY AS u(id, n)`,
        [tenantId, locationIds],
      );
      return { tenantId, items: itemIds, locations: locationIds };
    },
    async close() {
      await pool.end();
      await database?.drop();
    },
  };
}
