import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, runMigrations, type Pool } from '@stockline/db';
import { createLogger, metricsFor } from '@stockline/observability';
import { createTestDatabase, type TestDatabase } from '@stockline/testkit';
import { trackLowStockLevels } from '../../src/monitoring/track-low-stock-levels.ts';

const MIGRATIONS = fileURLToPath(new URL('../../prisma/migrations', import.meta.url));
let database: TestDatabase;
let pool: Pool;

beforeAll(async () => {
  database = await createTestDatabase('low_stock_gauge');
  pool = createPool({ url: database.url, max: 2, applicationName: 'low-stock-gauge-test' });
  await runMigrations({ pool, schema: 'inventory', dir: MIGRATIONS });
});
afterAll(async () => {
  await pool?.end();
  await database?.drop();
});

async function level(tenant: string, onHand: number, reserved: number, reorderPoint: number | null) {
  const { rows: [item] } = await pool.query(`INSERT INTO inventory.items (tenant_id, sku, name) VALUES ($1, gen_random_uuid()::text, 'x') RETURNING id`, [tenant]);
  const { rows: [location] } = await pool.query(`INSERT INTO inventory.locations (tenant_id, code, name) VALUES ($1, gen_random_uuid()::text, 'x') RETURNING id`, [tenant]);
  await pool.query(`INSERT INTO inventory.stock_levels (tenant_id, item_id, location_id, on_hand, reserved, reorder_point) VALUES ($1, $2, $3, $4, $5, $6)`, [tenant, item.id, location.id, onHand, reserved, reorderPoint]);
}

describe('trackLowStockLevels', () => {
  it('sets the gauge to the levels of every tenant whose available is below their reorder point', async () => {
    await level('a', 5, 0, 8); // low
    await level('a', 10, 4, 8); // available 6 < 8: low
    await level('b', 8, 0, 8); // at the point: not low
    await level('b', 0, 0, null); // no point: never low
    const stop = trackLowStockLevels({ pool, logger: createLogger({ service: 'test', level: 'silent' }), intervalMs: 50 });
    await expect.poll(async () => (await metricsFor('inventory').lowStockLevels.get()).values[0]?.value, { timeout: 5_000 }).toBe(2);
    await level('b', 1, 0, 3);
    await expect.poll(async () => (await metricsFor('inventory').lowStockLevels.get()).values[0]?.value, { timeout: 5_000 }).toBe(3);
    await stop();
  });
});
