import { Scope, requireScope } from '@stockline/auth';
import type { MediaContext } from '../context.ts';
import type { CreateMediaUploadInput } from '../domain/upload-validation.ts';

type Ctx = MediaContext;
const admin = (ctx: Ctx) => requireScope(ctx.viewer, Scope.WriteMedia);

export const Mutation = {
  createMediaUpload: (_: unknown, input: CreateMediaUploadInput, ctx: Ctx) =>
    (admin(ctx), ctx.services.uploads.createMediaUpload({ ...ctx.actor, token: ctx.viewer.token }, input)),
  deleteMedia: (_: unknown, { id }: { id: string }, ctx: Ctx) => (admin(ctx), ctx.services.media.deleteMedia(ctx.actor, id)),
};
