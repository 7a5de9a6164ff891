import { Topic, type DomainEvent } from '@stockline/events';
import type { SearchDocumentsRepository } from './search-documents.repository.ts';
import { itemsTouched, type SearchIndexer } from './search-indexer.ts';

export const LEXICON_CONSUMER = 'search-lexicon';

/**
 * Keeps the typo-correction vocabulary (inventory.search_lexicon) current from ItemChanged events:
 * adds the words of each changed item, and saves the checkpoint in the same transaction.
 */
export function createLexiconIndexer(documents: SearchDocumentsRepository): SearchIndexer {
  const types = [Topic.ItemChanged];
  return {
    name: LEXICON_CONSUMER,
    types,
    checkpoint: {
      load: () => documents.loadCheckpoint(LEXICON_CONSUMER),
      save: (position) => documents.saveCheckpoint(LEXICON_CONSUMER, position),
    },
    async handle(batch: DomainEvent[]) {
      if (batch.length === 0) return;
      const items = itemsTouched(batch, types);
      await documents.addWords({ itemIds: [...items.keys()], checkpoint: LEXICON_CONSUMER, position: batch[batch.length - 1].pos });
    },
  };
}
