import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * A PGlite data directory right after initdb, packed by `npm run build -w @stockline/db` (run by
 * `npm install`'s postinstall). Creating a cluster (initdb in WASM) was the largest part of a cold
 * `npm start`; unpacking this is several times faster. Built from the installed PGlite, never committed.
 */
export const EMBEDDED_TEMPLATE_PATH = fileURLToPath(new URL('../dist/pglite-template.tar.gz', import.meta.url));

/** The packed empty cluster, or undefined when it has not been built (start-up then runs initdb). */
export function embeddedTemplate(): Blob | undefined {
  return existsSync(EMBEDDED_TEMPLATE_PATH) ? new Blob([readFileSync(EMBEDDED_TEMPLATE_PATH)]) : undefined;
}
