import { expect } from 'vitest';
import { graphql, tokenFor, type GraphQLResponse } from '@stockline/testkit';
import { ADDRESS, CANCEL_ORDER, FULFILL_ORDER, ORDER, PLACE_ORDER } from './operations.ts';

export interface LineInput {
  itemId: string;
  quantity: number;
  locationId?: string;
}

/** A clerk of one tenant calling the orders subgraph's /graphql directly. */
export class OrdersClient {
  private constructor(
    readonly url: string,
    readonly token: string,
  ) {}

  static async for(ordersUrl: string, tenant: string, roles = ['clerk']): Promise<OrdersClient> {
    return new OrdersClient(ordersUrl, await tokenFor(tenant, roles, { sub: `clerk-of-${tenant}` }));
  }

  send<T = any>(query: string, variables: Record<string, unknown> = {}): Promise<GraphQLResponse<T>> {
    return graphql<T>(this.url, { query, variables, token: this.token });
  }

  /** Sends and expects no top-level error. */
  async call<T = any>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const res = await this.send<T>(query, variables);
    expect(res.errors).toBeUndefined();
    return res.data!;
  }

  async placeOrder(lines: LineInput[], extra: Record<string, unknown> = {}) {
    const data = await this.call(PLACE_ORDER, { input: { lines, shippingAddress: ADDRESS, ...extra } });
    return data.placeOrder as { order: any; userErrors: any[] };
  }

  /** Places an order expected to end RESERVED. */
  async reservedOrder(lines: LineInput[]) {
    const { order, userErrors } = await this.placeOrder(lines);
    expect(userErrors).toEqual([]);
    expect(order.status).toBe('RESERVED');
    return order;
  }

  async fulfillOrder(input: Record<string, unknown>) {
    const data = await this.call(FULFILL_ORDER, { input: { carrier: 'UPS', trackingNumber: '1Z999', ...input } });
    return data.fulfillOrder as { order: any; shipment: any; userErrors: any[] };
  }

  async cancelOrder(id: string, reason?: string) {
    const data = await this.call(CANCEL_ORDER, { id, reason });
    return data.cancelOrder as { order: any; userErrors: any[] };
  }

  async order(id: string) {
    return (await this.call(ORDER, { id })).order;
  }
}
