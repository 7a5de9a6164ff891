import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asSystem } from '@stockline/db';
import { makeImage, sizeOf } from '../support/images.ts';
import { putBytes, startMediaPlatform, type Backend, type MediaPlatform } from '../support/media-platform.ts';

const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/**
 * The media behaviour every storage backend must show, end to end through the gateway: upload,
 * verification, listing, serving, refusals, deduplication, deletion and collection, isolation.
 */
export function mediaSuite(backend: Backend) {
  let p: MediaPlatform;
  beforeAll(async () => {
    p = await startMediaPlatform(backend);
  });
  afterAll(() => p?.stop());

  /** Creates an upload and PUTs the bytes; for S3 the first read of the item completes it. */
  async function upload(itemId: string, bytes: Buffer, contentType: string, { byteSize = bytes.length, filename = 'photo' } = {}) {
    const created = await p.createUpload({ itemId, contentType, byteSize, filename });
    expect(created.data.createMediaUpload.userErrors).toEqual([]);
    const { mediaId, uploadUrl } = created.data.createMediaUpload.upload;
    const put = await putBytes(uploadUrl, bytes, contentType);
    return { mediaId, uploadUrl, put, body: await put.text() };
  }

  async function listedMedia(itemId: string, tenant = p.tenant, width = 256) {
    const { data, errors } = await p.itemMedia(itemId, tenant, width);
    expect(errors).toBeUndefined();
    return data.item.media as { id: string; url: string; thumbnailUrl: string; contentType: string; byteSize: number; width: number; height: number; sha256: string }[];
  }

  describe(`createMediaUpload and serving (${backend})`, () => {
    for (const [format, contentType] of [['png', 'image/png'], ['jpeg', 'image/jpeg']] as const) {
      it(`round-trips a ${format.toUpperCase()}: listed on the item, served with immutable caching, 304, ranges and a thumbnail of the snapped width`, async () => {
        const bytes = await makeImage(format, { width: 600, height: 400, seed: format === 'png' ? 11 : 12 });
        const { mediaId, uploadUrl, put } = await upload(p.itemIds[0], bytes, contentType);
        expect(put.status).toBe(200);
        // Filesystem: a signed PUT on the gateway's origin; S3: a presigned PUT straight to the bucket.
        if (backend === 'filesystem') expect(new URL(uploadUrl).origin).toBe(new URL(p.gatewayUrl).origin);
        else expect(new URL(uploadUrl).searchParams.get('X-Amz-Signature')).toBeTruthy();

        const media = (await listedMedia(p.itemIds[0], p.tenant, 200)).find((m) => m.id === mediaId)!;
        expect(media).toMatchObject({ contentType, byteSize: bytes.length, width: 600, height: 400, sha256: sha(bytes) });
        expect(new URL(media.url).origin).toBe(new URL(p.gatewayUrl).origin);

        const got = await fetch(media.url);
        expect(got.status).toBe(200);
        expect(Buffer.from(await got.arrayBuffer()).equals(bytes)).toBe(true);
        expect(got.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
        expect(got.headers.get('content-type')).toBe(contentType);
        expect(got.headers.get('content-length')).toBe(String(bytes.length));
        const etag = got.headers.get('etag')!;
        expect(etag).toBe(`"${sha(bytes)}"`);

        const revalidated = await fetch(media.url, { headers: { 'if-none-match': etag } });
        expect(revalidated.status).toBe(304);
        expect((await revalidated.arrayBuffer()).byteLength).toBe(0);

        const ranged = await fetch(media.url, { headers: { range: 'bytes=10-109' } });
        expect(ranged.status).toBe(206);
        expect(ranged.headers.get('content-range')).toBe(`bytes 10-109/${bytes.length}`);
        expect(Buffer.from(await ranged.arrayBuffer()).equals(bytes.subarray(10, 110))).toBe(true);
        expect((await fetch(media.url, { headers: { range: `bytes=${bytes.length}-` } })).status).toBe(416);

        expect(media.thumbnailUrl).toMatch(/\/w256\.webp$/);
        const thumb = await fetch(media.thumbnailUrl);
        expect(thumb.status).toBe(200);
        expect(thumb.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
        expect(await sizeOf(Buffer.from(await thumb.arrayBuffer()))).toMatchObject({ width: 256, format: 'webp' });
        expect(await p.objects(`renditions/${sha(bytes)}/`)).toEqual([`renditions/${sha(bytes)}/w256.webp`]);
      });
    }

    it('lists an item\'s media oldest first, WebP and GIF included', async () => {
      const itemId = p.itemIds[1];
      const webp = await makeImage('webp', { width: 40, height: 30, seed: 21 });
      const gif = await makeImage('gif', { width: 20, height: 10, seed: 22 });
      const first = await upload(itemId, webp, 'image/webp');
      const second = await upload(itemId, gif, 'image/gif');
      const listed = await listedMedia(itemId);
      expect(listed.map((m) => m.id)).toEqual([first.mediaId, second.mediaId]);
      expect(listed.map((m) => [m.width, m.height])).toEqual([[40, 30], [20, 10]]);
    });
  });

  describe(`refusals (${backend})`, () => {
    const refusedCases: [string, () => Promise<{ bytes: Buffer; contentType: string; byteSize?: number }>][] = [
      ['a text file sent as image/png', async () => ({ bytes: Buffer.from('this is not an image at all, just text\n'), contentType: 'image/png' })],
      ['a truncated PNG', async () => {
        const png = await makeImage('png', { width: 300, height: 200, seed: 31 });
        return { bytes: png.subarray(0, Math.floor(png.length / 2)), contentType: 'image/png' };
      }],
      ['a size different from the declared one', async () => {
        const png = await makeImage('png', { width: 50, height: 50, seed: 32 });
        return { bytes: png, contentType: 'image/png', byteSize: png.length + 100 };
      }],
      ['a JPEG declared as PNG', async () => ({ bytes: await makeImage('jpeg', { seed: 33 }), contentType: 'image/png' })],
    ];
    for (const [name, make] of refusedCases) {
      it(`refuses ${name}, leaving nothing attached or stored`, async () => {
        const { bytes, contentType, byteSize } = await make();
        const blobsBefore = await p.objects('blobs/');
        const created = await p.createUpload({ itemId: p.itemIds[0], contentType, byteSize: byteSize ?? bytes.length });
        const { mediaId, uploadUrl } = created.data.createMediaUpload.upload;
        const put = await putBytes(uploadUrl, bytes, contentType);
        if (backend === 'filesystem') {
          expect(put.status).toBeGreaterThanOrEqual(400);
          expect(((await put.json()) as { code: string }).code).toMatch(/^(SIZE_MISMATCH|CONTENT_TYPE_MISMATCH|UNDECODABLE_IMAGE)$/);
        }
        const listed = await listedMedia(p.itemIds[0]);
        expect(listed.map((m) => m.id)).not.toContain(mediaId);
        expect(await p.objects('blobs/')).toEqual(blobsBefore);
        expect(await p.objects('uploads/')).toEqual([]);
        // asSystem: outside any scope row-level security would hide the row whether it is there or not.
        expect(await asSystem('test', () => p.media.repository.findByIdUnscoped(mediaId))).toBeNull();
      });
    }

    it('refuses a 50 MB PUT, leaving nothing attached or stored', async () => {
      const blobsBefore = await p.objects('blobs/');
      const created = await p.createUpload({ itemId: p.itemIds[0], contentType: 'image/png', byteSize: 1000 });
      const { mediaId, uploadUrl } = created.data.createMediaUpload.upload;
      const big = Buffer.alloc(50 * 1024 * 1024, 7);
      const status = await putBytes(uploadUrl, big, 'image/png').then((r) => r.status, () => 'connection refused');
      // The filesystem backend refuses the PUT itself. Real S3 refuses it too (the presigned URL signs
      // the content length), but s3rver does not check that signature: there the refusal is the
      // verification's, which deletes the object, and the media never appears.
      if (backend === 'filesystem') expect(status).not.toBe(200);
      const listed = await listedMedia(p.itemIds[0]);
      expect(listed.map((m) => m.id)).not.toContain(mediaId);
      expect(await p.objects('blobs/')).toEqual(blobsBefore);
      expect(await p.objects('uploads/')).toEqual([]);
    });

    it('refuses a declared size over the limit with LIMIT_EXCEEDED and an unknown type with INVALID_INPUT', async () => {
      const tooBig = await p.createUpload({ itemId: p.itemIds[0], contentType: 'image/png', byteSize: 10 * 1024 * 1024 + 1 });
      expect(tooBig.data.createMediaUpload).toEqual({ upload: null, userErrors: [{ code: 'LIMIT_EXCEEDED', field: ['byteSize'] }] });
      const svg = await p.createUpload({ itemId: p.itemIds[0], contentType: 'image/svg+xml', byteSize: 100 });
      expect(svg.data.createMediaUpload.userErrors).toEqual([{ code: 'INVALID_INPUT', field: ['contentType'] }]);
    });

    for (const filename of ['../../etc/passwd', '..', 'a/b.png', 'a\\b.png', '.htaccess']) {
      it(`refuses the filename ${JSON.stringify(filename)} with INVALID_INPUT and creates no upload`, async () => {
        const result = await p.createUpload({ itemId: p.itemIds[0], contentType: 'image/png', byteSize: 100, filename });
        expect(result.data.createMediaUpload).toEqual({ upload: null, userErrors: [{ code: 'INVALID_INPUT', field: ['filename'] }] });
      });
    }

    if (backend === 'filesystem') {
      it('refuses a forged upload signature with 403 and a second PUT on a used URL with 409', async () => {
        const bytes = await makeImage('png', { width: 16, height: 16, seed: 35 });
        const { uploadUrl, put } = await upload(p.itemIds[0], bytes, 'image/png');
        expect(put.status).toBe(200);
        const again = await putBytes(uploadUrl, bytes, 'image/png');
        expect([again.status, ((await again.json()) as { code: string }).code]).toEqual([409, 'ALREADY_UPLOADED']);
        const forged = new URL(uploadUrl);
        forged.searchParams.set('expires', String(Number(forged.searchParams.get('expires')) + 3600));
        const refused = await putBytes(forged.toString(), bytes, 'image/png');
        expect([refused.status, ((await refused.json()) as { code: string }).code]).toEqual([403, 'UPLOAD_URL_INVALID']);
      });
    }

    it('forgets an upload whose URL expired without bytes on the sweeper\'s round', async () => {
      const created = await p.createUpload({ itemId: p.itemIds[0], contentType: 'image/png', byteSize: 100 });
      const { mediaId } = created.data.createMediaUpload.upload;
      await asSystem('test', () => p.media.db.media.update({ where: { id: mediaId }, data: { expiresAt: new Date(Date.now() - 1000) } }));
      const swept = await p.media.sweeper.sweep();
      expect(swept.expiredUploads).toBeGreaterThanOrEqual(1);
      expect(await asSystem('test', () => p.media.repository.findByIdUnscoped(mediaId))).toBeNull();
    });

    it('refuses createMediaUpload to a viewer with FORBIDDEN', async () => {
      const result = await p.createUpload({ itemId: p.itemIds[0], contentType: 'image/png', byteSize: 100 }, p.tenant, ['viewer']);
      expect(result.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    });
  });

  describe(`deduplication and collection (${backend})`, () => {
    it('stores concurrent uploads of the same bytes as one object, each listed as its own media', async () => {
      const bytes = await makeImage('png', { width: 120, height: 80, seed: 41 });
      const results = await Promise.all([0, 1, 2, 3].map(() => upload(p.itemIds[1], bytes, 'image/png')));
      const listed = await listedMedia(p.itemIds[1]);
      const ids = results.map((r) => r.mediaId);
      expect(listed.filter((m) => ids.includes(m.id)).map((m) => m.sha256)).toEqual(Array(4).fill(sha(bytes)));
      expect((await p.objects('blobs/')).filter((k) => k === `blobs/${sha(bytes)}`)).toHaveLength(1);
      expect(new Set(listed.filter((m) => ids.includes(m.id)).map((m) => m.url)).size).toBe(4);
    });

    it('deleteMedia unlinks at once; the bytes are collected only once no media references them', async () => {
      const bytes = await makeImage('png', { width: 64, height: 64, seed: 51 });
      const a = await upload(p.itemIds[0], bytes, 'image/png');
      const b = await upload(p.itemIds[1], bytes, 'image/png');
      const [mediaA] = (await listedMedia(p.itemIds[0])).filter((m) => m.id === a.mediaId);
      await fetch(mediaA.thumbnailUrl);

      const deleted = await p.as(p.tenant, ['admin'], `mutation($id: ID!) { deleteMedia(id: $id) { deletedId userErrors { code } } }`, { id: a.mediaId });
      expect(deleted.data.deleteMedia).toEqual({ deletedId: a.mediaId, userErrors: [] });
      expect((await listedMedia(p.itemIds[0])).map((m) => m.id)).not.toContain(a.mediaId);
      expect((await fetch(mediaA.url)).status).toBe(404);

      await p.media.sweeper.sweep();
      expect(await p.objects('blobs/')).toContain(`blobs/${sha(bytes)}`);
      expect((await listedMedia(p.itemIds[1])).map((m) => m.id)).toContain(b.mediaId);

      await p.as(p.tenant, ['admin'], `mutation($id: ID!) { deleteMedia(id: $id) { deletedId } }`, { id: b.mediaId });
      const swept = await p.media.sweeper.sweep();
      expect(swept.collectedBlobs).toBeGreaterThanOrEqual(1);
      expect(await p.objects('blobs/')).not.toContain(`blobs/${sha(bytes)}`);
      expect(await p.objects(`renditions/${sha(bytes)}/`)).toEqual([]);
    });

    it('refuses deleteMedia of an unknown id with NOT_FOUND', async () => {
      const result = await p.as(p.tenant, ['admin'], `mutation { deleteMedia(id: "00000000-0000-4000-8000-000000000000") { deletedId userErrors { code field } } }`);
      expect(result.data.deleteMedia).toEqual({ deletedId: null, userErrors: [{ code: 'NOT_FOUND', field: ['id'] }] });
    });
  });

  describe(`tenant isolation (${backend})`, () => {
    it('refuses to attach media to another tenant\'s item with NOT_FOUND', async () => {
      const result = await p.createUpload({ itemId: p.otherItemId, contentType: 'image/png', byteSize: 100 });
      expect(result.data.createMediaUpload).toEqual({ upload: null, userErrors: [{ code: 'NOT_FOUND', field: ['itemId'] }] });
    });

    it('neither lists nor deletes another tenant\'s media, and serves no unlisted media', async () => {
      const bytes = await makeImage('png', { width: 32, height: 32, seed: 61 });
      const created = await p.createUpload({ itemId: p.otherItemId, contentType: 'image/png', byteSize: bytes.length }, p.other);
      const { mediaId, uploadUrl } = created.data.createMediaUpload.upload;
      expect((await putBytes(uploadUrl, bytes, 'image/png')).status).toBe(200);
      const [theirs] = await listedMedia(p.otherItemId, p.other);
      expect(theirs.id).toBe(mediaId);

      // The other item, read as this tenant: inventory finds no such item, and media lists nothing for it.
      const mine = await p.as(p.tenant, ['viewer'], `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Item { media { id } } } }`, { reps: [{ __typename: 'Item', id: p.otherItemId }] });
      expect(mine.data?._entities?.[0]?.media ?? []).toEqual([]);
      const stolen = await p.as(p.tenant, ['admin'], `mutation($id: ID!) { deleteMedia(id: $id) { deletedId userErrors { code } } }`, { id: mediaId });
      expect(stolen.data.deleteMedia).toEqual({ deletedId: null, userErrors: [{ code: 'NOT_FOUND' }] });

      // A URL that does not name a listed media (wrong id for the bytes, or a pending upload) is 404.
      const [own] = await listedMedia(p.itemIds[0]);
      expect((await fetch(theirs.url.replace(mediaId, own.id))).status).toBe(404);
      const pending = await p.createUpload({ itemId: p.otherItemId, contentType: 'image/png', byteSize: bytes.length }, p.other);
      expect((await fetch(theirs.url.replace(mediaId, pending.data.createMediaUpload.upload.mediaId))).status).toBe(404);
    });
  });
}
