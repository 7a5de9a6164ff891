import { Client } from '@elastic/elasticsearch';
import type { Pool } from '@stockline/db';
import { runConsumer, type ConsumerHandle, type EventLog } from '@stockline/events';
import { metricsFor, type Logger } from '@stockline/observability';
import { EsItemIndex } from './es-item-index.ts';
import { createEsIndexer } from './es-indexer.ts';
import { EsSearchEngine } from './es-search-engine.ts';
import { createLexiconIndexer } from './lexicon-indexer.ts';
import { PgSearchEngine } from './pg-search-engine.ts';
import { reindexSearch } from './reindex-search.ts';
import { SearchDocumentsRepository } from './search-documents.repository.ts';
import type { SearchIndexer } from './search-indexer.ts';
import { SearchItemsRepository } from './search-items.repository.ts';
import { SearchService } from './search.service.ts';

/** The inventory stream: what the indexers follow. */
const STREAM = 'inventory';
/** How often the lag gauge (stockline_event_consumer_lag{consumer,stream}) is refreshed. */
export const LAG_GAUGE_INTERVAL_MS = 5_000;

export interface SearchOptions {
  /** The owner's pool: the indexers read and write every tenant's search data. */
  pool: Pool;
  /** What searches run on (the service's scoped pool: the requesting tenant's rows only). @default pool */
  queryPool?: Pool;
  logger: Logger;
  /** Elasticsearch when set (else PostgreSQL), and the alias it searches. */
  elasticsearch: { url: string; index: string } | { client: Client; index: string } | null;
}

/** How far each indexer is behind the stream. */
export interface SearchLag {
  consumer: string;
  position: number;
  head: number;
  /** Events not yet applied. */
  lag: number;
  /** When the newest applied event happened (null before the first). */
  lastEventAt: string | null;
}

/**
 * Search for the inventory service: the engine chosen by configuration behind SearchService, and
 * the indexers that follow the event stream (the lexicon always; the Elasticsearch index when it
 * is the engine). `start(log)` runs them with `runConsumer`; `lag()` says how far behind they are.
 */
export function createSearch({ pool, queryPool = pool, logger, elasticsearch }: SearchOptions) {
  const documents = new SearchDocumentsRepository(pool);
  const client = elasticsearch ? ('client' in elasticsearch ? elasticsearch.client : new Client({ node: elasticsearch.url })) : null;
  const index = client && elasticsearch ? new EsItemIndex(client, elasticsearch.index) : null;
  const engine = client && elasticsearch ? new EsSearchEngine(client, elasticsearch.index) : new PgSearchEngine(queryPool);
  const indexers: SearchIndexer[] = [createLexiconIndexer(documents), ...(index ? [createEsIndexer(documents, index)] : [])];
  let consumers: ConsumerHandle[] = [];
  let followed: EventLog | null = null;
  let gauge: NodeJS.Timeout | undefined;
  const lag = (): SearchLag[] =>
    consumers.map((c, i) => {
      const { position, head, lag: behind, lastEventAt } = c.stats();
      return { consumer: indexers[i].name, position, head, lag: behind, lastEventAt };
    });

  return {
    engine,
    index,
    service: new SearchService(engine, new SearchItemsRepository(queryPool)),
    /** Creates the Elasticsearch index on first use (filled from the database), then follows the stream. */
    async start(log: EventLog) {
      followed = log;
      if (index && (await index.ensure())) {
        logger.info({ alias: index.alias }, 'search index created; filling it from the database');
        await reindexSearch({ documents, index, lexicon: false });
      }
      consumers = indexers.map((indexer) =>
        runConsumer({
          log,
          stream: STREAM,
          name: indexer.name,
          types: indexer.types,
          checkpoint: indexer.checkpoint,
          handle: (batch) => indexer.handle(batch),
          onError: (err) => logger.warn({ err, consumer: indexer.name }, 'search indexing failed; retrying'),
          onFatal: (err) => logger.error({ err, consumer: indexer.name }, 'search indexer stopped; run `npm run reindex`'),
        }),
      );
      gauge = setInterval(() => {
        for (const l of lag()) metricsFor('inventory').consumerLag.set({ consumer: l.consumer, stream: STREAM }, l.lag);
      }, LAG_GAUGE_INTERVAL_MS).unref();
      return Promise.all(consumers.map((c) => c.caughtUp));
    },
    /** Per indexer: its position, the stream's head and how many events it is behind (also the stockline_event_consumer_lag gauge). */
    lag,
    async stop() {
      clearInterval(gauge);
      await Promise.all(consumers.map((c) => c.stop()));
      consumers = [];
      await followed?.close();
      await client?.close();
    },
  };
}

export type Search = ReturnType<typeof createSearch>;
