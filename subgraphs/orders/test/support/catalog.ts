import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { graphql, tokenFor } from '@stockline/testkit';

export interface StockQuantities {
  onHand: number;
  reserved: number;
  available: number;
}

/**
 * Sets up and reads a tenant's catalog and stock through inventory's own GraphQL API (admin token),
 * as a client of the platform would.
 */
export class Catalog {
  private constructor(
    private readonly url: string,
    private readonly token: string,
  ) {}

  static async for(inventoryUrl: string, tenant: string): Promise<Catalog> {
    return new Catalog(inventoryUrl, await tokenFor(tenant, ['admin']));
  }

  async call<T = any>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const res = await graphql<T>(this.url, { query, variables, token: this.token });
    expect(res.errors).toBeUndefined();
    return res.data!;
  }

  async createLocation(code = `L-${randomBytes(3).toString('hex')}`): Promise<string> {
    const data = await this.call(`mutation($code: String!) { createLocation(code: $code, name: $code) { location { id } userErrors { code } } }`, { code });
    expect(data.createLocation.userErrors).toEqual([]);
    return data.createLocation.location.id;
  }

  async createItem(sku = `SKU-${randomBytes(4).toString('hex')}`): Promise<string> {
    const data = await this.call(`mutation($sku: String!) { upsertItem(input: { sku: $sku, name: $sku }) { item { id } userErrors { code } } }`, { sku });
    expect(data.upsertItem.userErrors).toEqual([]);
    return data.upsertItem.item.id;
  }

  async receive(itemId: string, locationId: string, quantity: number): Promise<void> {
    const data = await this.call(
      `mutation($input: AdjustStockInput!) { adjustStock(input: $input) { userErrors { code } } }`,
      { input: { itemId, locationId, delta: quantity, reason: 'RECEIVED' } },
    );
    expect(data.adjustStock.userErrors).toEqual([]);
  }

  /** An item stocked at one new location. */
  async stockedItem(quantity: number): Promise<{ itemId: string; locationId: string }> {
    const [itemId, locationId] = await Promise.all([this.createItem(), this.createLocation()]);
    await this.receive(itemId, locationId, quantity);
    return { itemId, locationId };
  }

  /** Sums over all locations. */
  async stock(itemId: string): Promise<StockQuantities> {
    const data = await this.call(`query($id: ID!) { item(id: $id) { stock { onHand reserved available } } }`, { id: itemId });
    return data.item.stock;
  }

  async levels(itemId: string): Promise<(StockQuantities & { locationId: string })[]> {
    const data = await this.call(`query($id: ID!) { item(id: $id) { stockLevels { location { id } onHand reserved available } } }`, { id: itemId });
    return data.item.stockLevels.map((l: any) => ({ locationId: l.location.id, onHand: l.onHand, reserved: l.reserved, available: l.available }));
  }

  async movements(itemId: string, reason: string): Promise<{ reference: string | null; onHandDelta: number; reservedDelta: number }[]> {
    const data = await this.call(
      `query($itemId: ID!, $reason: MovementReason) { stockMovements(first: 250, itemId: $itemId, reason: $reason) { nodes { reference onHandDelta reservedDelta } } }`,
      { itemId, reason },
    );
    return data.stockMovements.nodes;
  }
}
