import { stat, readFile } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Router } from 'express';

import { GRAPHIQL_CSP } from './csp.ts';
import { injectPageConfig } from './render-index.ts';

/** Options of {@link serveGraphiql}. */
export interface ServeGraphiqlOptions {
  /** Folder holding the built page; defaults to gateway/graphiql/dist. */
  distDir?: string;
  /**
   * Headers pre-filled in the GraphiQL headers editor, e.g.
   * `{ Authorization: 'Bearer <dev token>' }`. They are written into the page,
   * so anyone who can load it can read them: pass a token only in development.
   */
  defaultHeaders?: Record<string, string>;
}

/** Where `npm run build -w @stockline/gateway` writes the page. */
export const DEFAULT_GRAPHIQL_DIST_DIR = fileURLToPath(new URL('../../graphiql/dist', import.meta.url));

/** Body of the 503 answer when the page has not been built. */
export const GRAPHIQL_NOT_BUILT_MESSAGE =
  'GraphiQL has not been built. Run `npm run build -w @stockline/gateway` and reload.\n';

/** Hashed file names never change content, so browsers may keep them for a year. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Unhashed files (index.html) must be revalidated so a rebuild is seen at once. */
const REVALIDATE = 'no-cache';

/**
 * An Express router serving the self-hosted GraphiQL page; mount it at
 * `/graphiql` (the Vite `base` the page is built with):
 * `app.use('/graphiql', serveGraphiql({ defaultHeaders }))`.
 *
 * index.html gets `window.__STOCKLINE__` injected and a strict CSP; files under
 * `assets/` are cached long-term. Answers 503 with instructions while the
 * page is not built.
 */
export function serveGraphiql(options: ServeGraphiqlOptions = {}): Router {
  const distDir = resolve(options.distDir ?? DEFAULT_GRAPHIQL_DIST_DIR);
  const indexPath = join(distDir, 'index.html');
  const assetsDir = join(distDir, 'assets') + sep;
  const config = { defaultHeaders: { ...options.defaultHeaders } };
  const router = express.Router();

  // Checked per request, not once at start-up, so a build run while the
  // gateway is up is picked up without a restart.
  router.use(async (_req, res, next) => {
    if (await isFile(indexPath)) return next();
    res.status(503).type('text/plain').set('Cache-Control', 'no-store').send(GRAPHIQL_NOT_BUILT_MESSAGE);
  });

  router.get(['/', '/index.html'], async (_req, res) => {
    // Read on each request (a ~1 kB file) for the same reason as above.
    const html = injectPageConfig(await readFile(indexPath, 'utf8'), config);
    res
      .status(200)
      .set({
        'Content-Type': 'text/html; charset=utf-8',
        'Cache-Control': REVALIDATE,
        'Content-Security-Policy': GRAPHIQL_CSP,
        'X-Content-Type-Options': 'nosniff',
      })
      .send(html);
  });

  router.use(
    express.static(distDir, {
      index: false, // index.html always goes through the injecting route above
      redirect: false,
      setHeaders(res, filePath) {
        res.setHeader('Cache-Control', filePath.startsWith(assetsDir) ? IMMUTABLE : REVALIDATE);
        res.setHeader('X-Content-Type-Options', 'nosniff');
      },
    }),
  );

  return router;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
