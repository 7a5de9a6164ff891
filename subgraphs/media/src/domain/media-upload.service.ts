import { UserErrorCode, userError, type UserError } from '@stockline/errors';
import type { Logger } from '@stockline/observability';
import { isUuid, type Actor } from '@stockline/service';
import type { InventoryItemsClient } from '../data/inventory-items.client.ts';
import type { MediaRepository } from '../data/media.repository.ts';
import { TooLargeError, type ObjectStorage } from '../storage/object-storage.ts';
import type { ImageType } from './image-types.ts';
import { UploadRefusal, inspectUpload } from './inspect-upload.ts';
import { signedUploadUrl } from './media-urls.ts';
import { storageKey, type MediaRecord } from './records.ts';
import { validateUpload, type CreateMediaUploadInput } from './upload-validation.ts';

export interface MediaUploadPayload {
  upload: { mediaId: string; uploadUrl: string; expiresAt: Date } | null;
  userErrors: UserError[];
}

/** What happened to uploaded bytes. */
export type UploadOutcome =
  | { ok: true; media: MediaRecord }
  | { ok: false; code: UploadRefusal | UploadProblem; message: string };

/** Upload problems that are not about the bytes themselves. */
export enum UploadProblem {
  NotFound = 'UPLOAD_NOT_FOUND',
  InProgress = 'UPLOAD_IN_PROGRESS',
  AlreadyUploaded = 'ALREADY_UPLOADED',
  NoBytes = 'NO_BYTES_UPLOADED',
  TooLarge = 'TOO_LARGE',
}

export interface MediaUploadServiceOptions {
  repository: MediaRepository;
  storage: ObjectStorage;
  inventory: InventoryItemsClient;
  /** The public origin (gateway or CDN) upload and media URLs are built on. */
  publicUrl: () => string;
  /** HMAC key of the filesystem backend's upload URLs. */
  signingKey: string;
  maxBytes: number;
  uploadTtlSeconds: number;
  logger: Logger;
}

/**
 * The upload flow: hand out a URL for one PUT, then verify what arrived (exact size, magic number
 * of the declared type, a full decode) before the media is linked to its item. Verified bytes are
 * stored once per sha256; refused bytes leave nothing behind (no row, no object).
 */
export class MediaUploadService {
  constructor(private readonly options: MediaUploadServiceOptions) {}

  /** Validates the request, checks the item is the caller's (inventory), and returns a URL valid for uploadTtlSeconds. */
  async createMediaUpload(actor: Actor & { token: string }, input: CreateMediaUploadInput): Promise<MediaUploadPayload> {
    const { repository, storage, maxBytes, uploadTtlSeconds } = this.options;
    const userErrors = validateUpload(input, { maxBytes });
    if (userErrors.length) return { upload: null, userErrors };
    if (!isUuid(input.itemId) || !(await this.options.inventory.itemExists(actor.token, input.itemId))) {
      return { upload: null, userErrors: [userError(UserErrorCode.NotFound, `No item ${input.itemId} in this tenant`, ['itemId'], { itemId: input.itemId })] };
    }
    const contentType = input.contentType.toLowerCase();
    const expiresAt = new Date(Date.now() + uploadTtlSeconds * 1000);
    const media = await repository.create({
      tenantId: actor.tenantId,
      itemId: input.itemId,
      filename: input.filename,
      contentType,
      byteSize: input.byteSize,
      expiresAt,
      createdBy: actor.userId,
    });
    const presigned = await storage.presignPut(storageKey.upload(media.id), { contentType, byteSize: input.byteSize, expiresInSeconds: uploadTtlSeconds });
    const uploadUrl = presigned ?? signedUploadUrl(this.options.publicUrl(), this.options.signingKey, media.id, expiresAt);
    return { upload: { mediaId: media.id, uploadUrl, expiresAt }, userErrors: [] };
  }

  /** Filesystem backend: bytes PUT to the service's signed URL, verified right away. */
  async receiveUpload(mediaId: string, bytes: Buffer): Promise<UploadOutcome> {
    const claimed = await this.options.repository.claim(mediaId);
    if (!claimed) return this.unclaimable(mediaId);
    return this.verifyAndStore(claimed, bytes);
  }

