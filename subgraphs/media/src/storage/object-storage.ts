import type { Readable } from 'node:stream';

/** A byte range, both ends inclusive (HTTP's `bytes=start-end`). */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * Where media bytes live. Keys are slash-separated paths (`blobs/<sha256>`, `uploads/<mediaId>`,
 * `renditions/<sha256>/w256.webp`). Every method is safe to repeat; writing a key that exists
 * replaces it whole (readers see the old or the new object, never a mix).
 */
export interface ObjectStorage {
  readonly kind: 'filesystem' | 's3';
  /** Makes the place ready (the directory, the bucket) when it is missing. */
  prepare(): Promise<void>;
  put(key: string, bytes: Buffer, contentType: string): Promise<void>;
  /** The object (or the range of it), or null when there is none. */
  get(key: string, range?: ByteRange): Promise<Readable | null>;
  /** The whole object when it holds at most `maxBytes`; null when missing; TooLargeError when bigger. */
  read(key: string, maxBytes: number): Promise<Buffer | null>;
  stat(key: string): Promise<{ size: number } | null>;
  /** Removes the object; nothing happens when there is none. */
  delete(key: string): Promise<void>;
  /** Every key under `prefix` (e.g. `uploads/`). */
  list(prefix: string): Promise<string[]>;
  /**
   * A URL that accepts one HTTP PUT of the object until `expiresInSeconds` pass (S3 presigned PUT),
   * or null when this backend takes uploads through the media service instead (filesystem).
   */
  presignPut(key: string, options: { contentType: string; byteSize: number; expiresInSeconds: number }): Promise<string | null>;
  close(): Promise<void>;
}

/** An object is bigger than the caller allows reading. */
export class TooLargeError extends Error {
  constructor(readonly key: string, readonly maxBytes: number) {
    super(`object "${key}" is larger than ${maxBytes} bytes`);
    this.name = 'TooLargeError';
  }
}

/** Keys are ours, never a client's: refuse anything that could leave the storage root. */
export function assertSafeKey(key: string): void {
  if (!/^[a-z]+\/[A-Za-z0-9._\/-]+$/.test(key) || key.split('/').some((part) => part === '' || part === '.' || part === '..')) {
    throw new Error(`unsafe storage key "${key}"`);
  }
}
