/**
 * Content-Security-Policy of the /app page: only this origin. Nothing inline (the page's configuration is a
 * `<meta>` of JSON, styles are a file), no eval, no other host. `connect-src` names the page's own WebSocket
 * origin explicitly, because only CSP Level 3 browsers count same-host ws(s): as 'self'.
 */
export function webAppCsp(host: string | undefined, secure: boolean): string {
  const ws = host && /^[a-z0-9.\-[\]:]+$/i.test(host) ? ` ${secure ? 'wss' : 'ws'}://${host}` : '';
  return [
    "default-src 'self'",
    `connect-src 'self'${ws}`,
    "img-src 'self'",
    "style-src 'self'",
    "script-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}
