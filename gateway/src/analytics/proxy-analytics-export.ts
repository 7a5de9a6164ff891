import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { RequestHandler } from 'express';
import { GraphQLError } from 'graphql';
import type { Authenticate } from '@stockline/auth';
import { REQUEST_ID_HEADER, requestIdFrom } from '@stockline/observability';
import { internalTokenFor } from '../auth/internal-token-for.ts';

const DEFAULT_TIMEOUT_MS = 120_000;
const PASSED_BACK = ['content-type', 'content-disposition', 'cache-control'];

/**
 * Mount with `app.use('/analytics/export', proxyAnalyticsExport({ … }))`: authenticates the caller as
 * /graphql does (token or API key), then relays `GET /analytics/export/<report>.csv?…` to the analytics
 * service with the internal token it signs for that caller, streaming the CSV back as it comes.
 */
export function proxyAnalyticsExport({ target, authenticate, jwtSecret, timeoutMs = DEFAULT_TIMEOUT_MS }: {
  target: string;
  authenticate: Authenticate;
  jwtSecret: string;
  timeoutMs?: number;
}): RequestHandler {
  const base = new URL(target);
  const send = base.protocol === 'https:' ? httpsRequest : httpRequest;
  return async (req, res) => {
    if (req.method !== 'GET') {
      res.setHeader('Allow', 'GET');
      res.status(405).json({ code: 'METHOD_NOT_ALLOWED', message: `${req.method} is not allowed on /analytics/export` });
      return;
    }
    let token: string;
    try {
      token = await internalTokenFor(await authenticate(req.headers.authorization), jwtSecret);
    } catch (error) {
      const code = error instanceof GraphQLError ? String(error.extensions.code) : 'UNAUTHENTICATED';
      res.status(code === 'FORBIDDEN' ? 403 : 401).json({ code, message: (error as Error).message });
      return;
    }
    const upstream = send(
      {
        protocol: base.protocol,
        hostname: base.hostname,
        port: base.port,
        method: 'GET',
        path: `/export${req.url}`,
        headers: { authorization: `Bearer ${token}`, [REQUEST_ID_HEADER]: requestIdFrom(req.headers[REQUEST_ID_HEADER]) },
        timeout: timeoutMs,
      },
      (answer) => {
        res.status(answer.statusCode ?? 502);
        for (const name of PASSED_BACK) if (answer.headers[name] !== undefined) res.setHeader(name, answer.headers[name]!);
        answer.pipe(res);
      },
    );
    upstream.on('timeout', () => upstream.destroy(new Error(`analytics did not answer within ${timeoutMs} ms`)));
    upstream.on('error', () => {
      if (!res.headersSent) res.status(502).json({ code: 'BAD_GATEWAY', message: 'The analytics service did not answer' });
      else res.destroy();
    });
    // The client went away mid-download: stop the export too.
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    upstream.end();
  };
}
