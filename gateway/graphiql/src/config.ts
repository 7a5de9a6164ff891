/**
 * Configuration the gateway injects into index.html as `window.__STOCKLINE__`
 * (see gateway/src/graphiql/render-index.ts). Everything is optional so the
 * page still works when opened from a plain static server.
 */
export interface StocklinePageConfig {
  /** Request headers pre-filled in the GraphiQL headers editor, e.g. a dev token. */
  defaultHeaders?: Record<string, string>;
}

declare global {
  interface Window {
    __STOCKLINE__?: StocklinePageConfig;
  }
}

/** Reads the server-injected configuration, falling back to an empty one. */
export function readPageConfig(): StocklinePageConfig {
  return window.__STOCKLINE__ ?? {};
}

/**
 * Turns header values into the JSON text the headers editor shows, or
 * `undefined` when there are none (so GraphiQL keeps its own default).
 */
export function headersEditorText(headers: Record<string, string> | undefined): string | undefined {
  if (!headers || Object.keys(headers).length === 0) return undefined;
  return JSON.stringify(headers, null, 2);
}

/**
 * The WebSocket URL for subscriptions on the same host as the page: `wss:`
 * behind TLS, `ws:` otherwise, so the page never needs to know its deployment.
 */
export function sameHostSubscriptionUrl(loc: Location, path = '/graphql'): string {
  const scheme = loc.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${loc.host}${path}`;
}
