import { encodeCursor, decodeCursor, isUuid, pageSize, type Actor } from '@stockline/service';
import type { ItemRecord } from '../domain/records.ts';
import { parseSearchQuery } from './parse-search-query.ts';
import type { SearchEngine, SearchFilter, SearchPosition } from './search-engine.ts';
import type { SearchItemsRepository } from './search-items.repository.ts';

/** Most hits one page returns. */
export const MAX_SEARCH_PAGE = 100;
export const DEFAULT_SEARCH_PAGE = 20;
const NO_ID = '00000000-0000-0000-0000-000000000000';

export interface SearchItemsArgs {
  query: string;
  first?: number | null;
  after?: string | null;
  filter?: SearchFilter | null;
}

export interface ItemSearchResult {
  hits: { item: ItemRecord; score: number; highlights: string[] }[];
  totalCount: number;
  categoryFacets: { value: string; label: string; count: number }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

const isPosition = (v: unknown): v is SearchPosition =>
  typeof (v as SearchPosition)?.score === 'number' && Number.isFinite((v as SearchPosition).score) && isUuid((v as SearchPosition).id);

const EMPTY: ItemSearchResult = {
  hits: [],
  totalCount: 0,
  categoryFacets: [],
  pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
};

/**
 * searchItems: checks the arguments (BAD_USER_INPUT for a hostile query, a bad page size or a
 * cursor it did not make), asks the configured engine for one tenant's page, and labels the facets.
 * A query without letters or digits matches nothing.
 */
export class SearchService {
  constructor(
    private readonly engine: SearchEngine,
    private readonly catalog: SearchItemsRepository,
  ) {}

  async searchItems(actor: Actor, { query, first, after, filter }: SearchItemsArgs): Promise<ItemSearchResult> {
    const parsed = parseSearchQuery(query);
    const limit = pageSize(first, MAX_SEARCH_PAGE, DEFAULT_SEARCH_PAGE);
    const position = decodeCursor(after, isPosition);
    if (parsed.words.length === 0) return { ...EMPTY, pageInfo: { ...EMPTY.pageInfo, hasPreviousPage: position !== null } };
    const result = await this.engine.search({ tenantId: actor.tenantId, query: parsed, filter: sanitize(filter ?? {}), first: limit, after: position });
    const [items, names] = await Promise.all([
      this.itemsOf(actor, result.hits),
      this.catalog.categoryNames({ tenantId: actor.tenantId, ids: result.categoryCounts.map((f) => f.categoryId) }),
    ]);
    const hits = result.hits.flatMap((hit) => {
      const item = items.get(hit.itemId);
      return item ? [{ item, score: hit.score, highlights: hit.highlights, cursor: encodeCursor({ score: hit.score, id: hit.itemId }) }] : [];
    });
    return {
      hits,
      totalCount: result.totalCount,
      categoryFacets: result.categoryCounts.flatMap((f) => (names.has(f.categoryId) ? [{ value: f.categoryId, label: names.get(f.categoryId)!, count: f.count }] : [])),
      pageInfo: {
        hasNextPage: result.hasNextPage,
        hasPreviousPage: position !== null,
        startCursor: hits[0]?.cursor ?? null,
        endCursor: hits.at(-1)?.cursor ?? null,
      },
    };
  }

  /** Items the engine returned whole, and the others read from the database (tenant-scoped). */
  private async itemsOf(actor: Actor, hits: { itemId: string; item?: ItemRecord }[]): Promise<Map<string, ItemRecord>> {
    const out = new Map(hits.flatMap((h) => (h.item ? [[h.itemId, h.item] as const] : [])));
    const missing = hits.filter((h) => !h.item).map((h) => h.itemId);
    for (const item of await this.catalog.findItemsByIds({ tenantId: actor.tenantId, ids: missing })) out.set(item.id, item);
    return out;
  }
}

/** Ids that are not uuids can name nothing: they match nothing instead of failing a cast. */
function sanitize(filter: SearchFilter): SearchFilter {
  return {
    ...filter,
    categoryId: filter.categoryId && !isUuid(filter.categoryId) ? NO_ID : filter.categoryId,
    locationId: filter.locationId && !isUuid(filter.locationId) ? NO_ID : filter.locationId,
  };
}
