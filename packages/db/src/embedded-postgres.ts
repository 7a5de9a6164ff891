import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { embeddedTemplate } from './embedded-template.ts';

/** pg_trgm: item search's typo tolerance (inventory's 0003_search migration creates the extension). */
export const EMBEDDED_EXTENSIONS = { pg_trgm };

export interface EmbeddedPostgres {
  /** A postgresql:// URL any pg client can use. */
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts PostgreSQL in-process (PGlite, WASM) on a loopback port, keeping its data in `dataDir`.
 * For `npm start` without DATABASE_URL: nothing to install. Connections queue at the query level;
 * a transaction on one connection makes the others wait, so isolation holds but throughput is that of one.
 */
export async function startEmbeddedPostgres({ dataDir, port = 54329 }: { dataDir: string; port?: number }): Promise<EmbeddedPostgres> {
  await mkdir(dataDir, { recursive: true });
  // An empty directory gets the cluster packed at install (embedded-template.ts) rather than an initdb.
  const fresh = !existsSync(join(dataDir, 'PG_VERSION'));
  const db = await PGlite.create({ dataDir, extensions: EMBEDDED_EXTENSIONS, ...(fresh ? { loadDataDir: embeddedTemplate() } : {}) });
  const server = new PGLiteSocketServer({ db, port, host: '127.0.0.1', maxConnections: 64 });
  keepExtendedQueriesWhole(server);
  await server.start();
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres?${EMBEDDED_URL_FLAG}=pglite`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}

interface QueuedMessage {
  handlerId: number;
  message: Uint8Array;
  resolve: (bytes: number) => void;
  reject: (error: unknown) => void;
  onData: (data: Uint8Array) => void;
}

interface QueryQueue {
  queue: QueuedMessage[];
  processing: boolean;
  db: PGlite;
  processQueue(): Promise<void>;
  clearQueueForHandler(handlerId: number): void;
}

// Frontend message types that end a protocol exchange: Sync, simple Query, Terminate.
const ENDS_EXCHANGE = new Set([0x53, 0x51, 0x58]);

/**
 * pglite-socket 0.2 queues each protocol message on its own and only keeps a connection's messages
 * together inside a transaction. node-postgres sends a parameterised query as Parse/Bind/Execute/Sync
 * outside one, so two connections' messages interleave and PGlite answers "unnamed prepared statement
 * does not exist". This replaces the queue's loop so that a connection keeps the database from its
 * first message to the Sync (or simple Query) that ends the exchange, and for a whole transaction.
 */
function keepExtendedQueriesWhole(server: PGLiteSocketServer): void {
  const queue = (server as unknown as { queryQueue: QueryQueue }).queryQueue;
  let owner: number | null = null;
  const clear = queue.clearQueueForHandler.bind(queue);
  queue.clearQueueForHandler = (handlerId) => {
    if (owner === handlerId) owner = null;
    clear(handlerId);
  };
  queue.processQueue = async function processQueue(this: QueryQueue) {
    if (this.processing || this.queue.length === 0) return;
    this.processing = true;
    try {
      while (this.queue.length > 0) {
        const index = owner === null ? 0 : this.queue.findIndex((q) => q.handlerId === owner);
        if (index === -1) break; // the owner's next message has not arrived yet
        const [item] = this.queue.splice(index, 1);
        let bytes = 0;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(item.message, {
              onRawData: (data: Uint8Array) => {
                bytes += data.length;
                item.onData(data);
              },
            }),
          );
        } catch (error) {
          owner = null;
          item.reject(error);
          continue;
        }
        const type = item.message[0];
        // A startup or password message (type 0 / 'p') ends its own exchange as well.
        const ends = ENDS_EXCHANGE.has(type) || type === 0x00 || type === 0x70;
        owner = this.db.isInTransaction() || !ends ? item.handlerId : null;
        item.resolve(bytes);
      }
    } finally {
      this.processing = false;
    }
  };
}

/**
 * Marks the URL of embedded PostgreSQL. PGlite is one session behind every socket connection, so
 * what PostgreSQL keeps per connection (named prepared statements) is shared: clients must not rely
 * on it. pg ignores the unknown parameter.
 */
export const EMBEDDED_URL_FLAG = 'stockline_embedded';

/** Whether `url` points at embedded PostgreSQL (see EMBEDDED_URL_FLAG). */
export function isEmbeddedDatabase(url: string | undefined): boolean {
  return !!url && new URL(url).searchParams.has(EMBEDDED_URL_FLAG);
}
