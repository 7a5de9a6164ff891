import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { sniffImageType, type ImageType } from './image-types.ts';

/** Why uploaded bytes were refused; also the `code` of the upload endpoint's error body. */
export enum UploadRefusal {
  SizeMismatch = 'SIZE_MISMATCH',
  ContentTypeMismatch = 'CONTENT_TYPE_MISMATCH',
  Undecodable = 'UNDECODABLE_IMAGE',
}

export type Inspection =
  | { ok: true; sha256: string; width: number; height: number }
  | { ok: false; refusal: UploadRefusal; message: string };

/**
 * Checks uploaded bytes against what createMediaUpload declared: the exact size, the magic number of
 * the declared type, and a full decode with sharp (a truncated or corrupt image fails here, not only
 * one with a bad header). Returns the sha256 and pixel size of an accepted image.
 */
export async function inspectUpload(bytes: Buffer, declared: { contentType: ImageType; byteSize: number }): Promise<Inspection> {
  if (bytes.length !== declared.byteSize) {
    return { ok: false, refusal: UploadRefusal.SizeMismatch, message: `received ${bytes.length} bytes; ${declared.byteSize} were declared` };
  }
  const sniffed = sniffImageType(bytes);
  if (sniffed !== declared.contentType) {
    return { ok: false, refusal: UploadRefusal.ContentTypeMismatch, message: `the bytes are ${sniffed ?? 'not an image we accept'}; ${declared.contentType} was declared` };
  }
  try {
    // failOn 'truncated' rejects cut-off data; decoding every pixel (stats) is what proves it decodes.
    const image = sharp(bytes, { failOn: 'truncated', limitInputPixels: 100_000_000 });
    const { width, height } = await image.metadata();
    await image.stats();
    if (!width || !height) throw new Error('no dimensions');
    return { ok: true, sha256: createHash('sha256').update(bytes).digest('hex'), width, height };
  } catch (error) {
    return { ok: false, refusal: UploadRefusal.Undecodable, message: `the image cannot be decoded: ${(error as Error).message}` };
  }
}
