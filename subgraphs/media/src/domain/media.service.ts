import { UserErrorCode, userError, type UserError } from '@stockline/errors';
import { isUuid, type Actor } from '@stockline/service';
import type { MediaRepository } from '../data/media.repository.ts';
import type { ObjectStorage } from '../storage/object-storage.ts';
import type { MediaUploadService } from './media-upload.service.ts';
import type { ReadyMedia } from './records.ts';

export interface DeleteMediaPayload {
  deletedId: string | null;
  userErrors: UserError[];
}

/** Listing and unlinking media. The bytes outlive the link until the collector finds them unreferenced. */
export class MediaService {
  constructor(
    private readonly repository: MediaRepository,
    private readonly storage: ObjectStorage,
    private readonly uploads: MediaUploadService,
  ) {}

  /**
   * Verified media of the tenant's items, oldest first, one list per item id (a batch for DataLoader).
   * With S3 the bytes went straight to the bucket: pending uploads of these items whose object has
   * arrived are verified first, so a client that PUT and then reads sees its media (or its refusal).
   */
  async listForItems(actor: Actor, itemIds: readonly string[]): Promise<ReadyMedia[][]> {
    const ids = itemIds.filter(isUuid);
    if (ids.length && this.storage.kind === 's3') {
      const pending = await this.repository.findPendingByItemIds({ tenantId: actor.tenantId, itemIds: ids });
      if (pending.length) await this.uploads.completeUploads(pending.map((m) => m.id));
    }
    const rows = ids.length ? await this.repository.findReadyByItemIds({ tenantId: actor.tenantId, itemIds: ids }) : [];
    return itemIds.map((id) => rows.filter((m) => m.itemId === id));
  }

  /** Unlinks the tenant's media; NOT_FOUND for an id the tenant does not have. */
  async deleteMedia(actor: Actor, id: string): Promise<DeleteMediaPayload> {
    if (!isUuid(id) || !(await this.repository.delete({ tenantId: actor.tenantId, id }))) {
      return { deletedId: null, userErrors: [userError(UserErrorCode.NotFound, `No media ${id} in this tenant`, ['id'])] };
    }
    return { deletedId: id, userErrors: [] };
  }
}
