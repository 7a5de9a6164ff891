/**
 * Packs a freshly initialised PGlite cluster into dist/pglite-template.tar.gz, which
 * startEmbeddedPostgres unpacks into an empty data directory instead of running initdb.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { EMBEDDED_TEMPLATE_PATH } from '../src/embedded-template.ts';
import { EMBEDDED_EXTENSIONS } from '../src/embedded-postgres.ts';

const db = await PGlite.create({ extensions: EMBEDDED_EXTENSIONS });
const packed = await db.dumpDataDir('gzip');
await db.close();
mkdirSync(dirname(EMBEDDED_TEMPLATE_PATH), { recursive: true });
writeFileSync(EMBEDDED_TEMPLATE_PATH, Buffer.from(await packed.arrayBuffer()));
console.log(`wrote ${EMBEDDED_TEMPLATE_PATH}`);
