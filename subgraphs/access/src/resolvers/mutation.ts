import { Scope, requireScope } from '@stockline/auth';
import type { AccessContext } from '../context.ts';
import type { CreateApiKeyInput } from '../domain/api-key-validation.ts';

type Ctx = AccessContext;
const admin = (ctx: Ctx) => requireScope(ctx.viewer, Scope.Admin);

export const Mutation = {
  createApiKey: (_: unknown, args: CreateApiKeyInput, ctx: Ctx) => (admin(ctx), ctx.services.apiKeys.createApiKey(ctx.viewer, ctx.requestId, args)),
  revokeApiKey: (_: unknown, { id }: { id: string }, ctx: Ctx) => (admin(ctx), ctx.services.apiKeys.revokeApiKey(ctx.viewer, ctx.requestId, id)),
};
