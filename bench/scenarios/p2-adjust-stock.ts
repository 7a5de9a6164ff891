import { randomUUID } from 'node:crypto';
import { gqlBody } from '../lib/graphql.ts';
import type { Scenario } from '../lib/types.ts';

const ADJUST = `mutation($input: AdjustStockInput!) { adjustStock(input: $input) { stockLevel { onHand available } userErrors { code message } } }`;
export const SPREAD = 200;

/**
 * The rows one adjustStock writes, as raw SQL through `pg`: lock the level, update it, one ledger
 * line, one outbox row. Six statements with BEGIN and COMMIT: the floor for the same row changes.
 */
export async function rawAdjust(client: import('pg').PoolClient, { tenant, itemId, locationId, delta }: { tenant: string; itemId: string; locationId: string; delta: number }) {
  await client.query('BEGIN');
  const { rows } = await client.query(
    'SELECT on_hand, reserved FROM inventory.stock_levels WHERE tenant_id = $1 AND item_id = $2 AND location_id = $3 FOR UPDATE',
    [tenant, itemId, locationId],
  );
  const onHand = rows[0].on_hand + delta;
  await client.query('UPDATE inventory.stock_levels SET on_hand = $4, version = version + 1, updated_at = now() WHERE tenant_id = $1 AND item_id = $2 AND location_id = $3', [
    tenant,
    itemId,
    locationId,
    onHand,
  ]);
  const { rows: m } = await client.query(
    `INSERT INTO inventory.stock_movements (tenant_id, item_id, location_id, reason, on_hand_delta, reserved_delta, on_hand_after, reserved_after, actor_id)
     VALUES ($1, $2, $3, 'RECEIVED', $4, 0, $5, $6, 'bench') RETURNING id`,
    [tenant, itemId, locationId, delta, onHand, rows[0].reserved],
  );
  await client.query('INSERT INTO inventory.outbox_events (tenant_id, type, payload) VALUES ($1, $2, $3)', [
    tenant,
    'StockChanged',
    JSON.stringify({ movementId: m[0].id, itemId, locationId, onHand, onHandDelta: delta }),
  ]);
  await client.query('COMMIT');
}

export const scenario: Scenario = {
  id: 'P2',
  title: 'adjustStock(+1) through the gateway vs the same rows as raw SQL',
  async run(ctx) {
    const { tenant, itemIds, locationIds } = await ctx.fixture();
    const spread = itemIds.slice(0, SPREAD);
    const locationId = locationIds[0];
    const body = (itemId: string, key?: string) => gqlBody(ADJUST, { input: { itemId, locationId, delta: 1, reason: 'RECEIVED', ...(key ? { idempotencyKey: key } : {}) } });
    const measurements = [
      await ctx.load({ name: 'spread: ours', body: (n) => body(spread[n % SPREAD]) }),
      await ctx.load({ name: 'spread + key: ours', body: (n) => body(spread[n % SPREAD], randomUUID()) }),
      await ctx.load({ name: 'hot item: ours', body: () => body(itemIds[SPREAD]) }),
      await ctx.load({ name: 'spread: inventory alone', url: ctx.inventoryUrl, body: (n) => body(spread[n % SPREAD]) }),
      await ctx.sqlLoad({ name: 'spread: raw SQL', run: (client, n) => rawAdjust(client, { tenant, itemId: spread[n % SPREAD], locationId, delta: 1 }) }),
      await ctx.sqlLoad({ name: 'hot item: raw SQL', run: (client) => rawAdjust(client, { tenant, itemId: itemIds[SPREAD + 1], locationId, delta: 1 }) }),
    ];
    const goal = { text: '≥ 0.5× raw SQL', minRatio: 0.5, zeroErrors: true };
    return {
      measurements,
      comparisons: [
        { label: 'spread over 200 items', ours: 'spread: ours', baseline: 'spread: raw SQL', goal },
        { label: 'spread, with idempotency key', ours: 'spread + key: ours', baseline: 'spread: raw SQL', goal },
        { label: 'one hot item', ours: 'hot item: ours', baseline: 'hot item: raw SQL', goal },
        { label: 'spread, inventory subgraph alone (context)', ours: 'spread: inventory alone', baseline: 'spread: raw SQL', goal: { text: 'context only' } },
      ],
      notes: [
        'Raw SQL: BEGIN, SELECT … FOR UPDATE, UPDATE, INSERT ledger line, INSERT outbox row, COMMIT from a 20-connection pool with 50 concurrent workers in the benchmark process.',
        'The hot-item raw run uses another item than the hot-item gateway run so each starts from the same state.',
      ],
    };
  },
};
