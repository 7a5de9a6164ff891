import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { Role, bearerToken, hasRole, verifyToken } from '@stockline/auth';
import type { Logger } from '@stockline/observability';
import type { Actor } from '@stockline/service';
import type { ReservationService } from '../domain/reservation.service.ts';

/** Paths of the service-to-service API; the orders service is its client. */
export const INTERNAL_API_BASE = '/internal/v1';
export enum InternalRoute {
  ReserveLines = '/reservations/reserve-lines',
  Consume = '/reservations/consume',
  Release = '/reservations/release',
}

/**
 * The reservation operations the orders saga needs, over HTTP+JSON, for callers holding a
 * `service` token (never a user's): the token's tenant scopes the call, `actorId` in the body
 * names the user on whose behalf it acts, for the ledger. Answers 200 with `{ userErrors, ... }`
 * for business outcomes, 400 for malformed bodies, 401/403 for credentials.
 */
export function useInternalApi(app: Express, { reservations, jwtSecret, logger }: { reservations: ReservationService; jwtSecret: string; logger: Logger }) {
  const router = express.Router();
  router.use(express.json({ limit: '2mb' }));
  router.use(async (req: Request, res: Response, next: NextFunction) => {
    try {
      const viewer = await verifyToken(bearerToken(req.headers.authorization), jwtSecret);
      if (!hasRole(viewer, Role.Service)) return res.status(403).json({ code: 'FORBIDDEN', message: 'A service token is required' });
      const actorId = req.body?.actorId;
      if (typeof actorId !== 'string' || !actorId) return res.status(400).json({ code: 'BAD_USER_INPUT', message: '"actorId" must be a non-empty string' });
      res.locals.actor = { tenantId: viewer.tenantId, userId: actorId } satisfies Actor;
      next();
    } catch {
      res.status(401).json({ code: 'UNAUTHENTICATED', message: 'A valid service token is required' });
    }
  });
  const handle = (run: (actor: Actor, body: any) => Promise<unknown>) => async (req: Request, res: Response) => {
    try {
      res.json(await run(res.locals.actor as Actor, req.body));
    } catch (error) {
      logger.error({ err: error, path: req.path }, 'internal API failed');
      res.status(500).json({ code: 'INTERNAL_SERVER_ERROR', message: 'Internal server error' });
    }
  };
  const list = (value: unknown, name: string) => {
    if (!Array.isArray(value)) throw Object.assign(new Error(`"${name}" must be a list`), { status: 400 });
    return value;
  };
  router.post(InternalRoute.ReserveLines, (req, res, next) => validate(res, next, () => list(req.body.lines, 'lines')), handle((actor, body) =>
    reservations.reserveLines(actor, { lines: body.lines, reference: body.reference ?? null, idempotencyKey: body.idempotencyKey ?? null })));
  router.post(InternalRoute.Consume, (req, res, next) => validate(res, next, () => list(req.body.consumptions, 'consumptions')), handle((actor, body) =>
    reservations.consume(actor, { consumptions: body.consumptions, reference: body.reference ?? null, idempotencyKey: body.idempotencyKey ?? null })));
  router.post(InternalRoute.Release, (req, res, next) => validate(res, next, () => list(req.body.reservationIds, 'reservationIds')), handle((actor, body) =>
    reservations.releaseReservations(actor, { reservationIds: body.reservationIds, idempotencyKey: body.idempotencyKey ?? null })));
  app.use(INTERNAL_API_BASE, router);
}

function validate(res: Response, next: NextFunction, check: () => unknown) {
  try {
    check();
    next();
  } catch (error) {
    res.status(400).json({ code: 'BAD_USER_INPUT', message: (error as Error).message });
  }
}
