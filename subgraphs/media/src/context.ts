import type { Actor, BaseContext } from '@stockline/service';
import type { MediaDeliveryService } from './domain/media-delivery.service.ts';
import type { MediaUploadService } from './domain/media-upload.service.ts';
import type { MediaService } from './domain/media.service.ts';
import { createLoaders, type Loaders } from './loaders/create-loaders.ts';

export interface MediaServices {
  media: MediaService;
  uploads: MediaUploadService;
  delivery: MediaDeliveryService;
}

export interface MediaContext extends BaseContext {
  actor: Actor;
  services: MediaServices;
  loaders: Loaders;
  /** Public origin of media URLs (the gateway or a CDN). */
  publicUrl: string;
}

export function buildMediaContext(base: BaseContext, services: MediaServices, publicUrl: string): MediaContext {
  const actor = { tenantId: base.viewer.tenantId, userId: base.viewer.userId };
  return { ...base, actor, services, loaders: createLoaders(services.media, actor), publicUrl };
}
