import type { EsItemIndex } from './es-item-index.ts';
import { REINDEX_BATCH } from './es-item-index.ts';
import { ELASTICSEARCH_CONSUMER } from './es-indexer.ts';
import { LEXICON_CONSUMER } from './lexicon-indexer.ts';
import type { SearchDocument, SearchDocumentsRepository } from './search-documents.repository.ts';

/**
 * Rebuilds search from the database: the lexicon (when `lexicon`), and the Elasticsearch index
 * (when there is one) into a new index swapped in behind the alias. The stream's position is
 * read first and the indexers' checkpoints are set back to it afterwards, so whatever changed
 * while the rebuild ran is replayed onto the new index (harmless twice: writes are versioned).
 */
export async function reindexSearch({ documents, index, lexicon = true }: { documents: SearchDocumentsRepository; index: EsItemIndex | null; lexicon?: boolean }) {
  const head = await documents.headPosition();
  const words = lexicon ? await documents.rebuildLexicon() : null;
  let indexed = 0;
  let indexName: string | null = null;
  if (index) {
    async function* pages(): AsyncIterable<SearchDocument[]> {
      let afterId: string | null = null;
      for (;;) {
        const page = await documents.scan({ afterId, limit: REINDEX_BATCH });
        if (page.length === 0) return;
        indexed += page.length;
        yield page;
        afterId = page[page.length - 1].itemId;
      }
    }
    indexName = await index.rebuild(pages(), head);
    await documents.rewindCheckpoint(ELASTICSEARCH_CONSUMER, head);
  }
  if (lexicon) await documents.rewindCheckpoint(LEXICON_CONSUMER, head);
  return { head, words, indexed, indexName };
}
