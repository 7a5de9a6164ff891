import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueTenant } from '@stockline/testkit';
import { reindexSearch } from '../../subgraphs/inventory/src/search/reindex-search.ts';
import { SearchDocumentsRepository } from '../../subgraphs/inventory/src/search/search-documents.repository.ts';
import { startTestPlatform, type TestPlatform } from '../support/test-platform.ts';

/*
 * searchItems through the gateway, on real PostgreSQL, over 10,000 generated items of one tenant
 * (and a few of another). The catalog is built so that the expected answers are known exactly.
 */

let platform: TestPlatform;
const tenant = uniqueTenant('search');
const other = uniqueTenant('search-other');
const as = (t: string, query: string, variables?: Record<string, unknown>) => platform.as(t, ['admin'], query, variables);

const SEARCH = `query($q: String!, $first: Int, $after: String, $filter: ItemFilter) {
  searchItems(query: $q, first: $first, after: $after, filter: $filter) {
    totalCount
    hits { score highlights item { id sku name category { id } } }
    categoryFacets { value label count }
    pageInfo { hasNextPage hasPreviousPage endCursor }
  }
}`;
const search = async (t: string, q: string, variables: Record<string, unknown> = {}) => {
  const response = await as(t, SEARCH, { q, ...variables });
  expect(response.errors).toBeUndefined();
  return response.data.searchItems as {
    totalCount: number;
    hits: { score: number; highlights: string[]; item: { id: string; sku: string; name: string; category: { id: string } | null } }[];
    categoryFacets: { value: string; label: string; count: number }[];
    pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null };
  };
};

const COLORS = ['Red', 'Green', 'Yellow', 'Black', 'White', 'Silver', 'Orange', 'Purple'];
const MATERIALS = ['Steel', 'Brass', 'Nylon', 'Copper', 'Oak'];
const NOUNS = ['Bolt', 'Hinge', 'Bracket', 'Cable', 'Lamp', 'Valve', 'Spring', 'Washer', 'Pulley', 'Clamp'];
const TOTAL = 10_000;

interface Generated {
  sku: string;
  name: string;
  description: string;
  category: number;
}

/** Item i of the generated catalog; the last few are the hand-made ones the ranking tests look for. */
function generated(i: number): Generated {
  const special: Record<number, [string, string]> = {
    0: ['WID-BLUE', 'Blue Widget'],
    1: ['WID-BLUE-STAND', 'Blue Widget Stand'],
    2: ['WID-COVER', 'Widget Cover Blue Large Edition'],
    3: ['BT-WID', 'Bluetooth Widget Hub'],
    4: ['GAD-1', 'Gadget'],
    5: ['GAD-2', 'Gadget Pro Max'],
    6: ['GAD-3', 'Pocket Gadget Holder'],
    7: ['ESC-1', '<b>Blue</b> & "Widget" Sampler'],
  };
  const s = special[i];
  if (s) return { sku: s[0], name: s[1], description: 'A hand-made search fixture', category: i % 8 };
  const name = `${COLORS[i % COLORS.length]} ${MATERIALS[Math.floor(i / 8) % MATERIALS.length]} ${NOUNS[Math.floor(i / 40) % NOUNS.length]}`;
  return { sku: `GEN-${String(i).padStart(5, '0')}`, name, description: `Generated part number ${i} for the ${NOUNS[i % NOUNS.length].toLowerCase()} range`, category: i % 8 };
}
const CATALOG = Array.from({ length: TOTAL }, (_, i) => generated(i));
const has = (g: Generated, ...words: string[]) => words.every((w) => `${g.name} ${g.description}`.toLowerCase().split(/[^a-z0-9]+/).includes(w));

let categoryIds: string[] = [];
let locationIds: string[] = [];
const itemIds = new Map<string, string>();
const inStockAtFirst = new Set<string>();

