export type MediaStatus = 'PENDING' | 'VERIFYING' | 'READY';

/** A media row as the domain sees it. */
export interface MediaRecord {
  id: string;
  tenantId: string;
  itemId: string;
  filename: string;
  contentType: string;
  byteSize: number;
  status: MediaStatus;
  sha256: string | null;
  width: number | null;
  height: number | null;
  expiresAt: Date;
  createdAt: Date;
}

/** A verified media: what `Item.media` lists. */
export type ReadyMedia = MediaRecord & { status: 'READY'; sha256: string; width: number; height: number };

/** Storage keys: bytes by content, an upload by its media id, thumbnails beside their original. */
export const storageKey = {
  blob: (sha256: string) => `blobs/${sha256}`,
  upload: (mediaId: string) => `uploads/${mediaId}`,
  renditions: (sha256: string) => `renditions/${sha256}/`,
  rendition: (sha256: string, width: number, extension: string) => `renditions/${sha256}/w${width}.${extension}`,
};
