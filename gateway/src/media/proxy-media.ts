import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { RequestHandler } from 'express';

/** Hop-by-hop headers (RFC 9110 §7.6.1) are never forwarded. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'host']);
const DEFAULT_TIMEOUT_MS = 60_000;

const endToEnd = (headers: IncomingHttpHeaders) => Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name.toLowerCase())));

/**
 * Mount with `app.use('/media', proxyMedia({ target }))`: relays `/media/*` (GET, HEAD, PUT) to the
 * media service, streaming both ways, so clients only ever know the gateway's origin. No auth here:
 * media URLs are capabilities (signed upload URLs, unguessable content-addressed read URLs) and the
 * media service checks them. A CDN goes in front of this path (see docs/media.md).
 */
export function proxyMedia({ target, timeoutMs = DEFAULT_TIMEOUT_MS }: { target: string; timeoutMs?: number }): RequestHandler {
  const base = new URL(target);
  const send = base.protocol === 'https:' ? httpsRequest : httpRequest;
  return (req, res) => {
    if (!['GET', 'HEAD', 'PUT'].includes(req.method)) {
      res.setHeader('Allow', 'GET, HEAD, PUT');
      res.status(405).json({ code: 'METHOD_NOT_ALLOWED', message: `${req.method} is not allowed on /media` });
      return;
    }
    const upstream = send(
      { protocol: base.protocol, hostname: base.hostname, port: base.port, method: req.method, path: `/media${req.url}`, headers: endToEnd(req.headers), timeout: timeoutMs },
      (answer) => {
        res.status(answer.statusCode ?? 502);
        for (const [name, value] of Object.entries(endToEnd(answer.headers))) if (value !== undefined) res.setHeader(name, value);
        answer.pipe(res);
      },
    );
    upstream.on('timeout', () => upstream.destroy(new Error(`media did not answer within ${timeoutMs} ms`)));
    upstream.on('error', () => {
      if (!res.headersSent) res.status(502).json({ code: 'BAD_GATEWAY', message: 'The media service did not answer' });
      else res.destroy();
    });
    req.pipe(upstream);
  };
}
