/**
 * Issue 14, item 12: refused credentials on HTTP and WebSocket, and a viewer that cannot run any
 * mutation — one call per Mutation field of schema/supergraph.graphql, so a new mutation cannot be forgotten.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql, tokenFor, uniqueTenant } from '@stockline/testkit';
import { startTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { seedCatalog } from '../support/fixtures.ts';
import { operationFor, rootFields, sampleArgs } from './support/api-schema.ts';
import { badTokens } from './support/tokens.ts';
import { wsAttempt } from './support/ws-attempt.ts';

let platform: TestPlatform;
let tokens: Record<string, string>;
let ids: { itemId: string; locationId: string };
const tenant = uniqueTenant('auth-sweep');
const codes = (r: { errors?: { extensions?: { code?: string } }[] }) => (r.errors ?? []).map((e) => e.extensions?.code);
const ITEMS = `{ items(first: 5) { totalCount nodes { id sku } } }`;
const STOCK_CHANGED = `subscription { stockChanged { cursor onHand } }`;

beforeAll(async () => {
  platform = await startTestPlatform({ label: 'rel_auth' });
  const seeded = await seedCatalog(platform, tenant, { items: 1, onHand: 5 });
  ids = { itemId: seeded.itemIds[0]!, locationId: seeded.locationIds[0]! };
  tokens = await badTokens(tenant);
}, 120_000);
afterAll(async () => {
  await platform?.stop();
});

describe('refused credentials', () => {
  it('answers UNAUTHENTICATED over HTTP, with no data, for every bad token and for none', async () => {
    for (const [name, token] of Object.entries({ ...tokens, none: '' })) {
      const r = await graphql(platform.url, { query: ITEMS, token: token || undefined });
      expect({ name, data: r.data?.items ?? null, codes: codes(r) }).toEqual({ name, data: null, codes: ['UNAUTHENTICATED'] });
    }
  });

  it('refuses a mutation over HTTP for every bad token and changes nothing', async () => {
    for (const [name, token] of Object.entries(tokens)) {
      const r = await graphql(platform.url, {
        query: `mutation($i: AdjustStockInput!) { adjustStock(input: $i) { stockLevel { onHand } } }`,
        variables: { i: { ...ids, delta: 1, reason: 'RECEIVED' } },
        token,
      });
      expect({ name, codes: codes(r) }).toEqual({ name, codes: ['UNAUTHENTICATED'] });
    }
    const level = await platform.as(tenant, ['viewer'], `query($id: ID!) { item(id: $id) { stock { onHand } } }`, { id: ids.itemId });
    expect(level.data.item.stock.onHand).toBe(5);
  });

  it('closes the WebSocket (4403) or refuses the subscription for every bad token, never streaming', async () => {
    const url = platform.url.replace(/^http/, 'ws');
    for (const [name, token] of Object.entries({ ...tokens, 'no connection params': null as unknown as string })) {
      const outcome = await wsAttempt(url, token, STOCK_CHANGED);
      // The server either closes with graphql-ws's Forbidden or answers the subscribe with UNAUTHENTICATED.
      const refused = outcome.closeCode === 4403 || outcome.errorCodes.includes('UNAUTHENTICATED');
      expect({ name, refused, gotData: outcome.gotData, outcome }).toMatchObject({ name, refused: true, gotData: false });
    }
  });

  it('still accepts a valid token on both transports (the refusals above are not a broken server)', async () => {
    const r = await platform.as(tenant, ['viewer'], ITEMS);
    expect(r.data.items.totalCount).toBe(1);
    const url = platform.url.replace(/^http/, 'ws');
    const outcome = await wsAttempt(url, await tokenFor(tenant, ['viewer']), STOCK_CHANGED, {}, 1_500);
    expect(outcome).toEqual({ closeCode: undefined, errorCodes: [], gotData: false });
  });
});

describe('a viewer cannot mutate anything', () => {
  const mutations = rootFields('Mutation');

  it('knows every mutation of the supergraph', () => {
    expect(mutations.length).toBeGreaterThanOrEqual(20);
  });

  it.each(mutations.map((f) => [f.name, f] as const))('refuses %s with FORBIDDEN and no payload', async (_name, field) => {
    const pick = (name: string) => (/location/i.test(name) ? ids.locationId : ids.itemId);
    const args = sampleArgs(field, pick);
    const query = operationFor('mutation', field, args, '{ __typename }');
    for (const roles of [['viewer'], []]) {
      const r = await graphql(platform.url, { query, variables: args, token: await tokenFor(tenant, roles) });
      expect({ roles, payload: r.data?.[field.name] ?? null, codes: [...new Set(codes(r))] }).toEqual({
        roles,
        payload: null,
        codes: roles.length ? ['FORBIDDEN'] : [expect.stringMatching(/^(FORBIDDEN|UNAUTHENTICATED)$/)],
      });
    }
  });

  it('left the stock as it was after every refused mutation', async () => {
    const r = await platform.as(tenant, ['viewer'], `query($id: ID!) { item(id: $id) { name archivedAt stock { onHand reserved } } }`, { id: ids.itemId });
    expect(r.data.item).toMatchObject({ archivedAt: null, stock: { onHand: 5, reserved: 0 } });
  });
});
