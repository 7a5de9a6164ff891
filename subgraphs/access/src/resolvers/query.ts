import { Scope, requireScope, requireViewer } from '@stockline/auth';
import type { AccessContext } from '../context.ts';

type Ctx = AccessContext;
const admin = (ctx: Ctx) => requireScope(ctx.viewer, Scope.Admin);

export const Query = {
  viewer: (_: unknown, __: unknown, ctx: Ctx) => requireViewer(ctx.viewer),
  apiKeys: (_: unknown, __: unknown, ctx: Ctx) => (admin(ctx), ctx.services.apiKeys.listApiKeys(ctx.viewer)),
  auditLog: (_: unknown, args: { first?: number | null; after?: string | null; action?: string | null }, ctx: Ctx) =>
    (admin(ctx), ctx.services.audit.listAuditLog(ctx.actor, args)),
};
