import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Client, errors } from '@elastic/elasticsearch';
import { createRequire } from 'node:module';
import { createPool, runMigrations, type Pool } from '@stockline/db';
import { Topic, type DomainEvent } from '@stockline/events';
import { createTestDatabase, type TestDatabase } from '@stockline/testkit';
import { EsItemIndex } from '../../src/search/es-item-index.ts';
import { ELASTICSEARCH_CONSUMER, createEsIndexer } from '../../src/search/es-indexer.ts';
import { EsSearchEngine } from '../../src/search/es-search-engine.ts';
import { parseSearchQuery } from '../../src/search/parse-search-query.ts';
import { reindexSearch } from '../../src/search/reindex-search.ts';
import { SearchDocumentsRepository } from '../../src/search/search-documents.repository.ts';
import type { SearchRequest } from '../../src/search/search-engine.ts';

/*
 * No Elasticsearch server runs here: these tests intercept the client at the transport level
 * (@elastic/elasticsearch-mock) and check what would go over the wire, and how answers are read.
 * The documents come from real PostgreSQL.
 */

interface Call {
  method: string;
  path: string;
  body: any;
  querystring: Record<string, unknown>;
}

const ALIAS = 'stockline-items-test';
// The mock is CommonJS (`module.exports = class`); its typings declare a default export.
interface ClientMock {
  add(pattern: { method: string | string[]; path: string | string[] }, resolver: (params: Call) => unknown): void;
  getConnection(): any;
}
const Mock = createRequire(import.meta.url)('@elastic/elasticsearch-mock') as new () => ClientMock;
let mock: ClientMock;
let client: Client;
let calls: Call[];

function record(response: unknown | ((call: Call) => unknown)) {
  return (params: Call) => {
    calls.push({ method: params.method, path: params.path, body: params.body, querystring: params.querystring });
    return typeof response === 'function' ? (response as (c: Call) => unknown)(params) : response;
  };
}

beforeEach(() => {
  mock = new Mock();
  client = new Client({ node: 'http://127.0.0.1:9200', Connection: mock.getConnection() });
  calls = [];
});

const request = (over: Partial<SearchRequest> = {}): SearchRequest => ({
  tenantId: 't-one',
  query: parseSearchQuery('widgt blu'),
  filter: {},
  first: 20,
  after: null,
  ...over,
});

const SEARCH_RESPONSE = {
  took: 1,
  timed_out: false,
  _shards: { total: 1, successful: 1, skipped: 0, failed: 0 },
  hits: {
    total: { value: 2, relation: 'eq' },
    max_score: 9.5,
    hits: [
      { _index: 'x', _id: 'a', _score: 9.5, sort: [9.5, 'a'], _source: { itemId: 'a', sku: 'WID-BLUE' }, highlight: { name: ['<em>Blue</em> <em>Widget</em>'] } },
      { _index: 'x', _id: 'b', _score: 3.25, sort: [3.25, 'b'], _source: { itemId: 'b', sku: 'WID-2' }, highlight: { description: ['a &lt;b&gt; <em>blue</em> one'] } },
    ],
  },
  aggregations: { tenant: { doc_count: 2, categories: { buckets: [{ key: 'cat-1', doc_count: 2 }] } } },
};

