import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { uniqueTenant } from '@stockline/testkit';
import { seedCatalog } from '../../../../test/support/fixtures.ts';
import { startTestPlatform } from '../../../../test/support/test-platform.ts';
import { startS3rver } from './start-s3rver.ts';

export type Backend = 'filesystem' | 's3';

const UPLOAD = `mutation($itemId: ID!, $filename: String!, $contentType: String!, $byteSize: Int!) {
  createMediaUpload(itemId: $itemId, filename: $filename, contentType: $contentType, byteSize: $byteSize) {
    upload { mediaId uploadUrl expiresAt }
    userErrors { code field }
  }
}`;

export const ITEM_MEDIA = `query($id: ID!, $w: Int) { item(id: $id) { id sku media { id url thumbnailUrl(width: $w) contentType byteSize width height sha256 createdAt } } }`;

/**
 * The whole platform in-process (gateway, inventory, orders, media, …) on a fresh database, with the
 * media service on `backend`: a temporary directory, or s3rver on loopback. Two tenants with one item each.
 */
export async function startMediaPlatform(backend: Backend) {
  const dir = await mkdtemp(join(tmpdir(), 'stockline-media-e2e-'));
  const s3 = backend === 's3' ? await startS3rver() : null;
  const platform = await startTestPlatform({
    redis: false,
    env: {
      MEDIA_DATA_DIR: dir,
      MEDIA_GC_INTERVAL_MS: '3600000',
      MEDIA_GC_GRACE_SECONDS: '0',
      LOG_LEVEL: 'error',
      ...(s3?.env ?? {}),
    },
  });
  const tenant = uniqueTenant('media');
  const other = uniqueTenant('media-other');
  const [{ itemIds }, { itemIds: otherItemIds }] = [await seedCatalog(platform, tenant, { items: 2 }), await seedCatalog(platform, other, { items: 1 })];
  return {
    ...platform,
    backend,
    tenant,
    other,
    itemIds,
    otherItemId: otherItemIds[0],
    storage: platform.media.storage,
    /** createMediaUpload through the gateway as an admin of `tenant`. */
    createUpload(input: { itemId: string; filename?: string; contentType: string; byteSize: number }, as = tenant, roles = ['admin']) {
      return platform.as(as, roles, UPLOAD, { filename: 'photo', ...input });
    },
    itemMedia(itemId: string, as = tenant, width = 256) {
      return platform.as(as, ['viewer'], ITEM_MEDIA, { id: itemId, w: width });
    },
    /** Objects currently stored under a prefix (`blobs/`, `uploads/`, `renditions/`). */
    objects: (prefix: string) => platform.media.storage.list(prefix),
    async stop() {
      await platform.stop();
      await s3?.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export type MediaPlatform = Awaited<ReturnType<typeof startMediaPlatform>>;

/** PUTs bytes to an upload URL as a client would (no token: the URL is the credential). */
export function putBytes(url: string, bytes: Buffer | Uint8Array, contentType: string) {
  return fetch(url, { method: 'PUT', headers: { 'content-type': contentType }, body: bytes });
}
