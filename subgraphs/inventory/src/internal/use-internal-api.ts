import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { Role, bearerToken, hasRole, verifyToken } from '@stockline/auth';
import {
  INTERNAL_API_BASE,
  INTERNAL_API_STATUS,
  INVENTORY_API,
  InternalApiErrorCode,
  InventoryRoute,
  badRequestBody,
  routePath,
  type InventoryParsedRequest,
} from '@stockline/internal-api';
import { withTenant } from '@stockline/db';
import type { Logger } from '@stockline/observability';
import type { Actor } from '@stockline/service';
import type { ReservationService } from '../domain/reservation.service.ts';

const refuse = (res: Response, code: InternalApiErrorCode, message: string) => res.status(INTERNAL_API_STATUS[code]).json({ code, message });

/**
 * The reservation operations the orders saga needs, over HTTP+JSON, for callers holding a
 * `service` token (never a user's): the token's tenant scopes the call, `actorId` in the body
 * names the user on whose behalf it acts, for the ledger. Bodies are validated against the shared
 * contract (@stockline/internal-api). Answers 200 with `{ userErrors, ... }` for business outcomes,
 * 400 BAD_USER_INPUT naming each malformed field, 401/403 for credentials.
 */
export function useInternalApi(app: Express, { reservations, jwtSecret, logger }: { reservations: ReservationService; jwtSecret: string; logger: Logger }) {
  const router = express.Router();
  router.use(express.json({ limit: '2mb' }));
  router.use(async (req: Request, res: Response, next: NextFunction) => {
    try {
      const viewer = await verifyToken(bearerToken(req.headers.authorization), jwtSecret);
      if (!hasRole(viewer, Role.Service)) return refuse(res, InternalApiErrorCode.Forbidden, 'A service token is required');
      res.locals.tenantId = viewer.tenantId;
    } catch {
      return refuse(res, InternalApiErrorCode.Unauthenticated, 'A valid service token is required');
    }
    // The call runs in the token's tenant's scope (row-level security, docs/data.md#tenant-isolation).
    withTenant(res.locals.tenantId as string, next);
  });

  /** Validates the body against the route's request schema, then answers what `run` returns. */
  const route = <R extends InventoryRoute>(path: R, run: (actor: Actor, body: InventoryParsedRequest<R>) => Promise<unknown>) => {
    router.post(routePath(path), async (req: Request, res: Response) => {
      const parsed = INVENTORY_API[path].request.safeParse(req.body ?? {});
      if (!parsed.success) return res.status(INTERNAL_API_STATUS[InternalApiErrorCode.BadRequest]).json(badRequestBody(parsed.error));
      const body = parsed.data as InventoryParsedRequest<R>;
      try {
        res.json(await run({ tenantId: res.locals.tenantId as string, userId: body.actorId }, body));
      } catch (error) {
        logger.error({ err: error, path: req.path }, 'internal API failed');
        refuse(res, InternalApiErrorCode.Internal, 'Internal server error');
      }
    });
  };

  route(InventoryRoute.ReserveLines, (actor, body) =>
    reservations.reserveLines(actor, { lines: body.lines, reference: body.reference ?? null, idempotencyKey: body.idempotencyKey }));
  route(InventoryRoute.Consume, (actor, body) =>
    reservations.consume(actor, { consumptions: body.consumptions, reference: body.reference ?? null, idempotencyKey: body.idempotencyKey }));
  route(InventoryRoute.Release, (actor, body) => reservations.releaseReservations(actor, { reservationIds: body.reservationIds, idempotencyKey: body.idempotencyKey }));
  app.use(INTERNAL_API_BASE, router);
}