describe('EsSearchEngine', () => {
  it('puts the tenant filter on the query, the post_filter and the facet aggregation', async () => {
    mock.add({ method: 'POST', path: `/${ALIAS}/_search` }, record(SEARCH_RESPONSE));
    const engine = new EsSearchEngine(client, ALIAS);
    await engine.search(request({ filter: { categoryId: 'cat-1', locationId: 'loc-1', inStock: true } }));
    await engine.search(request({ filter: { belowReorderPoint: false } }));
    expect(calls).toHaveLength(2);
    for (const { body } of calls) {
      expect(body.query.bool.filter[0]).toEqual({ term: { tenantId: 't-one' } });
      expect(body.aggs.tenant.filter).toEqual({ term: { tenantId: 't-one' } });
      expect(body.aggs.tenant.aggs.categories.terms.field).toBe('categoryId');
      if (body.post_filter) expect(body.post_filter.bool.filter).toContainEqual({ term: { tenantId: 't-one' } });
    }
    const [filtered, unfiltered] = calls.map((c) => c.body);
    expect(filtered.query.bool.filter).toContainEqual({ term: { inStockLocations: 'loc-1' } });
    expect(filtered.query.bool.filter).toContainEqual({ term: { archived: false } });
    expect(filtered.post_filter.bool.filter).toContainEqual({ term: { categoryId: 'cat-1' } });
    expect(unfiltered.post_filter).toBeUndefined();
    expect(unfiltered.query.bool.must_not).toEqual([{ exists: { field: 'lowStockLocations' } }]);
  });

  it('asks for typos (fuzziness AUTO), prefixes (search_as_you_type), the exact sku, and html-encoded highlights', async () => {
    mock.add({ method: 'POST', path: `/${ALIAS}/_search` }, record(SEARCH_RESPONSE));
    await new EsSearchEngine(client, ALIAS).search(request({ query: parseSearchQuery('WID-Blue') }));
    const { body } = calls[0];
    const should = body.query.bool.should;
    expect(should[0]).toEqual({ term: { 'sku.lower': { value: 'wid-blue', boost: 1000 } } });
    expect(should.filter((c: any) => c.multi_match?.fuzziness === 'AUTO').map((c: any) => c.multi_match.operator)).toEqual(['and', 'or']);
    expect(should.find((c: any) => c.multi_match?.type === 'bool_prefix').multi_match.fields).toContain('name.suggest._2gram');
    expect(body.query.bool.minimum_should_match).toBe(1);
    expect(body.highlight).toMatchObject({ encoder: 'html', pre_tags: ['<em>'], post_tags: ['</em>'] });
    expect(body.sort).toEqual([{ _score: { order: 'desc' } }, { itemId: { order: 'asc' } }]);
    expect(body.track_total_hits).toBe(true);
  });

  it('reads hits, total, facets and highlights, and pages with search_after', async () => {
    mock.add({ method: 'POST', path: `/${ALIAS}/_search` }, record(SEARCH_RESPONSE));
    const engine = new EsSearchEngine(client, ALIAS);
    const result = await engine.search(request({ first: 1, query: parseSearchQuery('wid-blue') }));
    expect(result).toEqual({
      totalCount: 2,
      hasNextPage: true,
      categoryCounts: [{ categoryId: 'cat-1', count: 2 }],
      hits: [{ itemId: 'a', score: 9.5, highlights: ['<em>WID-BLUE</em>', '<em>Blue</em> <em>Widget</em>'] }],
    });
    expect(calls[0].body.size).toBe(2);
    await engine.search(request({ after: { score: 9.5, id: 'a' } }));
    expect(calls[1].body.search_after).toEqual([9.5, 'a']);
  });
});

describe('EsItemIndex', () => {
  it('creates the first index with explicit, strict mappings behind the alias', async () => {
    mock.add({ method: 'HEAD', path: `/_alias/${ALIAS}` }, record(() => new errors.ResponseError({ statusCode: 404, body: '', headers: {}, warnings: null, meta: {} as never })));
    mock.add({ method: 'PUT', path: '/:index' }, record({ acknowledged: true }));
    expect(await new EsItemIndex(client, ALIAS).ensure()).toBe(true);
    const create = calls.find((c) => c.method === 'PUT')!;
    expect(create.path).toMatch(new RegExp(`^/${ALIAS}-\\d+$`));
    expect(create.body.aliases).toEqual({ [ALIAS]: { is_write_index: true } });
    const { mappings } = create.body;
    expect(mappings.dynamic).toBe('strict');
    expect(mappings.properties.tenantId).toEqual({ type: 'keyword' });
    expect(mappings.properties.categoryId).toEqual({ type: 'keyword' });
    expect(mappings.properties.inStockLocations).toEqual({ type: 'keyword' });
    expect(mappings.properties.name.fields.suggest.type).toBe('search_as_you_type');
    expect(mappings.properties.sku.fields.lower).toMatchObject({ type: 'keyword', normalizer: 'sku_lower' });
  });

  it('leaves an existing alias alone', async () => {
    mock.add({ method: 'HEAD', path: `/_alias/${ALIAS}` }, record(''));
    expect(await new EsItemIndex(client, ALIAS).ensure()).toBe(false);
    expect(calls.map((c) => c.method)).toEqual(['HEAD']);
  });

  it('accepts version conflicts in a bulk response (an older write) and throws on other failures', async () => {
    let failure = false;
    mock.add({ method: 'POST', path: '/_bulk' }, record(() => ({
      took: 1,
      errors: true,
      items: [
        { index: { _index: ALIAS, _id: 'a', status: 409, error: { type: 'version_conflict_engine_exception' } } },
        ...(failure ? [{ index: { _index: ALIAS, _id: 'b', status: 400, error: { type: 'mapper_parsing_exception' } } }] : []),
      ],
    })));
    const index = new EsItemIndex(client, ALIAS);
    const doc = { itemId: 'a', tenantId: 't', sku: 'A', name: 'A', description: null, categoryId: null, archived: false, locationIds: [], inStockLocations: [], lowStockLocations: [], updatedAt: new Date(0).toISOString() };
    await index.bulkIndex([{ doc, version: 3 }]);
    failure = true;
    await expect(index.bulkIndex([{ doc, version: 3 }])).rejects.toThrow(/refused 1 document/);
  });
});

