import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

/** The board's manifest, written by its build next to its files. */
export const DEFAULT_TRUSTED_DOCUMENTS_MANIFEST = fileURLToPath(new URL('../../../clients/web/dist/persisted-documents.json', import.meta.url));

export const TRUSTED_DOCUMENT_REFUSED = 'PERSISTED_QUERY_NOT_ALLOWED';

/** Reads `{ "<sha256 hex>": "<document>" }`; throws naming the file when it is missing or malformed (the gateway must not start open). */
export function loadTrustedDocuments(path = DEFAULT_TRUSTED_DOCUMENTS_MANIFEST): Map<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`TRUSTED_DOCUMENTS_ONLY is on but the manifest ${path} cannot be read (${(err as Error).message}); build the clients first (npm run build -w @stockline/web)`);
  }
  const entries = Object.entries(parsed as Record<string, unknown>).filter(([hash, doc]) => /^[0-9a-f]{64}$/.test(hash) && typeof doc === 'string');
  for (const [hash, doc] of entries) {
    if (sha256(doc as string) !== hash) throw new Error(`trusted documents manifest ${path}: ${hash} is not the hash of its document`);
  }
  return new Map(entries as [string, string][]);
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Trusted-documents mode for /graphql (after the body is parsed): an operation is served only when its
 * document is in the manifest, named by its APQ hash (`extensions.persistedQuery.sha256Hash`, the document
 * is filled in from the manifest so the first request already works) or sent in full (hashed and looked up).
 * Anything else — an ad-hoc query, introspection, GraphiQL — gets 400 PERSISTED_QUERY_NOT_ALLOWED.
 */
export function trustedDocumentsOnly(documents: Map<string, string>): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'POST' && req.method !== 'GET') return next();
    const body = (req.method === 'POST' ? req.body : req.query) as { query?: unknown; extensions?: unknown } | undefined;
    let extensions = body?.extensions;
    if (typeof extensions === 'string') {
      try {
        extensions = JSON.parse(extensions);
      } catch {
        extensions = undefined;
      }
    }
    const hash = (extensions as { persistedQuery?: { sha256Hash?: unknown } } | undefined)?.persistedQuery?.sha256Hash;
    const query = typeof body?.query === 'string' ? body.query : undefined;
    const known = query !== undefined ? documents.has(sha256(query)) && (hash === undefined || hash === sha256(query)) : typeof hash === 'string' && documents.has(hash);
    if (!known) {
      res.status(400).type('application/json').send(JSON.stringify({
        errors: [{ message: 'Only the documents the clients ship are accepted here (trusted documents mode)', extensions: { code: TRUSTED_DOCUMENT_REFUSED } }],
      }));
      return;
    }
    if (query === undefined && req.method === 'POST') (req.body as { query?: string }).query = documents.get(hash as string);
    next();
  };
}
