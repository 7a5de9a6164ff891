import type { estypes } from '@elastic/elasticsearch';

/**
 * Settings and explicit mappings of the items index (dynamic: strict, so a field typo fails loudly).
 * - `tenantId`, `categoryId`, the location lists, `archived`: keyword/boolean, for filters and facets.
 * - `sku`: keyword (exact), `.lower` (exact whatever the case), `.text` (its parts, for partial codes).
 * - `name.suggest`: search_as_you_type (edge shingles) for prefixes; `name`/`description`: text,
 *   matched with `fuzziness: AUTO` for typos.
 */
export const ITEM_INDEX_SETTINGS: estypes.IndicesIndexSettings = {
  number_of_shards: 1,
  analysis: {
    normalizer: { sku_lower: { type: 'custom', filter: ['lowercase', 'asciifolding'] } },
    analyzer: {
      folded: { type: 'custom', tokenizer: 'standard', filter: ['lowercase', 'asciifolding'] },
    },
  },
};

export const ITEM_INDEX_MAPPINGS: estypes.MappingTypeMapping = {
  dynamic: 'strict',
  properties: {
    tenantId: { type: 'keyword' },
    itemId: { type: 'keyword' },
    sku: {
      type: 'keyword',
      fields: { lower: { type: 'keyword', normalizer: 'sku_lower' }, text: { type: 'text', analyzer: 'folded' } },
    },
    name: { type: 'text', analyzer: 'folded', fields: { suggest: { type: 'search_as_you_type', analyzer: 'folded' } } },
    description: { type: 'text', analyzer: 'folded' },
    categoryId: { type: 'keyword' },
    archived: { type: 'boolean' },
    locationIds: { type: 'keyword' },
    inStockLocations: { type: 'keyword' },
    lowStockLocations: { type: 'keyword' },
    updatedAt: { type: 'date' },
  },
};
