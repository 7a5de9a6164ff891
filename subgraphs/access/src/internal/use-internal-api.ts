import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { Role, bearerToken, hasRole, verifyToken } from '@stockline/auth';
import { asSystem, withTenant } from '@stockline/db';
import type { Logger } from '@stockline/observability';
import type { ApiKeyService } from '../domain/api-key.service.ts';
import type { AuditService } from '../domain/audit.service.ts';

/** Paths of the service-to-service API; the gateway is its client. */
export const INTERNAL_API_BASE = '/internal/v1';
export enum InternalRoute {
  ResolveApiKey = '/api-keys/resolve',
  RecordAudit = '/audit',
}

const HASH = /^[0-9a-f]{64}$/;
const MAX_TEXT = 200;

/**
 * What the gateway asks of access, over HTTP+JSON, with a `service` token:
 * - resolve an API key by the SHA-256 of its secret (the secret never leaves the gateway): 200 with
 *   the key's tenant and scopes, 404 when no usable key has that hash;
 * - record an audit entry of the token's tenant (catalog and location changes seen by the gateway).
 * 400 for malformed bodies, 401/403 for credentials.
 */
export function useInternalApi(app: Express, { apiKeys, audit, jwtSecret, logger }: { apiKeys: ApiKeyService; audit: AuditService; jwtSecret: string; logger: Logger }) {
  const router = express.Router();
  router.use(express.json({ limit: '1mb' }));
  router.use(async (req: Request, res: Response, next: NextFunction) => {
    try {
      const caller = await verifyToken(bearerToken(req.headers.authorization), jwtSecret);
      if (!hasRole(caller, Role.Service)) return res.status(403).json({ code: 'FORBIDDEN', message: 'A service token is required' });
      res.locals.tenantId = caller.tenantId;
      next();
    } catch {
      res.status(401).json({ code: 'UNAUTHENTICATED', message: 'A valid service token is required' });
    }
  });
  router.post(InternalRoute.ResolveApiKey, async (req, res) => {
    const secretHash = req.body?.secretHash;
    if (typeof secretHash !== 'string' || !HASH.test(secretHash)) return res.status(400).json({ code: 'BAD_USER_INPUT', message: '"secretHash" must be 64 hex characters' });
    try {
      // The key's tenant is what the lookup finds out: it reads every tenant's keys (asSystem).
      const principal = await asSystem('an API key is found by its hash, whatever its tenant', () => apiKeys.resolveApiKey(secretHash));
      if (!principal) return res.status(404).json({ code: 'UNAUTHENTICATED', message: 'No usable API key' });
      res.json({ ...principal, expiresAt: principal.expiresAt?.toISOString() ?? null });
    } catch (error) {
      logger.error({ err: error }, 'resolving an API key failed');
      res.status(500).json({ code: 'INTERNAL_SERVER_ERROR' });
    }
  });
  router.post(InternalRoute.RecordAudit, async (req, res) => {
    const { actorId, action, details, requestId } = req.body ?? {};
    const text = (v: unknown) => typeof v === 'string' && v.length > 0 && v.length <= MAX_TEXT;
    if (!text(actorId) || !text(action) || typeof details !== 'object' || details === null || (requestId != null && !text(requestId))) {
      return res.status(400).json({ code: 'BAD_USER_INPUT', message: 'expected { actorId, action, details: object, requestId? }' });
    }
    try {
      const tenantId = res.locals.tenantId as string;
      await withTenant(tenantId, () => audit.record({ tenantId, actorId, action, details, requestId: requestId ?? null }));
      res.status(204).end();
    } catch (error) {
      logger.error({ err: error }, 'recording an audit entry failed');
      res.status(500).json({ code: 'INTERNAL_SERVER_ERROR' });
    }
  });
  app.use(INTERNAL_API_BASE, router);
}