beforeAll(async () => {
  platform = await startTestPlatform();
  for (let c = 0; c < 8; c++) {
    const { data } = await as(tenant, `mutation($n: String!) { createCategory(name: $n) { category { id } } }`, { n: `Category ${c}` });
    categoryIds.push(data.createCategory.category.id);
  }
  for (const code of ['A', 'B']) {
    const { data } = await as(tenant, `mutation($c: String!) { createLocation(code: $c, name: $c) { location { id } } }`, { c: code });
    locationIds.push(data.createLocation.location.id);
  }
  // 10,000 items in one statement (the API would take minutes on a shared machine), then search
  // rebuilt from the database as `npm run reindex` does; later changes go through the API and the event log.
  const { rows } = await platform.inventory.pool.query<{ id: string; sku: string }>(
    `INSERT INTO inventory.items (tenant_id, sku, name, description, category_id)
     SELECT $1, u.sku, u.name, u.description, u.category_id FROM unnest($2::text[], $3::text[], $4::text[], $5::uuid[]) AS u(sku, name, description, category_id)
     RETURNING id, sku`,
    [tenant, CATALOG.map((g) => g.sku), CATALOG.map((g) => g.name), CATALOG.map((g) => g.description), CATALOG.map((g) => categoryIds[g.category])],
  );
  for (const row of rows) itemIds.set(row.sku, row.id);
  await reindexSearch({ documents: new SearchDocumentsRepository(platform.inventory.pool), index: null });
  // The other tenant: a Blue Widget of its own, in its own category.
  const { data: cat } = await as(other, `mutation { createCategory(name: "Elsewhere") { category { id } } }`);
  await as(other, `mutation($inputs: [UpsertItemInput!]!) { bulkUpsertItems(inputs: $inputs) { userErrors { code } } }`, {
    inputs: [1, 2, 3].map((n) => ({ sku: `OTHER-${n}`, name: `Blue Widget ${n}`, categoryId: cat.createCategory.category.id })),
  });
  // Every third generated item has stock at location A (the hand-made ones have none). Written as
  // levels directly, like the items: search reads stock_levels live, and 3,333 ledger events would
  // only queue the later tests' events behind them. Restocking below goes through the API.
  const stocked = CATALOG.filter((g, i) => i >= 8 && i % 3 === 0).map((g) => itemIds.get(g.sku)!);
  await platform.inventory.pool.query(
    `INSERT INTO inventory.stock_levels (tenant_id, item_id, location_id, on_hand) SELECT $1, id, $2, 5 FROM unnest($3::uuid[]) AS id`,
    [tenant, locationIds[0], stocked],
  );
  for (const id of stocked) inStockAtFirst.add(id);
  // The other tenant's items came through the API: its vocabulary follows from the event stream.
  await waitFor(async () => {
    const { rows: [{ n }] } = await platform.inventory.pool.query('SELECT count(*)::int AS n FROM inventory.outbox_events WHERE pos IS NULL');
    return n === 0 && platform.inventory.search.lag().every((c) => c.lag === 0);
  }, 60_000);
  await waitFor(async () => (await search(other, 'widgt')).totalCount === 3, 30_000);
}, 180_000);

afterAll(async () => {
  await platform?.stop();
});

/** Polls `check` every 100 ms until it holds, for at most `ms` (the 2-second freshness promise). */
async function waitFor(check: () => Promise<boolean>, ms = 2_000): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    if (await check()) return;
    if (Date.now() > until) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('ranking', () => {
  it('finds "Blue Widget" first for the typo "widgt blu"', async () => {
    const result = await search(tenant, 'widgt blu');
    expect(result.hits[0].item.name).toBe('Blue Widget');
    expect(result.hits[0].highlights).toContain('<em>Blue</em> <em>Widget</em>');
  });

  it('matches a prefix as typed: "gadg" finds the Gadget items, "Gadget" first', async () => {
    const result = await search(tenant, 'gadg');
    expect(result.totalCount).toBe(3);
    expect(result.hits[0].item.name).toBe('Gadget');
    expect(result.hits.map((h) => h.item.sku).sort()).toEqual(['GAD-1', 'GAD-2', 'GAD-3']);
  });

  it('ranks items matching all words above items matching some', async () => {
    const all = CATALOG.filter((g) => has(g, 'purple', 'brass', 'valve')).length;
    const some = CATALOG.filter((g) => has(g, 'purple') || has(g, 'brass') || has(g, 'valve')).length;
    expect(all).toBeGreaterThan(0);
    const hits: { item: { sku: string } }[] = [];
    let after: string | null = null;
    while (hits.length <= all) {
      const page = await search(tenant, 'purple brass valve', { first: 100, after });
      expect(page.totalCount).toBe(some);
      hits.push(...page.hits);
      after = page.pageInfo.endCursor;
    }
    const matchesAll = hits.map((h) => has(CATALOG.find((g) => g.sku === h.item.sku)!, 'purple', 'brass', 'valve'));
    expect(matchesAll.indexOf(false)).toBe(all);
  });

  it('puts the item whose sku is the query first, whatever its case', async () => {
    for (const q of ['GEN-04242', 'gen-04242']) {
      const result = await search(tenant, q);
      expect(result.hits[0].item.sku).toBe('GEN-04242');
      expect(result.hits[0].highlights[0]).toBe('<em>GEN-04242</em>');
    }
    const blue = await search(tenant, 'WID-BLUE');
    expect(blue.hits[0].item.sku).toBe('WID-BLUE');
  });

  it('HTML-escapes highlights around the <em> marks', async () => {
    const result = await search(tenant, 'sampler');
    expect(result.hits[0].item.sku).toBe('ESC-1');
    expect(result.hits[0].highlights).toContain('&lt;b&gt;Blue&lt;/b&gt; &amp; &quot;Widget&quot; <em>Sampler</em>');
  });
});

