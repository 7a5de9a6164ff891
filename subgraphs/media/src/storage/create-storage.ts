import type { StorageConfig } from '../config.ts';
import { FilesystemStorage } from './filesystem-storage.ts';
import type { ObjectStorage } from './object-storage.ts';
import { S3Storage } from './s3-storage.ts';

/** The storage backend the configuration names: S3 when S3_ENDPOINT/S3_BUCKET are set, else the filesystem. */
export function createStorage(config: StorageConfig): ObjectStorage {
  return config.kind === 's3' ? new S3Storage(config) : new FilesystemStorage(config.dir);
}
