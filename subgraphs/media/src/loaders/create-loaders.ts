import DataLoader from 'dataloader';
import type { Actor } from '@stockline/service';
import type { MediaService } from '../domain/media.service.ts';
import type { ReadyMedia } from '../domain/records.ts';

/** One batched, tenant-scoped query per request for every `Item.media` the operation selects. */
export function createLoaders(media: MediaService, actor: Actor) {
  return {
    mediaOfItem: new DataLoader<string, ReadyMedia[]>((itemIds) => media.listForItems(actor, itemIds)),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
