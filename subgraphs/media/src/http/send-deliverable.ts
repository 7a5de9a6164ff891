import type { Request, Response } from 'express';
import { pipeline } from 'node:stream/promises';
import type { Deliverable } from '../domain/media-delivery.service.ts';

/** Content-addressed URLs never change meaning: browsers and CDNs may keep them for a year without asking. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';

/** Whether an If-None-Match header names this ETag (weak comparison, as RFC 9110 asks for it). */
export function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').map((t) => t.trim().replace(/^W\//, '')).includes(etag);
}

/**
 * One satisfiable range of `Range: bytes=…` for an object of `size` bytes; 'none' when the header is
 * absent or asks for several ranges (then the whole object is sent, which RFC 9110 allows);
 * 'unsatisfiable' when it cannot be served (416).
 */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | 'none' | 'unsatisfiable' {
  if (!header) return 'none';
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return header.includes(',') ? 'none' : 'unsatisfiable';
  const [, from, to] = match;
  if (from === '' && to === '') return 'unsatisfiable';
  if (from === '') {
    const suffix = Number(to);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(from);
  const end = to === '' ? size - 1 : Math.min(Number(to), size - 1);
  if (start >= size || end < start) return 'unsatisfiable';
  return { start, end };
}

/** Sends a deliverable with cache headers, a strong ETag, 304 revalidation and single byte ranges (GET and HEAD). */
export async function sendDeliverable(req: Request, res: Response, item: Deliverable): Promise<void> {
  res.setHeader('Cache-Control', IMMUTABLE);
  res.setHeader('ETag', item.etag);
  res.setHeader('Accept-Ranges', 'bytes');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  if (etagMatches(req.headers['if-none-match'], item.etag)) {
    res.status(304).end();
    return;
  }
  // If-Range: a range is only honoured when the client's copy is this very version.
  const ifRange = req.headers['if-range'];
  const range = ifRange && ifRange !== item.etag ? 'none' : parseRange(req.headers.range, item.size);
  res.setHeader('Content-Type', item.contentType);
  if (range === 'unsatisfiable') {
    res.setHeader('Content-Range', `bytes */${item.size}`);
    res.status(416).end();
    return;
  }
  const partial = range !== 'none';
  res.status(partial ? 206 : 200);
  res.setHeader('Content-Length', partial ? range.end - range.start + 1 : item.size);
  if (partial) res.setHeader('Content-Range', `bytes ${range.start}-${range.end}/${item.size}`);
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  const body = await item.open(partial ? range : undefined);
  if (!body) {
    res.status(404).end();
    return;
  }
  await pipeline(body, res);
}
