import { SpanKind, SpanStatusCode, context, propagation, trace } from '@opentelemetry/api';
import type { NextFunction, Request, Response } from 'express';
import { tracingEnabled } from './start-tracing.ts';

const tracer = () => trace.getTracer('stockline');

/**
 * Express middleware: one SERVER span per HTTP request, child of the caller's `traceparent` when
 * there is one; everything the request does (planning, subgraph fetches, queries) runs inside it.
 * The span is named after the GraphQL operation and carries the request id. While tracing is off
 * (no `startTracing` with an endpoint in this process) it only passes the request on.
 */
export function traceRequests(service: string) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (!tracingEnabled()) return next();
    const parent = propagation.extract(context.active(), req.headers);
    const span = tracer().startSpan(`${service} ${req.method} ${req.baseUrl || req.path}`, { kind: SpanKind.SERVER, attributes: { 'stockline.service': service, 'http.method': req.method } }, parent);
    res.once('finish', () => {
      const operationName = (req.body as { operationName?: unknown } | undefined)?.operationName;
      if (typeof operationName === 'string') span.updateName(`${service} ${operationName}`);
      span.setAttribute('stockline.request_id', String(res.locals.requestId ?? res.getHeader('x-request-id') ?? req.headers['x-request-id'] ?? ''));
      span.setAttribute('http.status_code', res.statusCode);
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    });
    const active = trace.setSpan(parent, span);
    // Body parsers continue from the socket's stream events: bind them to the span's context too.
    context.bind(active, req);
    context.with(active, next);
  };
}