  /** The upload a PUT names, whatever its state (the signed URL is the credential: no tenant scope). */
  findUpload(mediaId: string): Promise<MediaRecord | null> {
    return this.options.repository.findByIdUnscoped(mediaId);
  }

  /** Filesystem backend: a PUT whose body is bigger than declared (or of another type) is refused without reading it all. */
  async refuseUpload(mediaId: string, code: UploadRefusal, message: string): Promise<UploadOutcome> {
    const claimed = await this.options.repository.claim(mediaId);
    if (!claimed) return this.unclaimable(mediaId);
    return this.refuse(claimed, code, message);
  }

  /**
   * S3 backend: the client PUT straight to the bucket, so the service learns of it here — when the
   * item's media are read, or on the sweeper's round. Uploads whose object is not there yet stay pending.
   */
  async completeUploads(mediaIds: string[]): Promise<void> {
    for (const id of mediaIds) {
      try {
        await this.completeUpload(id);
      } catch (err) {
        this.options.logger.error({ err, mediaId: id }, 'completing an upload failed; the sweeper retries');
      }
    }
  }

  async completeUpload(mediaId: string): Promise<UploadOutcome | null> {
    const { repository, storage } = this.options;
    const key = storageKey.upload(mediaId);
    if (!(await storage.stat(key))) return null;
    const claimed = await repository.claim(mediaId);
    if (!claimed) return null;
    let bytes: Buffer | null;
    try {
      // One byte more than declared is enough to tell a size mismatch.
      bytes = await storage.read(key, claimed.byteSize + 1);
    } catch (error) {
      if (!(error instanceof TooLargeError)) {
        await repository.release(mediaId);
        throw error;
      }
      return this.refuse(claimed, UploadRefusal.SizeMismatch, `the uploaded object is larger than the ${claimed.byteSize} bytes declared`);
    }
    if (!bytes) {
      await repository.release(mediaId);
      return null;
    }
    return this.verifyAndStore(claimed, bytes);
  }

  private async verifyAndStore(claimed: MediaRecord, bytes: Buffer): Promise<UploadOutcome> {
    const { repository, storage, logger } = this.options;
    const inspection = await inspectUpload(bytes, { contentType: claimed.contentType as ImageType, byteSize: claimed.byteSize });
    if (!inspection.ok) return this.refuse(claimed, inspection.refusal, inspection.message);
    const { sha256, width, height } = inspection;
    try {
      await repository.touchBlob({ sha256, byteSize: bytes.length, contentType: claimed.contentType, width, height });
      // Always written, even when the blob row existed: content-addressed, so a rewrite is the same object.
      await storage.put(storageKey.blob(sha256), bytes, claimed.contentType);
      await repository.markReady({ id: claimed.id, sha256, width, height });
    } catch (error) {
      await repository.release(claimed.id);
      throw error;
    }
    await storage.delete(storageKey.upload(claimed.id)).catch((err) => logger.warn({ err, mediaId: claimed.id }, 'upload object left for the sweeper'));
    logger.info({ mediaId: claimed.id, sha256, width, height }, 'media verified');
    return { ok: true, media: { ...claimed, status: 'READY', sha256, width, height } };
  }

  private async refuse(claimed: MediaRecord, code: UploadRefusal, message: string): Promise<UploadOutcome> {
    await this.options.storage.delete(storageKey.upload(claimed.id));
    await this.options.repository.deleteUnverified(claimed.id);
    this.options.logger.info({ mediaId: claimed.id, code }, 'upload refused');
    return { ok: false, code, message };
  }

  private async unclaimable(mediaId: string): Promise<UploadOutcome> {
    const media = await this.options.repository.findByIdUnscoped(mediaId);
    if (!media) return { ok: false, code: UploadProblem.NotFound, message: `No upload ${mediaId} is waiting for bytes` };
    if (media.status === 'READY') return { ok: false, code: UploadProblem.AlreadyUploaded, message: `Upload ${mediaId} already received its bytes` };
    return { ok: false, code: UploadProblem.InProgress, message: `Upload ${mediaId} is being verified` };
  }
}
