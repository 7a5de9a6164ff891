import { Topic, type DomainEvent } from '@stockline/events';
import type { EsItemIndex } from './es-item-index.ts';
import type { SearchDocumentsRepository } from './search-documents.repository.ts';
import { itemsTouched, type SearchIndexer } from './search-indexer.ts';

export const ELASTICSEARCH_CONSUMER = 'search-elasticsearch';

/**
 * Keeps the Elasticsearch index current from catalog and stock events: re-reads each touched
 * item's document from PostgreSQL and bulk-indexes it with the position of its newest event as
 * external version, so a replayed or out-of-date write never overwrites a newer one.
 */
export function createEsIndexer(documents: SearchDocumentsRepository, index: EsItemIndex): SearchIndexer {
  const types = [Topic.ItemChanged, Topic.StockChanged, Topic.LowStock, Topic.ReservationChanged];
  return {
    name: ELASTICSEARCH_CONSUMER,
    types,
    checkpoint: {
      load: () => documents.loadCheckpoint(ELASTICSEARCH_CONSUMER),
      save: (position) => documents.saveCheckpoint(ELASTICSEARCH_CONSUMER, position),
    },
    async handle(batch: DomainEvent[]) {
      const touched = itemsTouched(batch, types);
      const docs = await documents.findByItemIds([...touched.keys()]);
      await index.bulkIndex(docs.map((doc) => ({ doc, version: touched.get(doc.itemId)! })));
    },
  };
}