describe('facets, filters and paging', () => {
  it('counts matching items per category, and the counts add up to totalCount', async () => {
    const matching = CATALOG.filter((g) => has(g, 'lamp'));
    const result = await search(tenant, 'lamp', { first: 5 });
    expect(result.totalCount).toBe(matching.length);
    const expected = new Map<string, number>();
    for (const g of matching) expected.set(categoryIds[g.category], (expected.get(categoryIds[g.category]) ?? 0) + 1);
    expect(new Map(result.categoryFacets.map((f) => [f.value, f.count]))).toEqual(expected);
    expect(result.categoryFacets.every((f) => /^Category \d$/.test(f.label))).toBe(true);
  });

  it('combines category, location and stock filters; facets still count the other categories', async () => {
    const filter = { categoryId: categoryIds[3], locationId: locationIds[0], inStock: true };
    const expected = CATALOG.filter((g) => has(g, 'lamp') && g.category === 3 && inStockAtFirst.has(itemIds.get(g.sku)!));
    expect(expected.length).toBeGreaterThan(0);
    const result = await search(tenant, 'lamp', { filter, first: 100 });
    expect(result.totalCount).toBe(expected.length);
    expect(result.hits.map((h) => h.item.sku).sort()).toEqual(expected.map((g) => g.sku).sort());
    expect(result.categoryFacets.find((f) => f.value === categoryIds[3])?.count).toBe(expected.length);
    expect(result.categoryFacets.length).toBeGreaterThan(1);

    const none = await search(tenant, 'lamp', { filter: { ...filter, locationId: locationIds[1] } });
    expect(none.totalCount).toBe(0);
    const outOfStock = await search(tenant, 'lamp', { filter: { categoryId: categoryIds[3], inStock: false } });
    expect(outOfStock.totalCount).toBe(CATALOG.filter((g) => has(g, 'lamp') && g.category === 3).length - expected.length);
  });

  it('finds items below their reorder point', async () => {
    const sku = CATALOG.find((g, i) => i % 3 === 0 && i >= 8 && has(g, 'pulley'))!.sku;
    const set = await as(tenant, `mutation($i: ID!, $l: ID!) { setReorderPoint(itemId: $i, locationId: $l, reorderPoint: 10) { userErrors { code } } }`, { i: itemIds.get(sku), l: locationIds[0] });
    expect(set.data.setReorderPoint.userErrors).toEqual([]);
    const result = await search(tenant, 'pulley', { filter: { belowReorderPoint: true } });
    expect(result.hits.map((h) => h.item.sku)).toEqual([sku]);
  });

  it('pages through every hit with stable cursors, no repeat and no gap', async () => {
    const expected = CATALOG.filter((g) => has(g, 'steel') && g.category === 5).length;
    expect(expected).toBeGreaterThan(200);
    const seen = new Set<string>();
    let after: string | null = null;
    let pages = 0;
    let lastScore = Infinity;
    for (;;) {
      const page = await search(tenant, 'steel', { first: 100, after, filter: { categoryId: categoryIds[5] } });
      expect(page.totalCount).toBe(expected);
      for (const hit of page.hits) {
        expect(seen.has(hit.item.id)).toBe(false);
        expect(hit.score).toBeLessThanOrEqual(lastScore);
        lastScore = hit.score;
        seen.add(hit.item.id);
      }
      pages++;
      if (!page.pageInfo.hasNextPage) break;
      expect(page.pageInfo.hasPreviousPage).toBe(pages > 1);
      after = page.pageInfo.endCursor;
    }
    expect(seen.size).toBe(expected);
    expect(pages).toBe(Math.ceil(expected / 100));
  });
});

