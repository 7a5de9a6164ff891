import pg from 'pg';

export interface LevelCheck {
  item_id: string; location_id: string; on_hand: number; reserved: number;
  ledger_on_hand: number; ledger_reserved: number; held: number; movements: number;
}

/**
 * Every level of `tenantId` with what the ledger and the active reservations say it should be, read
 * straight from inventory's tables (as subgraphs/inventory/test/stock-invariants.property.test.ts does).
 */
export async function levelChecks(databaseUrl: string, tenantId: string): Promise<LevelCheck[]> {
  const sql = new pg.Client({ connectionString: databaseUrl });
  await sql.connect();
  try {
    const { rows } = await sql.query(
      `SELECT l.item_id, l.location_id, l.on_hand, l.reserved,
              COALESCE((SELECT sum(on_hand_delta) FROM inventory.stock_movements m WHERE m.tenant_id = l.tenant_id AND m.item_id = l.item_id AND m.location_id = l.location_id), 0)::int AS ledger_on_hand,
              COALESCE((SELECT sum(reserved_delta) FROM inventory.stock_movements m WHERE m.tenant_id = l.tenant_id AND m.item_id = l.item_id AND m.location_id = l.location_id), 0)::int AS ledger_reserved,
              COALESCE((SELECT sum(quantity - consumed_quantity) FROM inventory.reservations r WHERE r.tenant_id = l.tenant_id AND r.item_id = l.item_id AND r.location_id = l.location_id AND r.status = 'ACTIVE'), 0)::int AS held,
              (SELECT count(*) FROM inventory.stock_movements m WHERE m.tenant_id = l.tenant_id AND m.item_id = l.item_id AND m.location_id = l.location_id)::int AS movements
       FROM inventory.stock_levels l WHERE l.tenant_id = $1 ORDER BY l.item_id, l.location_id`,
      [tenantId],
    );
    return rows as LevelCheck[];
  } finally {
    await sql.end();
  }
}

/** The levels that break an invariant: negative, not the ledger's sum, or reserved ≠ what active holds hold. */
export function brokenLevels(levels: LevelCheck[]) {
  return levels.filter((l) => l.on_hand < 0 || l.reserved < 0 || l.on_hand < l.reserved || l.ledger_on_hand !== l.on_hand || l.ledger_reserved !== l.reserved || l.held !== l.reserved);
}
