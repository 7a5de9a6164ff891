import { Scope, requireScope } from '@stockline/auth';
import { BadUserInputError } from '@stockline/errors';
import type { MediaContext } from '../context.ts';
import { originalUrl, snapWidth, thumbnailUrl } from '../domain/media-urls.ts';
import type { ReadyMedia } from '../domain/records.ts';

type Ctx = MediaContext;
const MAX_THUMBNAIL_REQUEST = 10_000;

/** Items belong to inventory; media only adds their list of media (a tenant's own items only). */
export const Item = {
  __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
  media: (item: { id: string }, _: unknown, ctx: Ctx) => (requireScope(ctx.viewer, Scope.ReadMedia), ctx.loaders.mediaOfItem.load(item.id)),
};

export const Media = {
  url: (media: ReadyMedia, _: unknown, ctx: Ctx) => originalUrl(ctx.publicUrl, media),
  thumbnailUrl(media: ReadyMedia, { width }: { width: number }, ctx: Ctx) {
    if (!Number.isInteger(width) || width < 1 || width > MAX_THUMBNAIL_REQUEST) {
      throw new BadUserInputError(`"width" must be between 1 and ${MAX_THUMBNAIL_REQUEST}; got ${width}`, 'width');
    }
    return thumbnailUrl(ctx.publicUrl, media, snapWidth(width));
  },
};
