import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { GraphQLError } from 'graphql';
import { countTokens } from './count-tokens.ts';
import { Limit, tooComplex } from './too-complex.ts';

/** Answers a request refused before GraphQL with the usual `{ errors: [...] }` JSON body. */
export function sendGraphQLError(res: Response, status: number, error: GraphQLError): void {
  const { http: _http, ...extensions } = (error.extensions ?? {}) as Record<string, unknown>;
  res.status(status).type('application/json').send(JSON.stringify({ errors: [{ message: error.message, extensions }] }));
}

/** How long a refused oversized body may go on arriving (read and dropped) before its connection is cut. */
const LINGER_MS = 5_000;

/**
 * Answers 413 at once, without parsing the body. Node then drops what still arrives so that the
 * connection can serve again; a body still arriving LINGER_MS after the answer has its connection cut.
 * (Closing at once instead, with `Connection: close`, resets the connection while the client is still
 * sending, and a client may lose the answer with it.)
 */
function refuseUnread(req: Request, res: Response, error: GraphQLError): void {
  if (res.headersSent) return;
  res.on('finish', () => setTimeout(() => void (req.complete || req.socket.destroy()), LINGER_MS).unref());
  sendGraphQLError(res, 413, error);
}

class BadRequest extends Error {
  readonly extensions = { code: 'BAD_REQUEST' };
}

/**
 * Parses the JSON body with a size limit and refuses, as GraphQL JSON errors (never an HTML page):
 * a body over `maxBytes` (413, QUERY_TOO_COMPLEX limit "bytes", answered as soon as the Content-Length
 * or the bytes received exceed it, without parsing it; a body still arriving 5 s later has its connection cut), malformed JSON (400 BAD_REQUEST),
 * batches (an array of operations: 400, QUERY_TOO_COMPLEX limit "batch", max 1), and a document of
 * more than `maxTokens` tokens (400, limit "tokens") before anything parses it. A token is at least
 * one character, so a document shorter than `maxTokens` characters is not lexed here at all.
 */
export function limitRequestBody({ maxBytes, maxTokens }: { maxBytes: number; maxTokens: number }): RequestHandler {
  const json = express.json({ limit: maxBytes });
  return (req: Request, res: Response, next: NextFunction) => {
    // body-parser answers an oversized body only after reading it to its end (a 50 MB body was read
    // before its 413; an endless chunked one never was answered). Refused here instead, unread.
    const declared = Number(req.headers['content-length']);
    if (declared > maxBytes) return refuseUnread(req, res, tooComplex(Limit.Bytes, maxBytes, declared));
    let seen = 0;
    const guard = (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > maxBytes) (req.off('data', guard), refuseUnread(req, res, tooComplex(Limit.Bytes, maxBytes, seen)));
    };
    req.on('data', guard);
    json(req, res, (error?: unknown) => {
      req.off('data', guard);
      if (res.headersSent) return;
      if (error) {
        const err = error as { type?: string; length?: number; limit?: number; message?: string };
        if (err.type === 'entity.too.large') return sendGraphQLError(res, 413, tooComplex(Limit.Bytes, maxBytes, err.length ?? maxBytes + 1));
        const message = err.type === 'entity.parse.failed' ? 'The request body is not valid JSON' : `The request body could not be read: ${err.message}`;
        return sendGraphQLError(res, 400, Object.assign(new BadRequest(message), { message }) as unknown as GraphQLError);
      }
      if (Array.isArray(req.body)) return sendGraphQLError(res, 400, tooComplex(Limit.Batch, 1, req.body.length));
      const query = (req.body as { query?: unknown } | undefined)?.query;
      if (typeof query === 'string' && query.length > maxTokens) {
        // Count a little past the limit: a measured value without lexing a huge document to its end.
        const measured = countTokens(query, maxTokens * 10);
        if (measured > maxTokens) return sendGraphQLError(res, 400, tooComplex(Limit.Tokens, maxTokens, measured));
      }
      next();
    });
  };
}
