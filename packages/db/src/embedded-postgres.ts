import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

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
  const db = await PGlite.create({ dataDir });
  const server = new PGLiteSocketServer({ db, port, host: '127.0.0.1', maxConnections: 64 });
  await server.start();
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
