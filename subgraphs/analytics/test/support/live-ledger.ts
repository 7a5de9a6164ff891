import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { serviceToken } from '@stockline/events';
import { DEV_JWT_SECRET } from '@stockline/auth';
import { withTenant } from '@stockline/db/tenant-scope';
import { graphql } from '@stockline/testkit';
import type { InventoryServer } from '../../../inventory/src/server.ts';
import type { ScriptedTenant } from './history.ts';

type Call = <T = any>(query: string, variables?: Record<string, unknown>) => Promise<T>;

/** A GraphQL caller through the gateway for one token; fails the test on any error. */
export function caller(url: string, token: string): Call {
  return async (query, variables) => {
    const res = await graphql(url, { query, variables, token });
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    return res.data;
  };
}

/**
 * A small business run through the real inventory: categories, locations, items, receipts,
 * reservations, shipments (the reservation consumption orders' saga calls), releases, corrections,
 * damage, transfers and a reorder point.
 */
export async function runBusiness(call: Call, inventory: InventoryServer, tenantId: string, { scale = 1 } = {}) {
  const cat = async (name: string) => (await call(`mutation($n: String!) { createCategory(name: $n) { category { id } } }`, { n: name })).createCategory.category.id as string;
  const loc = async (code: string) => (await call(`mutation($c: String!) { createLocation(code: $c, name: $c) { location { id } } }`, { c: code })).createLocation.location.id as string;
  const categories = [await cat('Tools'), await cat('Paint')];
  const locations = [await loc('WH-A'), await loc('WH-B')];
  const items: string[] = [];
  for (let i = 0; i < 4; i++) {
    const data = await call(`mutation($i: UpsertItemInput!) { upsertItem(input: $i) { item { id } userErrors { code } } }`, {
      i: { sku: `SKU-${i}`, name: `Item ${i}`, categoryId: categories[i % 2] },
    });
    items.push(data.upsertItem.item.id);
  }
  const adjust = (itemId: string, locationId: string, delta: number, reason: string) =>
    call(`mutation($i: AdjustStockInput!) { adjustStock(input: $i) { userErrors { code } } }`, { i: { itemId, locationId, delta, reason } });
  const reserve = async (itemId: string, locationId: string, quantity: number) =>
    (await call(`mutation($i: ReserveStockInput!) { reserveStock(input: $i) { reservation { id } userErrors { code } } }`, { i: { itemId, locationId, quantity } })).reserveStock.reservation.id as string;
  const ship = async (reservationId: string, quantity: number) => {
    // As orders' saga does it through the internal API: in the tenant's scope (row-level security).
    const result = await withTenant(tenantId, () =>
      inventory.services.reservations.consume({ tenantId, userId: 'test' }, { consumptions: [{ reservationId, quantity }], reference: 'ship', idempotencyKey: randomUUID() }),
    );
    expect(result.userErrors).toEqual([]);
  };
  for (let round = 0; round < scale; round++) {
    for (const [i, itemId] of items.entries()) {
      await adjust(itemId, locations[0], 40 + 10 * i, 'RECEIVED');
      if (i % 2 === 0) await adjust(itemId, locations[1], 15, 'RECEIVED');
      const held = await reserve(itemId, locations[0], 12 + i);
      await ship(held, 10 + i);
      if (i === 1) await call(`mutation($id: ID!) { releaseReservation(id: $id) { userErrors { code } } }`, { id: await reserve(itemId, locations[0], 3) });
      if (i === 2) await adjust(itemId, locations[0], -2, 'CORRECTION');
      if (i === 3) await adjust(itemId, locations[0], -1, 'DAMAGED');
      await call(`mutation($i: TransferStockInput!) { transferStock(input: $i) { userErrors { code } } }`, {
        i: { itemId, fromLocationId: locations[0], toLocationId: locations[1], quantity: 5 },
      });
    }
  }
  await call(`mutation($i: ID!, $l: ID!) { setReorderPoint(itemId: $i, locationId: $l, reorderPoint: 500) { userErrors { code } } }`, { i: items[0], l: locations[0] });
  await adjust(items[0], locations[0], -1, 'CORRECTION');
  return { categories, locations, items };
}

/** What the ledger and the live levels say, read through the gateway (inventory's API), as a ScriptedTenant. */
export async function readLedger(call: Call, tenantId: string): Promise<ScriptedTenant> {
  const movements: ScriptedTenant['movements'] = [];
  for (let after: string | null = null; ; ) {
    const data: any = await call(
      `query($after: String) { stockMovements(first: 250, after: $after) {
         nodes { item { id } location { id } reason onHandDelta reservedDelta onHandAfter reservedAfter occurredAt }
         pageInfo { hasNextPage endCursor } } }`,
      { after },
    );
    for (const m of data.stockMovements.nodes) {
      movements.push({
        tenantId, itemId: m.item.id, locationId: m.location.id, reason: m.reason, onHandDelta: m.onHandDelta, reservedDelta: m.reservedDelta,
        onHandAfter: m.onHandAfter, reservedAfter: m.reservedAfter, reorderPoint: null, at: new Date(m.occurredAt),
      });
    }
    if (!data.stockMovements.pageInfo.hasNextPage) break;
    after = data.stockMovements.pageInfo.endCursor;
  }
  const { items } = await call(`{ items(first: 250) { nodes { id category { id } stockLevels { location { id } onHand reserved reorderPoint } } } }`);
  const levels: ScriptedTenant['levels'] = new Map();
  for (const item of items.nodes) {
    for (const l of item.stockLevels) levels.set(`${item.id}/${l.location.id}`, { itemId: item.id, locationId: l.location.id, onHand: l.onHand, reserved: l.reserved, reorderPoint: l.reorderPoint });
  }
  return {
    tenantId,
    items: items.nodes.map((i: any) => ({ id: i.id, sku: '', categoryId: i.category?.id ?? null, archived: false })),
    categories: [],
    locations: [],
    movements: movements.sort((a, b) => a.at.getTime() - b.at.getTime()),
    levels,
  };
}

/** The inventory stream's newest position, asked of its owner's event log API. */
export async function inventoryHead(inventoryUrl: string): Promise<number> {
  const token = await serviceToken({ jwtSecret: DEV_JWT_SECRET, sub: 'analytics-test' })();
  const response = await fetch(`${inventoryUrl}/internal/v1/events/inventory?after=0&head=1`, { headers: { authorization: `Bearer ${token}` } });
  expect(response.status).toBe(200);
  return ((await response.json()) as { head: number }).head;
}

/** Parses our CSV (RFC 4180: quoted fields, doubled quotes) into records by header. */
export function parseCsv(text: string): Record<string, string>[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(field), (field = '');
    else if (c === '\r' && text[i + 1] === '\n') row.push(field), rows.push(row), (row = []), (field = ''), i++;
    else field += c;
  }
  const [header, ...records] = rows;
  return records.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
}
