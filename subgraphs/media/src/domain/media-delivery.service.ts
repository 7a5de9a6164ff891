import type { Readable } from 'node:stream';
import sharp from 'sharp';
import type { MediaRepository } from '../data/media.repository.ts';
import type { ByteRange, ObjectStorage } from '../storage/object-storage.ts';
import { THUMBNAIL_FORMAT, THUMBNAIL_WIDTHS } from './media-urls.ts';
import { isUuid } from '@stockline/service';
import { storageKey } from './records.ts';

/** Something to send: its type, size, strong validator, and a way to open it (or a range of it). */
export interface Deliverable {
  contentType: string;
  size: number;
  etag: string;
  open(range?: ByteRange): Promise<Readable | null>;
}

/**
 * Finds the bytes behind a public media URL. A URL answers only while its media is verified and
 * listed (not pending, not deleted) and names that media's exact content; anything else is null (404).
 */
export class MediaDeliveryService {
  private readonly rendering = new Map<string, Promise<number>>();

  constructor(
    private readonly repository: MediaRepository,
    private readonly storage: ObjectStorage,
  ) {}

  async original(mediaId: string, sha256: string): Promise<Deliverable | null> {
    const media = await this.listed(mediaId, sha256);
    if (!media) return null;
    const key = storageKey.blob(sha256);
    const stat = await this.storage.stat(key);
    if (!stat) return null;
    return { contentType: media.contentType, size: stat.size, etag: `"${sha256}"`, open: (range) => this.storage.get(key, range) };
  }

  /** A thumbnail of one of THUMBNAIL_WIDTHS, rendered with sharp on first request and kept in storage. */
  async thumbnail(mediaId: string, sha256: string, width: number): Promise<Deliverable | null> {
    if (!(THUMBNAIL_WIDTHS as readonly number[]).includes(width)) return null;
    const media = await this.listed(mediaId, sha256);
    if (!media) return null;
    const key = storageKey.rendition(sha256, width, THUMBNAIL_FORMAT.extension);
    const size = (await this.storage.stat(key))?.size ?? (await this.render(key, sha256, width));
    if (size === null) return null;
    return { contentType: THUMBNAIL_FORMAT.contentType, size, etag: `"${sha256}-w${width}"`, open: (range) => this.storage.get(key, range) };
  }

  private async listed(mediaId: string, sha256: string) {
    if (!isUuid(mediaId)) return null;
    // By id alone: the URL is the credential (an unguessable id its tenant was given), as with any CDN URL.
    const media = await this.repository.findByIdUnscoped(mediaId);
    return media?.status === 'READY' && media.sha256 === sha256 ? media : null;
  }

  /** Renders once per key even when many requests ask at the same moment. */
  private render(key: string, sha256: string, width: number): Promise<number | null> {
    let pending = this.rendering.get(key);
    if (!pending) {
      pending = (async () => {
        const original = await this.storage.read(storageKey.blob(sha256), Number.MAX_SAFE_INTEGER);
        if (!original) throw new Error(`blob ${sha256} is missing from storage`);
        // No enlargement: a thumbnail wider than its original is the original's width.
        const bytes = await sharp(original, { animated: false }).rotate().resize({ width, withoutEnlargement: true }).webp({ quality: 80 }).toBuffer();
        await this.storage.put(key, bytes, THUMBNAIL_FORMAT.contentType);
        return bytes.length;
      })().finally(() => this.rendering.delete(key));
      this.rendering.set(key, pending);
    }
    return pending;
  }
}
