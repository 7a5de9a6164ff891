/** The image types media accepts, with the file extension its URL carries and its magic number. */
export enum ImageType {
  Png = 'image/png',
  Jpeg = 'image/jpeg',
  Webp = 'image/webp',
  Gif = 'image/gif',
}

export const IMAGE_TYPES = Object.values(ImageType);

export const EXTENSION: Record<ImageType, string> = {
  [ImageType.Png]: 'png',
  [ImageType.Jpeg]: 'jpg',
  [ImageType.Webp]: 'webp',
  [ImageType.Gif]: 'gif',
};

export const isImageType = (value: string): value is ImageType => (IMAGE_TYPES as string[]).includes(value);

const startsWith = (bytes: Buffer, signature: number[], offset = 0) => signature.every((b, i) => bytes[offset + i] === b);
const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));

/**
 * The image type the bytes' magic number names, or null: PNG's 8-byte signature, JPEG's SOI marker,
 * RIFF....WEBP, GIF87a/GIF89a. The declared content type must equal it.
 */
export function sniffImageType(bytes: Buffer): ImageType | null {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return ImageType.Png;
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return ImageType.Jpeg;
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)) return ImageType.Webp;
  if (startsWith(bytes, ascii('GIF87a')) || startsWith(bytes, ascii('GIF89a'))) return ImageType.Gif;
  return null;
}
