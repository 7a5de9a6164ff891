import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FilesystemStorage } from '../src/storage/filesystem-storage.ts';
import { TooLargeError, type ObjectStorage } from '../src/storage/object-storage.ts';
import { S3Storage } from '../src/storage/s3-storage.ts';
import { S3RVER_CREDENTIALS, startS3rver } from './support/start-s3rver.ts';

/** The same expectations for every backend: whatever the media service relies on. */
function storageContract(name: string, open: () => Promise<{ storage: ObjectStorage; close: () => Promise<void> }>) {
  describe(`${name} storage`, () => {
    let storage: ObjectStorage;
    let close: () => Promise<void>;
    beforeAll(async () => {
      ({ storage, close } = await open());
      await storage.prepare();
    });
    afterAll(() => close());

    it('writes, stats, reads whole and by range, and replaces an object', async () => {
      await storage.put('blobs/abc', Buffer.from('hello world'), 'text/plain');
      expect(await storage.stat('blobs/abc')).toEqual({ size: 11 });
      expect((await storage.read('blobs/abc', 100))?.toString()).toBe('hello world');
      expect(await text((await storage.get('blobs/abc', { start: 6, end: 10 }))!)).toBe('world');
      await storage.put('blobs/abc', Buffer.from('HELLO WORLD'), 'text/plain');
      expect(await text((await storage.get('blobs/abc'))!)).toBe('HELLO WORLD');
    });

    it('answers null for a missing object and deletes idempotently', async () => {
      expect(await storage.stat('blobs/missing')).toBeNull();
      expect(await storage.get('blobs/missing')).toBeNull();
      expect(await storage.read('blobs/missing', 10)).toBeNull();
      await storage.put('uploads/gone', Buffer.from('x'), 'text/plain');
      await storage.delete('uploads/gone');
      await storage.delete('uploads/gone');
      expect(await storage.stat('uploads/gone')).toBeNull();
    });

    it('refuses to read an object bigger than allowed', async () => {
      await storage.put('uploads/big', Buffer.alloc(20), 'application/octet-stream');
      await expect(storage.read('uploads/big', 19)).rejects.toBeInstanceOf(TooLargeError);
    });

    it('lists keys under a prefix, nested ones included', async () => {
      await storage.put('renditions/s1/w64.webp', Buffer.from('a'), 'image/webp');
      await storage.put('renditions/s1/w128.webp', Buffer.from('b'), 'image/webp');
      await storage.put('renditions/s2/w64.webp', Buffer.from('c'), 'image/webp');
      expect(await storage.list('renditions/s1/')).toEqual(['renditions/s1/w128.webp', 'renditions/s1/w64.webp']);
    });

    it('refuses keys that could leave the storage root', async () => {
      await expect(storage.put('blobs/../../etc/passwd', Buffer.from('x'), 'text/plain')).rejects.toThrow(/unsafe storage key/);
    });
  });
}

storageContract('filesystem', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'stockline-media-fs-'));
  return { storage: new FilesystemStorage(dir), close: () => rm(dir, { recursive: true, force: true }) };
});

storageContract('S3 (s3rver)', async () => {
  const s3 = await startS3rver('contract');
  const storage = new S3Storage({ endpoint: s3.endpoint, bucket: s3.bucket, region: 'us-east-1', forcePathStyle: true, ...S3RVER_CREDENTIALS });
  return { storage, close: async () => (await storage.close(), await s3.stop()) };
});
