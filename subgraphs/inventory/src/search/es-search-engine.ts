import type { Client } from '@elastic/elasticsearch';
import { HIGHLIGHT_CLOSE, HIGHLIGHT_OPEN, escapeHtml } from './highlight.ts';
import type { EngineResult, SearchEngine, SearchFilter, SearchRequest } from './search-engine.ts';
import type { SearchDocument } from './search-documents.repository.ts';

/** Most categories one facet list returns. */
export const MAX_FACETS = 100;
const TEXT_FIELDS = ['sku.text^3', 'name^2', 'description'];
const PREFIX_FIELDS = ['name.suggest', 'name.suggest._2gram', 'name.suggest._3gram', 'sku.text'];

type Clause = Record<string, unknown>;

/**
 * Filters as ES clauses. The tenant term is the first of them and is put on every request (the
 * query, and again on the facet aggregation) by `searchBody`: no request leaves without it.
 */
export function filterClauses(tenantId: string, filter: SearchFilter): { filter: Clause[]; mustNot: Clause[]; category: Clause | null } {
  const out: Clause[] = [{ term: { tenantId } }];
  const mustNot: Clause[] = [];
  if (!filter.includeArchived) out.push({ term: { archived: false } });
  if (filter.skus) out.push({ terms: { sku: filter.skus } });
  const stock = (field: string, wanted: boolean) => {
    const clause = filter.locationId ? { term: { [field]: filter.locationId } } : { exists: { field } };
    (wanted ? out : mustNot).push(clause);
  };
  if (filter.inStock != null) stock('inStockLocations', filter.inStock);
  if (filter.belowReorderPoint != null) stock('lowStockLocations', filter.belowReorderPoint);
  if (filter.locationId && filter.inStock == null && filter.belowReorderPoint == null) out.push({ term: { locationIds: filter.locationId } });
  return { filter: out, mustNot, category: filter.categoryId ? { term: { categoryId: filter.categoryId } } : null };
}

/**
 * The search request: exact sku (boosted to the top), all words with typos, any word with typos,
 * and prefixes as typed (search_as_you_type); tenant and filters as non-scoring filters; the
 * category filter as a post_filter so the category facets keep counting the other categories;
 * sorted by score then id, paged with search_after.
 */
export function searchBody({ tenantId, query, filter, first, after }: SearchRequest) {
  const text = query.words.join(' ');
  const { filter: filters, mustNot, category } = filterClauses(tenantId, filter);
  return {
    size: first + 1,
    track_total_hits: true,
    query: {
      bool: {
        filter: filters,
        must_not: mustNot,
        should: [
          { term: { 'sku.lower': { value: query.text.toLowerCase(), boost: 1000 } } },
          { multi_match: { query: text, fields: TEXT_FIELDS, fuzziness: 'AUTO', operator: 'and', boost: 3 } },
          { multi_match: { query: text, fields: TEXT_FIELDS, fuzziness: 'AUTO', operator: 'or' } },
          { multi_match: { query: text, type: 'bool_prefix', fields: PREFIX_FIELDS, operator: 'and', boost: 2 } },
        ],
        minimum_should_match: 1,
      },
    },
    ...(category ? { post_filter: { bool: { filter: [{ term: { tenantId } }, category] } } } : {}),
    aggs: {
      tenant: {
        filter: { term: { tenantId } },
        aggs: { categories: { terms: { field: 'categoryId', size: MAX_FACETS } } },
      },
    },
    sort: [{ _score: { order: 'desc' } }, { itemId: { order: 'asc' } }],
    ...(after ? { search_after: [after.score, after.id] } : {}),
    highlight: {
      encoder: 'html',
      pre_tags: [HIGHLIGHT_OPEN],
      post_tags: [HIGHLIGHT_CLOSE],
      fields: { name: { number_of_fragments: 0 }, 'name.suggest': { number_of_fragments: 0 }, description: { fragment_size: 120, number_of_fragments: 1 } },
    },
    _source: ['itemId', 'sku'],
  };
}

/** Search on Elasticsearch, through the alias (see EsItemIndex). Items are then read from PostgreSQL by id. */
export class EsSearchEngine implements SearchEngine {
  readonly name = 'elasticsearch';

  constructor(
    private readonly client: Client,
    private readonly alias: string,
  ) {}

  async search(request: SearchRequest): Promise<EngineResult> {
    const response = await this.client.search<Pick<SearchDocument, 'itemId' | 'sku'>>({ index: this.alias, ...searchBody(request) } as never);
    const hits = response.hits.hits;
    const total = response.hits.total;
    const buckets = (response.aggregations as { tenant?: { categories?: { buckets?: { key: string; doc_count: number }[] } } } | undefined)?.tenant?.categories?.buckets ?? [];
    return {
      totalCount: typeof total === 'number' ? total : (total?.value ?? 0),
      hasNextPage: hits.length > request.first,
      categoryCounts: buckets.map((b) => ({ categoryId: String(b.key), count: b.doc_count })),
      hits: hits.slice(0, request.first).map((hit) => {
        const source = hit._source!;
        const fragments = hit.highlight ?? {};
        const highlights = [
          ...(source.sku.toLowerCase() === request.query.text.toLowerCase() ? [HIGHLIGHT_OPEN + escapeHtml(source.sku) + HIGHLIGHT_CLOSE] : []),
          ...(fragments.name ?? fragments['name.suggest'] ?? []),
          ...(fragments.description ?? []),
        ];
        return { itemId: source.itemId, score: Number(hit.sort?.[0] ?? hit._score ?? 0), highlights };
      }),
    };
  }
}
