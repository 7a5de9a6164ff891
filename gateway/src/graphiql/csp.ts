/**
 * Content-Security-Policy sent with the GraphiQL page.
 *
 * Why each relaxation beyond `default-src 'self'` is there:
 * - `connect-src ws: wss:` – subscriptions go over a WebSocket to the same host;
 *   CSP Level 3 browsers treat `'self'` as covering same-host ws(s), older ones do not.
 * - `img-src data:` – Monaco and GraphiQL draw a few icons as data: URIs.
 * - `style-src 'unsafe-inline'` – Monaco and React set inline styles and inject <style> at runtime.
 * - `script-src 'unsafe-inline'` – the server injects `window.__STOCKLINE__` as an inline script.
 * - `worker-src blob:` – Monaco falls back to blob: workers when a worker URL cannot be used directly.
 * - `font-src data:` – GraphiQL's fonts are inlined in its CSS as data: URIs (no font CDN).
 */
export const GRAPHIQL_CSP = [
  "default-src 'self'",
  "connect-src 'self' ws: wss:",
  "img-src 'self' data:",
  "style-src 'self' 'unsafe-inline'",
  "script-src 'self' 'unsafe-inline'",
  "worker-src 'self' blob:",
  "font-src 'self' data:",
].join('; ');
