import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import express, { Router } from 'express';

/** Where `npm run build -w @stockline/gateway` puts the dashboard (gateway/dashboard, Vite). */
export const DEFAULT_DASHBOARD_DIST_DIR = fileURLToPath(new URL('../../dashboard/dist', import.meta.url));

/** Content-Security-Policy of the dashboard: its own origin only. */
export const DASHBOARD_CSP = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'";

/**
 * GET /dashboard: the operators' page, built from local files (no CDN). The page is public; every
 * number it shows comes from /admin/graphql and /graphql with the admin token it is given.
 */
export function serveDashboard({ distDir = DEFAULT_DASHBOARD_DIST_DIR }: { distDir?: string } = {}): Router {
  const router = Router();
  router.use((_req, res, next) => {
    res.setHeader('content-security-policy', DASHBOARD_CSP);
    res.setHeader('x-content-type-options', 'nosniff');
    next();
  });
  router.use((req, res, next) => {
    if (existsSync(distDir)) return next();
    res.status(503).type('text/plain').send('The dashboard is not built: run `npm run build -w @stockline/gateway`.');
  });
  router.use(express.static(distDir, { index: 'index.html', fallthrough: true }));
  return router;
}
