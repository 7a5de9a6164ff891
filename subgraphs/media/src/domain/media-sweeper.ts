import { asSystem } from '@stockline/db';
import type { Logger } from '@stockline/observability';
import type { MediaRepository } from '../data/media.repository.ts';
import type { ObjectStorage } from '../storage/object-storage.ts';
import type { MediaUploadService } from './media-upload.service.ts';
import { storageKey } from './records.ts';

const BLOB_BATCH = 100;

export interface SweepResult {
  completedUploads: number;
  expiredUploads: number;
  orphanUploadObjects: number;
  collectedBlobs: number;
}

/**
 * The periodic round: completes S3 uploads whose bytes arrived, forgets uploads whose URL expired,
 * removes upload objects nothing waits for, and collects blobs no media references (with their
 * thumbnails). Bytes are never removed while a media row references them; see
 * MediaRepository.collectBlobs for why that holds under concurrency.
 */
export class MediaSweeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | null = null;

  constructor(private readonly options: {
    repository: MediaRepository;
    storage: ObjectStorage;
    uploads: MediaUploadService;
    intervalMs: number;
    graceSeconds: number;
    logger: Logger;
  }) {}

  /** One pass over every tenant's uploads and blobs (asSystem: the owner's connection). */
  sweep(): Promise<SweepResult> {
    return asSystem('the media sweeper collects every tenant\'s uploads and blobs', () => this.sweepAll());
  }

  private async sweepAll(): Promise<SweepResult> {
    const { repository, storage, uploads, graceSeconds } = this.options;
    const uploadIds = (await storage.list('uploads/')).map((key) => key.slice('uploads/'.length));
    const waiting = uploadIds.length ? await repository.pendingIds(uploadIds) : [];
    await uploads.completeUploads(waiting);

    const expired = await repository.findExpiredUploadIds(graceSeconds);
    for (const id of expired) {
      await storage.delete(storageKey.upload(id));
      await repository.deleteUnverified(id);
    }

    const known = uploadIds.length ? await repository.existingIds(uploadIds) : new Set<string>();
    const orphans = uploadIds.filter((id) => !known.has(id));
    for (const id of orphans) await storage.delete(storageKey.upload(id));

    let collectedBlobs = 0;
    for (;;) {
      const collected = await repository.collectBlobs({
        graceSeconds,
        limit: BLOB_BATCH,
        removeBytes: async (sha256) => {
          for (const key of await storage.list(storageKey.renditions(sha256))) await storage.delete(key);
          await storage.delete(storageKey.blob(sha256));
        },
      });
      collectedBlobs += collected.length;
      if (collected.length < BLOB_BATCH) break;
    }
    return { completedUploads: waiting.length, expiredUploads: expired.length, orphanUploadObjects: orphans.length, collectedBlobs };
  }

  start(): void {
    const tick = () => {
      this.running = this.sweep()
        .then((result) => this.options.logger.debug({ ...result }, 'media sweep done'))
        .catch((err) => this.options.logger.error({ err }, 'media sweep failed; retrying next round'))
        .finally(() => {
          this.running = null;
          if (this.timer) this.timer = setTimeout(tick, this.options.intervalMs);
        });
    };
    this.timer = setTimeout(tick, this.options.intervalMs);
  }

  /** Stops the loop and waits for a round in progress. */
  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
