/**
 * `npm run reindex`: rebuilds search from the database (the lexicon, and the Elasticsearch index
 * behind its alias when ELASTICSEARCH_URL is set) while the service keeps serving. Reads the same
 * environment as the inventory service; DATABASE_URL is required (a running embedded database
 * can be named by its URL, postgresql://postgres@127.0.0.1:54329/postgres).
 */
import { fileURLToPath } from 'node:url';
import { Client } from '@elastic/elasticsearch';
import { createPool, runMigrations } from '@stockline/db';
import { createLogger } from '@stockline/observability';
import { loadInventoryConfig } from '../config.ts';
import { EsItemIndex } from './es-item-index.ts';
import { reindexSearch } from './reindex-search.ts';
import { SearchDocumentsRepository } from './search-documents.repository.ts';

const config = loadInventoryConfig({ exitOnError: true });
const logger = createLogger({ service: 'inventory-reindex', level: config.logLevel });
const pool = createPool({ url: config.databaseUrl, applicationName: 'stockline-inventory-reindex' });
const client = config.elasticsearchUrl ? new Client({ node: config.elasticsearchUrl }) : null;
try {
  await runMigrations({ pool, schema: 'inventory', dir: fileURLToPath(new URL('../../prisma/migrations', import.meta.url)), log: (m) => logger.info(m) });
  const index = client ? new EsItemIndex(client, config.elasticsearchIndex) : null;
  const started = Date.now();
  const result = await reindexSearch({ documents: new SearchDocumentsRepository(pool), index });
  logger.info({ ...result, ms: Date.now() - started }, 'search rebuilt');
} catch (err) {
  logger.error({ err }, 'reindex failed');
  process.exitCode = 1;
} finally {
  await client?.close();
  await pool.end();
}
