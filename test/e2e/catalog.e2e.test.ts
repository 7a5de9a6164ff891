import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql, tokenFor, uniqueTenant } from '@stockline/testkit';
import { startTestPlatform, type TestPlatform } from '../support/test-platform.ts';

let platform: TestPlatform;
const tenant = uniqueTenant('catalog');
const admin = (query: string, variables?: Record<string, unknown>) => platform.as(tenant, ['admin'], query, variables);

const UPSERT = `mutation($input: UpsertItemInput!) { upsertItem(input: $input) { item { id sku name version description category { id name } } userErrors { code field current itemId } } }`;
const BULK = `mutation($inputs: [UpsertItemInput!]!, $mode: BulkMode) { bulkUpsertItems(inputs: $inputs, mode: $mode) { items { id sku } userErrors { code field } } }`;
const ITEMS = `query($first: Int, $after: String, $filter: ItemFilter) { items(first: $first, after: $after, filter: $filter) { totalCount nodes { id sku } edges { cursor node { sku } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`;

beforeAll(async () => {
  platform = await startTestPlatform();
});
afterAll(async () => {
  await platform?.stop();
});

describe('authentication and roles', () => {
  it('refuses a request without a token with UNAUTHENTICATED', async () => {
    const response = await graphql(platform.url, { query: '{ items(first: 1) { totalCount } }' });
    expect(response.status).toBe(401);
    expect(response.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('refuses an expired or forged token with UNAUTHENTICATED', async () => {
    const expired = await tokenFor(tenant, ['admin'], { expiresIn: '-1m' });
    const forged = await tokenFor(tenant, ['admin'], { secret: 'some-other-secret-of-enough-length' });
    for (const token of [expired, forged, 'not.a.jwt']) {
      const response = await graphql(platform.url, { query: '{ items(first: 1) { totalCount } }', token });
      expect(response.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    }
  });

  it('lets a viewer read but not mutate (FORBIDDEN), and changes nothing', async () => {
    const read = await platform.as(tenant, ['viewer'], '{ categories { id } }');
    expect(read.errors).toBeUndefined();
    const write = await platform.as(tenant, ['viewer'], `mutation { createCategory(name: "Nope") { category { id } } }`);
    expect(write.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const clerk = await platform.as(tenant, ['clerk'], `mutation { createCategory(name: "Nope") { category { id } } }`);
    expect(clerk.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const { data } = await admin('{ categories { name } }');
    expect(data.categories.map((c: { name: string }) => c.name)).not.toContain('Nope');
  });
});

describe('upsertItem', () => {
  it('creates by sku, then updates the same item and bumps its version', async () => {
    const category = (await admin(`mutation { createCategory(name: "Tools") { category { id } } }`)).data.createCategory.category;
    const created = (await admin(UPSERT, { input: { sku: 'HAM-1', name: 'Hammer', categoryId: category.id } })).data.upsertItem;
    expect(created.userErrors).toEqual([]);
    expect(created.item).toMatchObject({ sku: 'HAM-1', name: 'Hammer', version: 1, category: { name: 'Tools' } });
    const updated = (await admin(UPSERT, { input: { sku: 'HAM-1', name: 'Claw Hammer', expectedVersion: 1 } })).data.upsertItem;
    expect(updated.item).toMatchObject({ id: created.item.id, name: 'Claw Hammer', version: 2, category: null });
  });

  it('leaves an unchanged item at its version', async () => {
    await admin(UPSERT, { input: { sku: 'SAME-1', name: 'Same' } });
    const again = (await admin(UPSERT, { input: { sku: 'SAME-1', name: 'Same' } })).data.upsertItem;
    expect(again.item.version).toBe(1);
  });

  it('refuses a stale expectedVersion with VERSION_CONFLICT and the current version, changing nothing', async () => {
    await admin(UPSERT, { input: { sku: 'VC-1', name: 'One' } });
    await admin(UPSERT, { input: { sku: 'VC-1', name: 'Two' } });
    const stale = (await admin(UPSERT, { input: { sku: 'VC-1', name: 'Three', expectedVersion: 1 } })).data.upsertItem;
    expect(stale.item).toBeNull();
    expect(stale.userErrors[0]).toMatchObject({ code: 'VERSION_CONFLICT', current: 2, field: ['input', 'expectedVersion'] });
    const { data } = await admin(`{ item(sku: "VC-1") { name version } }`);
    expect(data.item).toEqual({ name: 'Two', version: 2 });
  });

  it('treats expectedVersion 0 as create-only', async () => {
    const first = (await admin(UPSERT, { input: { sku: 'NEW-0', name: 'New', expectedVersion: 0 } })).data.upsertItem;
    expect(first.item.version).toBe(1);
    const second = (await admin(UPSERT, { input: { sku: 'NEW-0', name: 'Other', expectedVersion: 0 } })).data.upsertItem;
    expect(second.userErrors[0]).toMatchObject({ code: 'VERSION_CONFLICT', current: 1 });
  });

  it('answers bad input with INVALID_INPUT or NOT_FOUND on the field, creating nothing', async () => {
    const cases = [
      [{ sku: '', name: 'x' }, 'INVALID_INPUT', ['input', 'sku']],
      [{ sku: 'has space', name: 'x' }, 'INVALID_INPUT', ['input', 'sku']],
      [{ sku: 'OK-1', name: '   ' }, 'INVALID_INPUT', ['input', 'name']],
      [{ sku: 'OK-2', name: 'x', categoryId: '00000000-0000-0000-0000-000000000000' }, 'NOT_FOUND', ['input', 'categoryId']],
      [{ sku: 'OK-3', name: 'x', categoryId: 'not-a-uuid' }, 'NOT_FOUND', ['input', 'categoryId']],
    ] as const;
    for (const [input, code, field] of cases) {
      const { data } = await admin(UPSERT, { input });
      expect(data.upsertItem.userErrors[0]).toMatchObject({ code, field });
    }
    const { data } = await admin(ITEMS, { filter: { skus: ['OK-1', 'OK-2', 'OK-3'] } });
    expect(data.items.totalCount).toBe(0);
  });
});

describe('bulkUpsertItems', () => {
  const inputs = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => ({ sku: `${prefix}-${String(i).padStart(4, '0')}`, name: `${prefix} ${i}` }));

  it('creates 1,000 items in one call', async () => {
    const { data } = await admin(BULK, { inputs: inputs('BULK', 1000) });
    expect(data.bulkUpsertItems.userErrors).toEqual([]);
    expect(data.bulkUpsertItems.items).toHaveLength(1000);
    expect(data.bulkUpsertItems.items.every((i: { id: string } | null) => i?.id)).toBe(true);
    expect((await admin(ITEMS, { first: 0, filter: { skus: inputs('BULK', 1000).map((i) => i.sku) } })).data.items.totalCount).toBe(1000);
  });

  it('in PER_ITEM mode nulls the one bad input, points a userError at it and keeps the other 999', async () => {
    const batch = inputs('PER', 1000);
    batch[417] = { sku: 'bad sku!', name: 'x' };
    const { data } = await admin(BULK, { inputs: batch, mode: 'PER_ITEM' });
    expect(data.bulkUpsertItems.items[417]).toBeNull();
    expect(data.bulkUpsertItems.items.filter(Boolean)).toHaveLength(999);
    expect(data.bulkUpsertItems.userErrors).toEqual([{ code: 'INVALID_INPUT', field: ['inputs', '417', 'sku'] }]);
    expect((await admin(ITEMS, { first: 0, filter: { skus: batch.map((i) => i.sku) } })).data.items.totalCount).toBe(999);
  });

  it('in ATOMIC mode creates none when one input is bad', async () => {
    const batch = inputs('ATOM', 1000);
    batch[999] = { sku: 'ATOM-0001', name: 'duplicate of another input' };
    const { data } = await admin(BULK, { inputs: batch, mode: 'ATOMIC' });
    expect(data.bulkUpsertItems.items.every((i: unknown) => i === null)).toBe(true);
    expect(data.bulkUpsertItems.userErrors).toEqual([{ code: 'DUPLICATE_SKU', field: ['inputs', '999', 'sku'] }]);
    expect((await admin(ITEMS, { first: 0, filter: { skus: batch.map((i) => i.sku) } })).data.items.totalCount).toBe(0);
  });

  it('in ATOMIC mode rolls back everything on a version conflict found in the database', async () => {
    await admin(BULK, { inputs: [{ sku: 'AV-1', name: 'v1' }] });
    const { data } = await admin(BULK, { inputs: [{ sku: 'AV-2', name: 'new' }, { sku: 'AV-1', name: 'v2', expectedVersion: 7 }], mode: 'ATOMIC' });
    expect(data.bulkUpsertItems.userErrors).toEqual([{ code: 'VERSION_CONFLICT', field: ['inputs', '1', 'expectedVersion'] }]);
    expect((await admin(ITEMS, { filter: { skus: ['AV-2'] } })).data.items.totalCount).toBe(0);
  });

  it('refuses more than 5,000 inputs with LIMIT_EXCEEDED', async () => {
    const { data } = await admin(BULK, { inputs: inputs('MAX', 5001) });
    expect(data.bulkUpsertItems.userErrors[0].code).toBe('LIMIT_EXCEEDED');
  });
});

describe('items', () => {
  it('pages by cursor in sku order with no gap and no repeat', async () => {
    const filter = { skus: Array.from({ length: 1000 }, (_, i) => `BULK-${String(i).padStart(4, '0')}`) };
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const { data }: { data?: any } = await admin(ITEMS, { first: 250, after, filter });
      seen.push(...data.items.nodes.map((n: { sku: string }) => n.sku));
      expect(data.items.edges.map((e: { node: { sku: string } }) => e.node.sku)).toEqual(data.items.nodes.map((n: { sku: string }) => n.sku));
      if (!data.items.pageInfo.hasNextPage) break;
      after = data.items.pageInfo.endCursor;
    }
    expect(seen).toEqual([...filter.skus].sort());
  });

  it('refuses first beyond 250 and a foreign cursor with BAD_USER_INPUT', async () => {
    expect((await admin(ITEMS, { first: 251 })).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect((await admin(ITEMS, { first: 1, after: 'garbage' })).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('leaves archived items out unless asked for, and archiving is idempotent', async () => {
    const { data } = await admin(UPSERT, { input: { sku: 'ARCH-1', name: 'Old' } });
    const archived = (await admin(`mutation($id: ID!) { archiveItem(id: $id) { item { archivedAt version } userErrors { code } } }`, { id: data.upsertItem.item.id })).data.archiveItem;
    expect(archived.item.archivedAt).toBeTruthy();
    expect(archived.item.version).toBe(2);
    const again = (await admin(`mutation($id: ID!) { archiveItem(id: $id) { item { archivedAt version } } }`, { id: data.upsertItem.item.id })).data.archiveItem;
    expect(again.item).toEqual(archived.item);
    expect((await admin(ITEMS, { filter: { skus: ['ARCH-1'] } })).data.items.totalCount).toBe(0);
    expect((await admin(ITEMS, { filter: { skus: ['ARCH-1'], includeArchived: true } })).data.items.totalCount).toBe(1);
  });

  it('finds an item by id or sku and refuses both or neither with BAD_USER_INPUT', async () => {
    const { data } = await admin(`{ item(sku: "HAM-1") { id sku } }`);
    expect((await admin(`query($id: ID!) { item(id: $id) { sku } }`, { id: data.item.id })).data.item.sku).toBe('HAM-1');
    expect((await admin(`{ item { id } }`)).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect((await admin(`query($id: ID!) { item(id: $id, sku: "HAM-1") { id } }`, { id: data.item.id })).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect((await admin(`{ item(id: "nope") { id } }`)).data.item).toBeNull();
  });
});

describe('categories and locations', () => {
  it('refuses a duplicate category name or location code with INVALID_INPUT', async () => {
    await admin(`mutation { createCategory(name: "Dup") { category { id } } }`);
    const dup = (await admin(`mutation { createCategory(name: "Dup") { category { id } userErrors { code field } } }`)).data.createCategory;
    expect(dup).toEqual({ category: null, userErrors: [{ code: 'INVALID_INPUT', field: ['name'] }] });
    await admin(`mutation { createLocation(code: "WH-1", name: "One") { location { id } } }`);
    const dupLoc = (await admin(`mutation { createLocation(code: "WH-1", name: "Again") { location { id } userErrors { code field } } }`)).data.createLocation;
    expect(dupLoc).toEqual({ location: null, userErrors: [{ code: 'INVALID_INPUT', field: ['code'] }] });
  });

  it('lists a category\'s items through Category.items', async () => {
    const { data } = await admin(`{ categories { name items(first: 10) { totalCount nodes { sku } } } }`);
    expect(data.categories.find((c: { name: string }) => c.name === 'Tools').items.totalCount).toBe(0);
  });
});

describe('tenant isolation', () => {
  it('never shows or changes another tenant\'s catalog', async () => {
    const other = uniqueTenant('other');
    const mine = (await admin(`{ item(sku: "HAM-1") { id } }`)).data.item.id;
    expect((await platform.as(other, ['admin'], `{ items(first: 5) { totalCount } categories { id } locations { id } }`)).data).toEqual({ items: { totalCount: 0 }, categories: [], locations: [] });
    expect((await platform.as(other, ['admin'], `query($id: ID!) { item(id: $id) { id } }`, { id: mine })).data.item).toBeNull();
    const archive = (await platform.as(other, ['admin'], `mutation($id: ID!) { archiveItem(id: $id) { item { id } userErrors { code } } }`, { id: mine })).data.archiveItem;
    expect(archive.userErrors[0].code).toBe('NOT_FOUND');
    // Same sku in another tenant is another item.
    const theirs = (await platform.as(other, ['admin'], UPSERT, { input: { sku: 'HAM-1', name: 'Their hammer' } })).data.upsertItem.item;
    expect(theirs.id).not.toBe(mine);
    expect((await admin(`{ item(sku: "HAM-1") { name } }`)).data.item.name).toBe('Claw Hammer');
  });
});

describe('query cost', () => {
  it('refuses an operation estimated over the limit with QUERY_TOO_COMPLEX, before any subgraph runs it', async () => {
    const heavy = `{ items(first: 250) { nodes { sku movements(first: 250) { nodes { id onHandDelta } } } } }`;
    const response = await admin(heavy);
    expect(response.errors?.[0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', maxCost: 10_000 });
    expect(response.errors?.[0].extensions?.cost).toBeGreaterThan(10_000);
    expect(response.data).toBeUndefined();
  });

  it('counts `first` from variables, and lets ordinary pages through', async () => {
    const query = `query($n: Int) { items(first: $n) { totalCount nodes { sku name category { name } stockLevels { onHand location { code } } } } }`;
    expect((await admin(query, { n: 50 })).errors).toBeUndefined();
    expect((await admin(`query($n: Int) { items(first: 250) { nodes { movements(first: $n) { nodes { id } } } } }`, { n: 250 })).errors?.[0].extensions?.code).toBe('QUERY_TOO_COMPLEX');
  });
});

describe('health', () => {
  it('answers /healthz and /readyz with 200 when every subgraph is ready', async () => {
    expect((await fetch(`${platform.gatewayUrl}/healthz`)).status).toBe(200);
    const ready = await fetch(`${platform.gatewayUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(((await ready.json()) as { checks: Record<string, { ok: boolean }> }).checks.inventory.ok).toBe(true);
    expect((await fetch(`${platform.inventoryUrl}/readyz`)).status).toBe(200);
  });
});
