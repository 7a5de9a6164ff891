import type { ItemRecord } from '../domain/records.ts';
import type { ParsedQuery } from './parse-search-query.ts';

/** Where a hit sits in the ranked order: its score and id (ties broken by id). Opaque to clients. */
export interface SearchPosition {
  score: number;
  id: string;
}

/** The contract's ItemFilter. */
export interface SearchFilter {
  categoryId?: string | null;
  locationId?: string | null;
  inStock?: boolean | null;
  belowReorderPoint?: boolean | null;
  skus?: string[] | null;
  includeArchived?: boolean | null;
}

export interface SearchRequest {
  tenantId: string;
  query: ParsedQuery;
  /** categoryId/locationId already known to be uuids or null. */
  filter: SearchFilter;
  first: number;
  after: SearchPosition | null;
}

export interface EngineHit {
  itemId: string;
  /** Present when the engine read the item along with the hit (PostgreSQL); loaded by id otherwise. */
  item?: ItemRecord;
  score: number;
  /** HTML-escaped fragments with `<em>` around matches. */
  highlights: string[];
}

export interface EngineResult {
  hits: EngineHit[];
  hasNextPage: boolean;
  totalCount: number;
  /** Matching items per category id (all filters applied except the category one). */
  categoryCounts: { categoryId: string; count: number }[];
}

/**
 * The search port: one ranked, filtered, paginated, faceted query over one tenant's items.
 * Implementations: PgSearchEngine (default) and EsSearchEngine (when ELASTICSEARCH_URL is set).
 */
export interface SearchEngine {
  readonly name: 'postgres' | 'elasticsearch';
  search(request: SearchRequest): Promise<EngineResult>;
}
