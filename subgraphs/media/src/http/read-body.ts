import type { Request } from 'express';

/** How much of an oversized body is read and dropped so the client still gets our answer; beyond it the connection is cut. */
export const DEFAULT_DRAIN_LIMIT = 64 * 1024 * 1024;

/**
 * The request body, or 'too-large' as soon as more than `maxBytes` arrived. The rest is drained, not
 * kept (up to `drainLimit`, then the socket is destroyed), so an ordinary client still reads our answer.
 */
export async function readBody(req: Request, maxBytes: number, drainLimit = DEFAULT_DRAIN_LIMIT): Promise<Buffer | 'too-large'> {
  const chunks: Buffer[] = [];
  let total = 0;
  let tooLarge = false;
  for await (const chunk of req) {
    total += (chunk as Buffer).length;
    if (total > maxBytes) tooLarge = true;
    if (total > maxBytes + drainLimit) {
      req.destroy();
      break;
    }
    if (!tooLarge) chunks.push(chunk as Buffer);
  }
  return tooLarge ? 'too-large' : Buffer.concat(chunks);
}
