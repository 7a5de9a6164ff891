import { createHmac, timingSafeEqual } from 'node:crypto';
import { EXTENSION, type ImageType } from './image-types.ts';

/** Widths thumbnails are rendered at; a requested width snaps up to the next one (so caches stay small). */
export const THUMBNAIL_WIDTHS = [64, 128, 256, 512, 1024, 2048] as const;
export const THUMBNAIL_FORMAT = { extension: 'webp', contentType: 'image/webp' } as const;

/** The smallest thumbnail width at least `width` (the largest when none is). */
export function snapWidth(width: number): number {
  return THUMBNAIL_WIDTHS.find((w) => w >= width) ?? THUMBNAIL_WIDTHS[THUMBNAIL_WIDTHS.length - 1];
}

/** Path prefix of everything media serves; the gateway proxies it (gateway/src/media/proxy-media.ts). */
export const MEDIA_PATH = '/media';

/**
 * `<base>/media/<mediaId>/<sha256>.<ext>`: names the exact bytes (a new upload is a new URL, so it can
 * be cached forever) and the media row (an id only its tenant was told; a deleted or unverified
 * media answers 404).
 */
export function originalUrl(base: string, media: { id: string; sha256: string; contentType: string }): string {
  return `${base}${MEDIA_PATH}/${media.id}/${media.sha256}.${EXTENSION[media.contentType as ImageType] ?? 'bin'}`;
}

/** `<base>/media/<mediaId>/<sha256>/w<width>.webp`, width already snapped. */
export function thumbnailUrl(base: string, media: { id: string; sha256: string }, width: number): string {
  return `${base}${MEDIA_PATH}/${media.id}/${media.sha256}/w${width}.${THUMBNAIL_FORMAT.extension}`;
}

const signature = (key: string, mediaId: string, expires: number) =>
  createHmac('sha256', key).update(`media-upload:${mediaId}:${expires}`).digest('base64url');

/** The filesystem backend's upload URL: a PUT on the media service, signed, valid until `expiresAt`. */
export function signedUploadUrl(base: string, key: string, mediaId: string, expiresAt: Date): string {
  const expires = Math.floor(expiresAt.getTime() / 1000);
  return `${base}${MEDIA_PATH}/uploads/${mediaId}?expires=${expires}&signature=${signature(key, mediaId, expires)}`;
}

/** Whether an upload URL's signature is ours and unexpired ('expired' / 'invalid' otherwise). */
export function checkUploadSignature(key: string, mediaId: string, expires: unknown, given: unknown, now = Date.now()): 'ok' | 'expired' | 'invalid' {
  if (typeof expires !== 'string' || typeof given !== 'string' || !/^\d{1,12}$/.test(expires)) return 'invalid';
  const expected = Buffer.from(signature(key, mediaId, Number(expires)));
  const actual = Buffer.from(given);
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return 'invalid';
  return Number(expires) * 1000 < now ? 'expired' : 'ok';
}
