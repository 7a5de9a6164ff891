import { readFile, stat } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Router } from 'express';
import { webAppCsp } from './web-app-csp.ts';

/** Handed to the page as `<meta name="stockline-config" content="…">`; mirrors clients/web/src/config.ts. */
export interface WebAppPageConfig {
  /** Offered on the sign-in screen. Written into the page: only in development. */
  devToken: string | null;
}

/** Where `npm run build -w @stockline/web` writes the board. */
export const DEFAULT_WEB_APP_DIST_DIR = fileURLToPath(new URL('../../../clients/web/dist', import.meta.url));

export const WEB_APP_NOT_BUILT_MESSAGE = 'The web app has not been built. Run `npm run build -w @stockline/web` and reload.\n';

const IMMUTABLE = 'public, max-age=31536000, immutable';

const escapeAttribute = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Replaces the build's placeholder `<meta name="stockline-config" content="{}">` with the page configuration. */
export function injectWebAppConfig(html: string, config: WebAppPageConfig): string {
  const meta = /<meta name="stockline-config" content="[^"]*"\s*\/?>/;
  if (!meta.test(html)) throw new Error('web app index.html has no stockline-config meta element');
  return html.replace(meta, () => `<meta name="stockline-config" content="${escapeAttribute(JSON.stringify(config))}" />`);
}

/**
 * The board at /app: `app.use('/app', serveWebApp({ devToken }))`. index.html (and any client-side route)
 * gets the configuration and a self-only CSP; hashed assets are cached for a year. 503 while not built.
 */
export function serveWebApp({ distDir = DEFAULT_WEB_APP_DIST_DIR, devToken = null }: { distDir?: string; devToken?: string | null } = {}): Router {
  const dir = resolve(distDir);
  const indexPath = join(dir, 'index.html');
  const assetsDir = join(dir, 'assets') + sep;
  const router = express.Router();

  router.use(async (_req, res, next) => {
    if (await isFile(indexPath)) return next();
    res.status(503).type('text/plain').set('Cache-Control', 'no-store').send(WEB_APP_NOT_BUILT_MESSAGE);
  });
  router.use(
    express.static(dir, {
      index: false,
      redirect: false,
      setHeaders(res, filePath) {
        if (filePath.endsWith('persisted-documents.json')) res.setHeader('Cache-Control', 'no-store');
        else res.setHeader('Cache-Control', filePath.startsWith(assetsDir) ? IMMUTABLE : 'no-cache');
        res.setHeader('X-Content-Type-Options', 'nosniff');
      },
    }),
  );
  router.get(/.*/, async (req, res) => {
    const html = injectWebAppConfig(await readFile(indexPath, 'utf8'), { devToken });
    res
      .status(200)
      .set({
        'Content-Type': 'text/html; charset=utf-8',
        'Cache-Control': 'no-cache',
        'Content-Security-Policy': webAppCsp(req.headers.host, req.secure),
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'no-referrer',
      })
      .send(html);
  });
  return router;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
