/**
 * What the gateway tells the page: a `<meta name="stockline-config">` holding JSON (data, not script, so the
 * page's CSP needs no 'unsafe-inline'). Mirrors WebAppPageConfig in gateway/src/web-app/render-web-app.ts.
 */
export interface WebAppPageConfig {
  /** Offered on the sign-in screen in development only. */
  devToken: string | null;
}

export function readPageConfig(): WebAppPageConfig {
  const meta = document.querySelector<HTMLMetaElement>('meta[name="stockline-config"]');
  try {
    return { devToken: null, ...(meta ? (JSON.parse(meta.content) as Partial<WebAppPageConfig>) : {}) };
  } catch {
    return { devToken: null };
  }
}