describe('indexing from the database and the event stream', () => {
  let database: TestDatabase;
  let pool: Pool;
  let documents: SearchDocumentsRepository;
  const ids = { category: '', locationA: '', locationB: '', item: '', archived: '' };

  beforeAll(async () => {
    database = await createTestDatabase('search_es');
    pool = createPool({ url: database.url, applicationName: 'search-es-test' });
    await runMigrations({ pool, schema: 'inventory', dir: fileURLToPath(new URL('../../prisma/migrations', import.meta.url)) });
    const one = async (sql: string, values: unknown[] = []) => (await pool.query(sql, values)).rows[0].id as string;
    ids.category = await one(`INSERT INTO inventory.categories (tenant_id, name) VALUES ('t-one', 'Widgets') RETURNING id`);
    ids.locationA = await one(`INSERT INTO inventory.locations (tenant_id, code, name) VALUES ('t-one', 'A', 'A') RETURNING id`);
    ids.locationB = await one(`INSERT INTO inventory.locations (tenant_id, code, name) VALUES ('t-one', 'B', 'B') RETURNING id`);
    ids.item = await one(`INSERT INTO inventory.items (tenant_id, sku, name, description, category_id) VALUES ('t-one', 'WID-BLUE', 'Blue Widget', 'A small one', $1) RETURNING id`, [ids.category]);
    ids.archived = await one(`INSERT INTO inventory.items (tenant_id, sku, name, archived_at) VALUES ('t-two', 'OLD-1', 'Old Widget', now()) RETURNING id`);
    await pool.query(
      `INSERT INTO inventory.stock_levels (tenant_id, item_id, location_id, on_hand, reserved, reorder_point) VALUES
       ('t-one', $1, $2, 5, 1, 10), ('t-one', $1, $3, 2, 2, NULL)`,
      [ids.item, ids.locationA, ids.locationB],
    );
    documents = new SearchDocumentsRepository(pool);
  });
  afterAll(async () => {
    await pool?.end();
    await database?.drop();
  });

  const event = (pos: number, type: Topic, itemId: string): DomainEvent => ({
    id: `e${pos}`, stream: 'inventory', tenantId: 't-one', seq: pos, pos, type, occurredAt: new Date().toISOString(), payload: { itemId },
  });

  it('bulk-indexes the current document of each touched item, versioned by its newest event position', async () => {
    mock.add({ method: 'POST', path: '/_bulk' }, record((c: Call) => ({ took: 1, errors: false, items: c.body.filter((_: unknown, i: number) => i % 2 === 0).map(() => ({ index: { status: 201 } })) })));
    const indexer = createEsIndexer(documents, new EsItemIndex(client, ALIAS));
    await indexer.handle([event(7, Topic.ItemChanged, ids.item), event(8, Topic.StockChanged, ids.item), event(9, Topic.ItemChanged, ids.archived)]);
    expect(calls).toHaveLength(1);
    const lines = calls[0].body;
    expect(lines).toHaveLength(4);
    const pairs = new Map([0, 2].map((i) => [lines[i].index._id, { action: lines[i], doc: lines[i + 1] }]));
    expect(pairs.get(ids.item)!.action).toEqual({ index: { _index: ALIAS, _id: ids.item, version: 8, version_type: 'external_gte' } });
    expect(pairs.get(ids.item)!.doc).toMatchObject({
      itemId: ids.item,
      tenantId: 't-one',
      sku: 'WID-BLUE',
      name: 'Blue Widget',
      categoryId: ids.category,
      archived: false,
      locationIds: [ids.locationA, ids.locationB].sort(),
      inStockLocations: [ids.locationA],
      lowStockLocations: [ids.locationA],
    });
    expect(pairs.get(ids.archived)!.action).toEqual({ index: { _index: ALIAS, _id: ids.archived, version: 9, version_type: 'external_gte' } });
    expect(pairs.get(ids.archived)!.doc).toMatchObject({ tenantId: 't-two', archived: true, locationIds: [] });
  });

  it('ignores events that name no item', async () => {
    const indexer = createEsIndexer(documents, new EsItemIndex(client, ALIAS));
    await indexer.handle([{ ...event(10, Topic.OrderStatusChanged, ids.item) }, { ...event(11, Topic.ItemChanged, ids.item), payload: {} }]);
    expect(calls).toHaveLength(0);
  });

  it('keeps its checkpoint in the database, moving forward only', async () => {
    const { checkpoint } = createEsIndexer(documents, new EsItemIndex(client, ALIAS));
    expect(await checkpoint.load()).toBe(0);
    await checkpoint.save(12);
    await checkpoint.save(5);
    expect(await checkpoint.load()).toBe(12);
  });

  it('reindexes into a new index and swaps the alias in one atomic call, then deletes the old index', async () => {
    await pool.query('UPDATE inventory.stream_state SET last_pos = 40');
    mock.add({ method: 'PUT', path: '/:index' }, record({ acknowledged: true }));
    mock.add({ method: 'POST', path: '/_bulk' }, record({ took: 1, errors: false, items: [] }));
    mock.add({ method: ['GET', 'POST'], path: '/:index/_refresh' }, record({ _shards: { total: 1, successful: 1, failed: 0 } }));
    mock.add({ method: 'HEAD', path: `/_alias/${ALIAS}` }, record(''));
    mock.add({ method: 'GET', path: `/_alias/${ALIAS}` }, record({ [`${ALIAS}-1`]: { aliases: { [ALIAS]: {} } } }));
    mock.add({ method: 'POST', path: '/_aliases' }, record({ acknowledged: true }));
    mock.add({ method: 'DELETE', path: '/:index' }, record({ acknowledged: true }));

    const result = await reindexSearch({ documents, index: new EsItemIndex(client, ALIAS) });
    expect(result).toMatchObject({ head: 40, indexed: 2 });
    const created = calls.find((c) => c.method === 'PUT')!.path.slice(1);
    expect(created).toBe(result.indexName);
    expect(calls.find((c) => c.method === 'PUT')!.body.aliases).toBeUndefined();
    const bulk = calls.find((c) => c.path === '/_bulk')!.body;
    expect(bulk.filter((_: unknown, i: number) => i % 2 === 0)).toEqual(
      [ids.item, ids.archived].sort().map((id) => ({ index: { _index: created, _id: id, version: 40, version_type: 'external_gte' } })),
    );
    const swap = calls.find((c) => c.path === '/_aliases')!;
    expect(swap.body.actions).toEqual([{ remove: { index: `${ALIAS}-1`, alias: ALIAS } }, { add: { index: created, alias: ALIAS, is_write_index: true } }]);
    const order = calls.map((c) => `${c.method} ${c.path}`);
    expect(order.indexOf('POST /_aliases')).toBeGreaterThan(order.findIndex((c) => c.endsWith(`/${created}/_refresh`)));
    expect(order.at(-1)).toBe(`DELETE /${ALIAS}-1`);
    // What changed while the rebuild ran is replayed: the checkpoint goes back to where it started.
    expect(await documents.loadCheckpoint(ELASTICSEARCH_CONSUMER)).toBe(40);
    const { rows } = await pool.query(`SELECT word FROM inventory.search_lexicon WHERE tenant_id = 't-one' ORDER BY word`);
    expect(rows.map((r) => r.word)).toEqual(['blue', 'one', 'small', 'widget']);
  });
});
