import express, { type Express, type Request, type Response } from 'express';
import { Role, bearerToken, hasRole, verifyToken } from '@stockline/auth';
import { Topic } from './domain-event.ts';
import { CursorExpiredError, CursorInvalidError, MAX_PAGE_SIZE, type EventSource } from './event-source.ts';

/** Where a service serves the replay of its stream to the platform's consumers. */
export const EVENT_LOG_PATH = '/internal/v1/events';

const TOPICS = new Set<string>(Object.values(Topic));

/**
 * `GET /internal/v1/events/<stream>?after=N[&tenant=T][&limit=L][&types=A,B][&head=1]` for callers holding a
 * `service` token: one page of the stream as JSON (`EventPage`). 410 `CURSOR_EXPIRED` when `after`
 * is older than retention, 400 `BAD_USER_INPUT` for a malformed query or a cursor ahead of the head.
 */
export function useEventLogApi(app: Express, { stream, source, jwtSecret }: { stream: string; source: EventSource; jwtSecret: string }) {
  app.get(`${EVENT_LOG_PATH}/:stream`, async (req: Request, res: Response) => {
    try {
      const viewer = await verifyToken(bearerToken(req.headers.authorization), jwtSecret);
      if (!hasRole(viewer, Role.Service)) return res.status(403).json({ code: 'FORBIDDEN', message: 'A service token is required' });
    } catch {
      return res.status(401).json({ code: 'UNAUTHENTICATED', message: 'A valid service token is required' });
    }
    const bad = (message: string) => res.status(400).json({ code: 'BAD_USER_INPUT', message });
    if (req.params.stream !== stream) return res.status(404).json({ code: 'NOT_FOUND', message: `This service serves stream "${stream}"` });
    const after = Number(req.query.after ?? 0);
    if (!Number.isSafeInteger(after) || after < 0) return bad('"after" must be a non-negative integer');
    const limit = Number(req.query.limit ?? 500);
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) return bad(`"limit" must be an integer from 1 to ${MAX_PAGE_SIZE}`);
    const tenant = typeof req.query.tenant === 'string' && req.query.tenant !== '' ? req.query.tenant : undefined;
    const types = typeof req.query.types === 'string' && req.query.types !== '' ? req.query.types.split(',') : undefined;
    if (types?.some((t) => !TOPICS.has(t))) return bad(`"types" must be among ${[...TOPICS].join(', ')}`);
    try {
      res.json(await source.read({ stream, tenantId: tenant, after, limit, types: types as Topic[] | undefined, headOnly: req.query.head === '1' }));
    } catch (error) {
      if (error instanceof CursorExpiredError) return res.status(410).json({ code: error.code, message: error.message, oldest: error.oldest });
      if (error instanceof CursorInvalidError) return res.status(400).json({ code: error.code, message: error.message, head: error.head });
      res.status(503).json({ code: 'SERVICE_UNAVAILABLE', message: 'The event log could not be read; retry' });
    }
  });
}