describe('freshness', () => {
  it('finds a renamed item under its new name (and a typo of it) within 2 s', async () => {
    const renamed = await as(tenant, `mutation($c: ID) { upsertItem(input: { sku: "WID-BLUE-STAND", name: "Zephyr Lantern", categoryId: $c }) { userErrors { code } } }`, { c: categoryIds[1] });
    expect(renamed.data.upsertItem.userErrors).toEqual([]);
    await waitFor(async () => (await search(tenant, 'zephyr lantern')).hits[0]?.item.sku === 'WID-BLUE-STAND');
    // Typos of new words need the vocabulary, which the indexer updates from the event stream.
    await waitFor(async () => (await search(tenant, 'zephr lantrn')).hits[0]?.item.sku === 'WID-BLUE-STAND', 30_000);
    expect((await search(tenant, 'zephyr lantern')).hits[0].highlights).toContain('<em>Zephyr</em> <em>Lantern</em>');
  });

  it('drops an archived item', async () => {
    expect((await search(tenant, 'GAD-3')).hits[0].item.sku).toBe('GAD-3');
    const archived = await as(tenant, `mutation($id: ID!) { archiveItem(id: $id) { userErrors { code } } }`, { id: itemIds.get('GAD-3') });
    expect(archived.data.archiveItem.userErrors).toEqual([]);
    await waitFor(async () => !(await search(tenant, 'gadget')).hits.some((h) => h.item.sku === 'GAD-3'));
    expect((await search(tenant, 'GAD-3')).hits.some((h) => h.item.sku === 'GAD-3')).toBe(false);
  });

  it('shows a restocked item again under inStock: true', async () => {
    const inStock = { filter: { inStock: true } };
    expect((await search(tenant, 'gadget', inStock)).totalCount).toBe(0);
    const adjusted = await as(tenant, `mutation($i: ID!, $l: ID!) { adjustStock(input: { itemId: $i, locationId: $l, delta: 4, reason: RECEIVED }) { userErrors { code } } }`, { i: itemIds.get('GAD-1'), l: locationIds[1] });
    expect(adjusted.data.adjustStock.userErrors).toEqual([]);
    await waitFor(async () => (await search(tenant, 'gadget', inStock)).hits.map((h) => h.item.sku).join() === 'GAD-1');
  });
});

describe('tenant isolation', () => {
  it('never returns, counts or facets another tenant\'s items', async () => {
    const mine = await search(tenant, 'blue widget', { first: 100 });
    expect(mine.hits.every((h) => !h.item.sku.startsWith('OTHER-'))).toBe(true);
    expect(mine.categoryFacets.every((f) => categoryIds.includes(f.value))).toBe(true);
    expect(mine.categoryFacets.reduce((n, f) => n + f.count, 0)).toBe(mine.totalCount);

    const theirs = await search(other, 'blue widget');
    expect(theirs.totalCount).toBe(3);
    expect(theirs.hits.map((h) => h.item.sku).sort()).toEqual(['OTHER-1', 'OTHER-2', 'OTHER-3']);
    expect(theirs.categoryFacets).toEqual([{ value: expect.any(String), label: 'Elsewhere', count: 3 }]);
    expect((await search(other, 'GEN-04242')).totalCount).toBe(0);
    expect((await search(other, 'lamp')).totalCount).toBe(0);
  });
});

describe('hostile input', () => {
  it('answers an empty result for queries without letters or digits', async () => {
    for (const q of ['', '   ', '!!!', '%_%', '*:&|!()', "'\"", '\\\\']) {
      const result = await search(tenant, q);
      expect(result).toMatchObject({ totalCount: 0, hits: [], categoryFacets: [] });
    }
  });

  it('treats SQL, tsquery and regex metacharacters and unmatched quotes as plain words', async () => {
    const queries = ["'; DROP TABLE inventory.items; --", "lamp' OR 1=1 --", '.*(a|b)+$', '[unclosed', 'lamp:* & !valve', '"unmatched lamp', "o'brien", '$1 $2 ?', 'lamp\\', '<script>alert(1)</script>'];
    for (const q of queries) {
      const response = await as(tenant, SEARCH, { q });
      expect(response.status).toBe(200);
      expect(response.errors).toBeUndefined();
    }
    // Only the words count: the same words without the syntax find the same items.
    expect((await search(tenant, "lamp' OR 1=1 --")).totalCount).toBe((await search(tenant, 'lamp or 1')).totalCount);
    expect((await search(tenant, 'lamp:* & !valve')).totalCount).toBe((await search(tenant, 'lamp valve')).totalCount);
  });

  it('refuses a 10 KB query, NUL and bidi control characters with BAD_USER_INPUT', async () => {
    for (const q of ['x'.repeat(10_240), 'lamp\u0000', 'lamp\u202Epmal', 'a\u2066b', '\u0007']) {
      const response = await as(tenant, SEARCH, { q });
      expect(response.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(response.data?.searchItems ?? null).toBeNull();
    }
  });

  it('refuses a page size over 100 and a cursor it did not make with BAD_USER_INPUT', async () => {
    for (const variables of [{ first: 101 }, { first: -1 }, { after: 'bm90LWEtY3Vyc29y' }, { after: '%%%' }]) {
      const response = await as(tenant, SEARCH, { q: 'lamp', ...variables });
      expect(response.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    }
  });
});
